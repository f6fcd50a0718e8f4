import assert from 'node:assert/strict';
import { pinoLogger } from '../../src/infra/logging';
import { signLink, linkKey } from '../../src/infra/links';
import { exportLinks, type ExportLinks } from '../../src/server/export-links';
import { startHttpServer, type HttpServer } from '../../src/server/http';
import { InMemoryRequestStore } from '../support/memory-store';
import { TestClock } from '../support/stack';

const SECRET = 'local-only test secret, not a real one';
const MEGAN = { id: '5d7e9f10-2a3b-4c4d-8e5f-6a7b8c9d0e1f', name: 'Megan Bowen', channelUserId: '29:1megan' };
const RANGE = { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

/** The hidden fields of the page's form, as the browser would post them. */
function formOf(html: string): string {
  const fields = [...html.matchAll(/<input type="hidden" name="([a-z]+)" value="([^"]*)">/g)].map(
    ([, k, v]) => [k!, v!] as [string, string],
  );
  assert.match(html, /<form method="post" action="\/api\/exports">/);
  return new URLSearchParams(fields).toString();
}

describe('server: export links are one-time, tied to the approver they were made for, and logged', () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pinoLogger({
    destination: { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) },
  });
  const clock = new TestClock();
  const store = new InMemoryRequestStore();
  /** Two instances with the same configuration and store. */
  const servers: HttpServer[] = [];
  const links: ExportLinks[] = [];

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const links1 = exportLinks({
        settings: { linkKeyMaterial: SECRET, linkMinutes: 15 },
        store,
        clock,
        logger,
      });
      const server = await startHttpServer({} as never, {} as never, 0, '127.0.0.1', undefined, undefined, {
        exports: links1,
      });
      links1.listening(server.url);
      servers.push(server);
      links.push(links1);
    }
  });
  after(async () => {
    for (const s of servers) await s.close();
  });
  beforeEach(() => {
    lines.length = 0;
    clock.offsetMs = 0;
  });

  const post = (base: string, form: string) =>
    fetch(`${base}/api/exports`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });

  it(
    'the link opens a page that uses nothing up; its button downloads once; ' +
      'a second use on any instance is refused',
    async () => {
      const url = links[0]!.link(RANGE, MEGAN);
      assert.ok(url.startsWith(`${servers[0]!.url}/api/exports?`));
      const payload = JSON.parse(Buffer.from(new URL(url).searchParams.get('p')!, 'base64url').toString()) as Record<
        string,
        string
      >;
      assert.equal(payload.by, MEGAN.id, 'the link names the approver it was made for');
      assert.match(payload.id!, /^[A-Za-z0-9_-]{22}$/, 'and carries its own random id');
      // Opening the link (a person, or a scanner that follows it) twice spends nothing.
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      const html = await page.text();
      assert.match(html, /works once/);
      assert.match(html, /2026-03-01 to 2026-03-31 \(UTC\)/);
      assert.equal((await fetch(url)).status, 200);
      const form = formOf(html);
      assert.equal(form, new URL(url).searchParams.toString());
      const first = await post(servers[0]!.url, form);
      assert.equal(first.status, 200);
      assert.match(first.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(await first.text(), /^request id,/);
      for (const server of [servers[0]!, servers[1]!]) {
        const again = await post(server.url, form);
        assert.equal(again.status, 410);
        assert.equal(
          await again.text(),
          'This export link has already been used; each link works once. Ask the bot again.',
        );
      }
      // A link made by the other instance works there and here, once.
      const other = new URL(links[1]!.link(RANGE, MEGAN)).searchParams.toString();
      assert.equal((await post(servers[0]!.url, other)).status, 200);
      assert.equal((await post(servers[1]!.url, other)).status, 410);
    },
  );

  it('a tampered, expired, foreign or unnamed link is refused, on the page and at the download', async () => {
    const form = new URL(links[0]!.link(RANGE, MEGAN)).searchParams;
    const tampered = new URLSearchParams(form);
    const p = JSON.parse(Buffer.from(form.get('p')!, 'base64url').toString()) as Record<string, string>;
    tampered.set('p', Buffer.from(JSON.stringify({ ...p, by: 'someone-else' })).toString('base64url'));
    for (const bad of [tampered.toString(), `${form.toString()}x`]) {
      assert.equal((await fetch(`${servers[0]!.url}/api/exports?${bad}`)).status, 403);
      assert.equal((await post(servers[0]!.url, bad)).status, 403);
    }
    // Signed with the key, but not a link the bot issues: no approver, no id.
    const unnamed = signLink(linkKey(SECRET), { from: RANGE.from, to: RANGE.to }, new Date(Date.now() + 60_000));
    assert.equal((await post(servers[0]!.url, unnamed)).status, 403);
    clock.offsetMs = 15 * 60_000;
    assert.equal((await fetch(`${servers[0]!.url}/api/exports?${form.toString()}`)).status, 410);
    const expired = await post(servers[0]!.url, form.toString());
    assert.equal(expired.status, 410);
    assert.equal(await expired.text(), 'This export link has expired; ask the bot again.');
  });

  it('each step is logged with the approver and the link id, never with the signature or the query', async () => {
    const url = links[0]!.link(RANGE, MEGAN);
    const q = new URL(url).searchParams;
    const form = formOf(await (await fetch(url)).text());
    await post(servers[0]!.url, form);
    await post(servers[0]!.url, form);
    const linkId = (JSON.parse(Buffer.from(q.get('p')!, 'base64url').toString()) as { id: string }).id;
    const seen = lines.map((l) => [l.msg, l.level, l.by, l.link]);
    assert.deepEqual(seen, [
      ['export link issued', 'info', MEGAN.id, linkId],
      ['export link opened', 'info', MEGAN.id, linkId],
      ['export downloaded', 'info', MEGAN.id, linkId],
      ['export link refused', 'warn', MEGAN.id, linkId],
    ]);
    assert.equal(lines[2]!.requests, 0);
    assert.equal(lines[3]!.reason, 'used');
    const text = JSON.stringify(lines);
    for (const part of [q.get('sig')!, q.get('p')!, 'sig=', '/api/exports?'])
      assert.ok(!text.includes(part), `the log carries ${part}`);
  });
});
