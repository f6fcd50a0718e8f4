import assert from 'node:assert/strict';
import { parseCommand, parseExport } from '../../src/domain/command';
import { parseCsv } from '../support/csv';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

describe('bot: audit export (CSV through a signed link)', () => {
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
      await s.channel.say(people.megan, 'export last 2 days');
      const reply = await s.channel.waitFor((o) => /download the CSV/.test(o.activity.text ?? ''), 10_000, since);
      assert.match(reply.activity.text, /^1 request created from /);
      const url = /\((http[^)]+)\)/.exec(reply.activity.text)![1]!;
      const res = await fetch(url);
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
      const forged = await fetch(
        url.replace(
          /p=([^&]+)/,
          (_m, p: string) =>
            'p=' +
            Buffer.from(
              JSON.stringify({
                ...JSON.parse(Buffer.from(p, 'base64url').toString()),
                from: '2000-01-01T00:00:00.000Z',
              }),
            ).toString('base64url'),
        ),
      );
      assert.equal(forged.status, 403);
    },
  );

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
