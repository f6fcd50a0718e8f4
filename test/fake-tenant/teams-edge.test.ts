/** The local stack's Teams edge: activities in, the bot's Bot Connector calls out, within Teams' limits. */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTeamsEdge, type TeamsEdge } from '../../src/fake-tenant/teams-edge';
import { TEAMS_LIMITS, TeamsLimits } from '../../src/fake-tenant/teams-limits';

interface Seen {
  method: string;
  url: string;
  body: any;
}

/** A server that records what reaches it and answers `{ id }` (the Playground, or the bot). */
async function recorder(): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method!, url: req.url!, body: text ? JSON.parse(text) : undefined });
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ id: `a-${seen.length}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('the local Teams edge between the Playground and the bot', () => {
  let playground: Awaited<ReturnType<typeof recorder>>;
  let bot: Awaited<ReturnType<typeof recorder>>;
  let edge: TeamsEdge;
  const now = Date.parse('2026-12-01T10:00:00Z');

  beforeEach(async () => {
    playground = await recorder();
    bot = await recorder();
    // Time stands still: every call below falls in the same second.
    edge = await startTeamsEdge({
      botUrl: `${bot.url}/api/messages`,
      limits: new TeamsLimits(TEAMS_LIMITS, () => now),
    });
  });
  afterEach(async () => {
    await edge.close();
    for (const s of [playground.server, bot.server]) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  const json = (method: string, url: string, body?: unknown) =>
    fetch(url, {
      method,
      headers: { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /** An activity from the Playground; the bot's view of it. */
  async function inbound(conversation: string): Promise<string> {
    const sent = await json('POST', edge.url, {
      type: 'message',
      text: 'help',
      serviceUrl: `${playground.url}/_connector`,
      conversation: { id: conversation },
    });
    assert.equal(sent.status, 200);
    const got = bot.seen.at(-1)!;
    assert.equal(got.url, '/api/messages');
    assert.equal(got.body.text, 'help');
    return got.body.serviceUrl as string;
  }

  it("hands the bot the Playground's activities with itself as serviceUrl, and passes the bot's calls on", async () => {
    const serviceUrl = await inbound('c1');
    assert.notEqual(serviceUrl, `${playground.url}/_connector`);
    const posted = await json('POST', `${serviceUrl}/v3/conversations/c1/activities`, { type: 'message', text: 'hi' });
    assert.equal(posted.status, 200);
    assert.deepEqual(await posted.json(), { id: 'a-1' });
    const members = await fetch(`${serviceUrl}/v3/conversations/c1/members`);
    assert.equal(members.status, 200);
    assert.deepEqual(
      playground.seen.map((s) => [s.method, s.url, s.body?.text]),
      [
        ['POST', '/_connector/v3/conversations/c1/activities', 'hi'],
        ['GET', '/_connector/v3/conversations/c1/members', undefined],
      ],
    );
  });

  it('answers 429 with Retry-After past 7 operations a second in a conversation; another one goes on', async () => {
    const serviceUrl = await inbound('c1');
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await json('POST', `${serviceUrl}/v3/conversations/c1;messageid=${i}/activities`, { text: `m${i}` });
      statuses.push(r.status);
      if (r.status === 429) {
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
        assert.equal(((await r.json()) as any).error.code, 'Throttled');
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 429]);
    assert.equal(playground.seen.length, 7, 'the refused call never reached the Playground');
    await inbound('c2');
    const other = await json('PUT', `${serviceUrl}/v3/conversations/c2/activities/a-1`, { text: 'updated' });
    assert.equal(other.status, 200);
  });

  it('answers 413 MessageSizeTooBig to a message over 100 KB of UTF-16, and sends nothing on', async () => {
    const serviceUrl = await inbound('c1');
    const big = await json('POST', `${serviceUrl}/v3/conversations/c1/activities`, { text: 'x'.repeat(52_000) });
    assert.equal(big.status, 413);
    assert.equal(((await big.json()) as any).error.code, 'MessageSizeTooBig');
    assert.equal(playground.seen.length, 0);
  });
});
