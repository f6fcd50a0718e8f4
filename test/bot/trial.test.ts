/** Bot: trial conversions as typed in Teams, against the fake tenant (real Graph client, real sign-in). */
import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { answersTo, people, soaPatches, startStack, type Stack } from '../support/stack';

const text = (o: Outbound) => String(o.activity.text ?? '');

describe('bot: trial conversions', function () {
  this.timeout(60_000);
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

  const ask = (said: string, who = people.alex) => answersTo(s, said, who);

  it('a trial of zero, negative or over 90 days, or on a rollback, is refused, nothing stored', async () => {
    const before = (await s.graphRequests()).length;
    const zero = await ask('move SecGroup2 to cloud for 0 days');
    assert.deepEqual(zero.map(text), [
      '"for 0 days": a trial lasts at least an hour. Try "for 7 days" or "for 12 hours".',
    ]);
    const negative = await ask('move SecGroup2 to cloud for -3 hours');
    assert.match(text(negative[0]!), /^"for -3 hours": a trial lasts at least an hour/);
    const long = await ask('move SecGroup2 to cloud for CHG0012345 for 91 days');
    assert.match(text(long[0]!), /^"for 91 days": a trial lasts at most 90 days/);
    const rollback = await ask('rollback SecGroup2 as a trial');
    assert.match(text(rollback[0]!), /only the move of one group can be a trial/);
    assert.equal((await s.graphRequests()).length, before, 'no Graph call');
    const status = await ask('status');
    assert.match(text(status[0]!) + cardText(cardOf(status[0]!)), /You have no requests yet/);
  });

  it('a trial with a ticket: switched, "trial until …" on the card; Roll back now is for approvers', async () => {
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, 'move SecGroup2 to cloud for CHG0012345 for 7 days', { kind: 'channel' });
    const cardMsg = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 10_000, since);
    const card = cardOf(cardMsg);
    assert.match(cardText(card), /trial for 7 days, rolled back at its end/);
    assert.match(cardText(card), /CHG0012345/);
    const approve = actions(card).find((a) => a.verb === 'approve')!;
    const click = await s.channel.click(
      people.megan,
      cardMsg.id,
      'approve',
      { ...approve.data, ackSyncVersions: 'true' },
      { kind: 'channel' },
    );
    assert.equal(click.status, 200);
    const done = await s.channel.waitFor(
      (o) => o.kind === 'update' && o.targetId === cardMsg.id && /Completed/.test(cardText(cardOf(o))),
      20_000,
      since,
    );
    assert.match(cardText(cardOf(done)), /trial until \w{3} \d+ \w{3} \d\d:\d\d UTC/);
    const data = { requestId: approve.data.requestId, version: '1' };
    const notApprover = await s.channel.click(people.lee, cardMsg.id, 'trialRollback', data, { kind: 'channel' });
    assert.match(JSON.stringify(notApprover.body), /Only approvers can keep a trial in the cloud or roll it back/);
    const requester = await s.channel.click(people.alex, cardMsg.id, 'trialKeep', data, { kind: 'channel' });
    assert.match(JSON.stringify(requester.body), /You requested this change, so someone else must approve it/);
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 1);
    const now = await s.channel.click(people.megan, cardMsg.id, 'trialRollback', data, { kind: 'channel' });
    assert.equal(now.status, 200);
    // The rollback is a request of its own, approved by the click: the thread follows it.
    await s.channel.waitFor((o) => /Rolled back \*\*SecGroup2\*\* to AD management/.test(text(o)), 20_000, since);
    // With its own card, which follows it.
    const own = s.channel.outbound.find((o) => !!cardOf(o) && /rollback R-\w+ runs now/.test(text(o)))!;
    assert.ok(own, 'the rollback has its own card');
    await s.channel.waitFor((o) => o.kind === 'update' && o.targetId === own.id, 20_000, since);
    const patches = await soaPatches(s, GROUP.secGroup2);
    assert.equal(patches.length, 2);
    assert.equal(patches[1]!.userId, people.megan.aadObjectId, "the rollback ran with the clicker's token");
    assert.equal(s.tenant.tenant.groups.get(GROUP.secGroup2)!.isCloudManaged, false);
  });
});
