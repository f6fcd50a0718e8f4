import assert from 'node:assert/strict';
import { parseCommand, parseExport } from '../../src/domain/command';
import { parseCsv } from '../support/csv';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

/** The link in the bot's Markdown: `[download the CSV](<url>)`. */
function linkIn(text: string): string {
  return /\((http[^)]+)\)/.exec(text)![1]!;
}

/** The link's form post, as its page's button sends it. */
function post(url: string): Promise<Response> {
  const u = new URL(url);
  return fetch(`${u.origin}${u.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: u.searchParams.toString(),
  });
}

/** Opens the link (its page), then presses the page's button. */
async function download(url: string): Promise<Response> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<button type="submit">Download the CSV<\/button>/);
  return post(url);
}

describe('bot: audit export (CSV through a signed, one-time link for the approver alone)', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
  });

  it('parses date ranges as whole UTC days and refuses malformed ones', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    assert.deepEqual(parseExport('export', now), {
      kind: 'export',
      from: '2026-10-30T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    });
    assert.deepEqual(parseExport('export last 7 days', now), {
      kind: 'export',
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-29T00:00:00.000Z',
    });
    assert.deepEqual(parseExport('export 2026-11-01 to 2026-11-15', now), {
      kind: 'export',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-16T00:00:00.000Z',
    });
    assert.equal(parseExport('export 2026-02-30 to 2026-03-01', now), null, 'no such day');
    assert.equal(parseExport('export 2026-11-15 to 2026-11-01', now), null, 'end before start');
    assert.deepEqual(parseCommand('export yesterday').command, {
      kind: 'unknown',
      text: 'export yesterday',
      suggestion: 'export last 30 days',
    });
  });

  it(
    'an approver gets a link to the CSV of the record, with ' + 'the matched audit entry; the link refuses tampering',
    async () => {
      const { msg, data } = await requestCard(s);
      await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
      const since = s.channel.outbound.length;
      // A one-to-one chat: the link is answered in place.
      await s.channel.say(people.megan, 'export last 2 days');
      const reply = await s.channel.waitFor((o) => /download the CSV/.test(o.activity.text ?? ''), 10_000, since);
      assert.match(reply.activity.text, /^1 request created from /);
      assert.match(reply.activity.text, /works once, expires in 15 minutes/);
      assert.equal(s.channel.created.length, 0, 'no other conversation needed');
      const url = linkIn(reply.activity.text);
      const res = await download(url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
      assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="soa-requests-/);
      const bytes = Buffer.from(await res.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM, for spreadsheets');
      const rows = parseCsv(bytes.toString('utf8'));
      const header = rows[0]!;
      const row = Object.fromEntries(header.map((h, i) => [h, rows[1]![i]]));
      assert.equal(rows.length, 2);
      assert.equal(row['request id'], data.requestId);
      assert.equal(row['group name'], 'SecGroup2');
      assert.equal(row['approver name'], 'Megan Bowen');
      assert.match(String(row['audit record id']), /\S/);
      assert.match(String(row['audit activity']), /^Change Source of Authority/);
      const forged = url.replace(
        /p=([^&]+)/,
        (_m, p: string) =>
          'p=' +
          Buffer.from(
            JSON.stringify({
              ...JSON.parse(Buffer.from(p, 'base64url').toString()),
              from: '2000-01-01T00:00:00.000Z',
            }),
          ).toString('base64url'),
      );
      assert.equal((await fetch(forged)).status, 403);
      assert.equal((await post(forged)).status, 403);
    },
  );

  for (const [kind, group] of [
    ['channel', 'SecGroup1'],
    ['groupChat', 'SecGroup1-Nested'],
  ] as const)
    it(`in a ${kind}, the link goes to the approver alone; the other members see no link at all`, async () => {
      await requestCard(s, `move ${group} to cloud`);
      const key = `export-${kind}`;
      const conversationId = s.channel.conversation(kind, key).id;
      const since = s.channel.outbound.length;
      await s.channel.say(people.megan, 'export last 2 days', { kind, key });
      const said = await s.channel.waitFor((o) => o.conversationId.startsWith(conversationId), 10_000, since);
      assert.equal(said.activity.text, 'I sent you the export link privately, in your one-to-one chat with me.');
      // Bot Connector createConversation: Megan's one-to-one chat, with her as its only member.
      const chat = s.channel.created.at(-1)!;
      assert.equal(chat.parameters.isGroup, false);
      assert.deepEqual(
        chat.parameters.members.map((m: { id: string }) => m.id),
        [`29:${people.megan.aadObjectId}`],
      );
      const privately = await s.channel.waitFor(
        (o) => o.conversationId === chat.id && /download the CSV/.test(o.activity.text ?? ''),
        10_000,
        since,
      );
      const url = linkIn(privately.activity.text);
      // Lee, another member, asks too: refused, and nothing in the conversation carries the link.
      await s.channel.say(people.lee, 'export last 2 days', { kind, key });
      await s.channel.waitFor((o) => /^Only approvers can export/.test(o.activity.text ?? ''), 10_000, since);
      // Everything the members are shown (the service address the activity travels by is not shown).
      const shared = JSON.stringify(s.channel.sentTo(conversationId).map((o) => ({ ...o.activity, serviceUrl: '' })));
      for (const part of ['http', '/api/exports', new URL(url).searchParams.get('sig')!])
        assert.ok(!shared.includes(part), `the ${kind} saw ${part}`);
      const carriers = s.channel.outbound
        .slice(since)
        .filter((o) => JSON.stringify(o.activity).includes('/api/exports'));
      assert.deepEqual([...new Set(carriers.map((o) => o.conversationId))], [chat.id]);
      // The link works for Megan, once.
      const res = await download(url);
      assert.equal(res.status, 200);
      assert.match(await res.text(), new RegExp(`,${group},`));
      const again = await post(url);
      assert.equal(again.status, 410);
      assert.match(await again.text(), /already been used/);
    });

  it('when the one-to-one chat cannot be reached, the channel still gets no link', async () => {
    await requestCard(s, 'move SecGroup1-Leaf to cloud');
    const conversationId = s.channel.conversation('channel', 'export-blocked').id;
    const created = s.channel.created.length;
    const since = s.channel.outbound.length;
    s.channel.failNext(1, 403, { kinds: ['create'] });
    await s.channel.say(people.megan, 'export last 2 days', { kind: 'channel', key: 'export-blocked' });
    const said = await s.channel.waitFor((o) => o.conversationId.startsWith(conversationId), 10_000, since);
    assert.match(said.activity.text, /^I could not send you the export link privately/);
    assert.equal(s.channel.created.length, created);
    assert.ok(!s.channel.outbound.slice(since).some((o) => JSON.stringify(o.activity).includes('/api/exports')));
  });

  it('is refused to someone who cannot approve, with the reason', async () => {
    const since = s.channel.outbound.length;
    await s.channel.say(people.lee, 'export');
    const reply = await s.channel.waitFor(() => true, 10_000, since);
    assert.match(
      reply.activity.text,
      /^Only approvers can export the request record\. Approving needs one of these directory roles/,
    );
  });
});
