/** Bot: the time clause of a request, as typed in Teams: refused with a reason, or shown everywhere it is listed. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, TestChannel, type Outbound } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { answersTo, people, startStack, type Stack } from '../support/stack';

const text = (o: Outbound) => String(o.activity.text ?? '');

describe('bot: scheduled requests', function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ CHANGE_TIMEZONE: 'Europe/Berlin', MAX_SCHEDULE_DAYS: '10' });
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
  });

  const ask = (said: string, who = people.alex) => answersTo(s, said, who);

  it('an unknown date, a past time or one too far ahead is refused with why; nothing is looked up', async () => {
    const before = (await s.graphRequests()).length;
    const funday = await ask('move SecGroup1 to cloud on Funday');
    assert.equal(funday.length, 1);
    assert.match(
      text(funday[0]!),
      /^I could not read "on Funday" as a date and time\..*Europe\/Berlin.*Nothing was requested\.$/,
    );
    const past = await ask('move SecGroup1 to cloud at 2020-01-01 10:00');
    assert.match(text(past[0]!), /is Wed 1 Jan 10:00 Europe\/Berlin \(09:00 UTC\), which is not in the future/);
    const far = await ask('move SecGroup1 to cloud in 20 days');
    assert.match(text(far[0]!), /at most 10 days ahead \(MAX_SCHEDULE_DAYS\)/);
    assert.equal((await s.graphRequests()).length, before, 'no Graph call');
    const status = await ask('status');
    assert.match(text(status[0]!) + cardText(cardOf(status[0]!)), /You have no requests yet/);
  });

  it('a name several groups share gets no pick list (its click would drop the time): the id is asked for', async () => {
    const out = await ask('move Marketing to cloud tomorrow at 06:00');
    assert.deepEqual(
      out.map((o) => [text(o), !!cardOf(o)]),
      [
        [
          'Several groups are named **Marketing**: to schedule the change, give the object id of the one you mean ' +
            '(`check Marketing` lists them). Nothing was requested for that name.',
          false,
        ],
      ],
    );
  });

  it('a scheduled request shows "scheduled for …" on its card, in status, in pending and on the board', async () => {
    const out = await ask('move SecGroup1 to cloud tomorrow at 06:00');
    const card = out.map(cardOf).find(Boolean);
    assert.ok(card, out.map(text).join('\n'));
    const when = /scheduled for (\w{3} \d+ \w{3} 06:00 Europe\/Berlin \(0[45]:00 UTC\))/.exec(cardText(card));
    assert.ok(when, cardText(card));
    assert.match(cardText(card), /Scheduled for/);
    const status = await ask('status');
    assert.ok(cardText(cardOf(status[0]!)).includes(`scheduled for ${when[1]}`), cardText(cardOf(status[0]!)));
    const pending = await ask('pending', people.megan);
    assert.ok(cardText(cardOf(pending[0]!)).includes(`scheduled for ${when[1]}`), cardText(cardOf(pending[0]!)));
    const board = (await ask('board')).map(cardOf).find(Boolean);
    assert.ok(cardText(board).includes(`scheduled for ${when[1]}`), cardText(board));
  });
});

describe('bot: a scheduled switch survives a restart (SQLite)', function () {
  this.timeout(60_000);
  it('approved, the bot stopped and started again: it runs once, at its time and not before', async () => {
    const ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    const dir = mkdtempSync(join(tmpdir(), 'soa-scheduled-'));
    const env = { STORE_FILE: join(dir, 'requests.sqlite') };
    const channel = await new TestChannel('').start();
    try {
      let s = await startStack(env, ft, channel);
      const askedAt = Date.now();
      await s.channel.say(people.alex, 'move SecGroup2 to cloud in 6 seconds');
      const msg = await s.channel.waitFor((o) => !!cardOf(o));
      const data = actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data;
      const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
      assert.match(cardText(r.card), /waiting for its time · scheduled for/);
      await s.stop();
      s = await startStack(env, ft, channel);
      await s.channel.waitFor((o) => /starting now, as scheduled for/.test(o.activity.text ?? ''), 20_000);
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 20_000);
      const patches = await s.graphRequests(
        (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`),
      );
      assert.equal(patches.length, 1);
      assert.ok(Date.parse(patches[0]!.at) >= askedAt + 6000, `PATCH at ${patches[0]!.at}`);
      await s.stop();
    } finally {
      await channel.stop();
      await ft.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
