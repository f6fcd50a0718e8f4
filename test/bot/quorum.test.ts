/**
 * Several approvals through the whole stack: the real fake tenant (roles and transitive group
 * memberships read with each clicker's own token), the bot, the test channel. A change advisory
 * board group is added to the default seed here: Lee Gu (no directory role) is a member through
 * a nested group.
 */
import assert from 'node:assert/strict';
import type { Seed } from '../../src/fake-tenant/model';
import { defaultSeed, GROUP, USER } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { cardOf, cardText } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';

const CAB = 'c0000000-0000-4000-8000-0000000000ab';
const CAB_DEPUTIES = 'c0000000-0000-4000-8000-0000000000ac';
const ACK = { ackSyncVersions: 'true' };

function withBoard(): Seed {
  const seed = defaultSeed();
  seed.groups.push(
    { id: CAB, displayName: 'Change Advisory Board', kind: 'security', members: [CAB_DEPUTIES] },
    { id: CAB_DEPUTIES, displayName: 'CAB Deputies', kind: 'security', members: [USER.lee] },
  );
  return seed;
}

interface AuditRecord {
  targetResources: Array<{ id: string }>;
  initiatedBy: { user: { id: string; displayName: string } | null };
}

describe('bot: a quorum of approvers and a second stage', () => {
  let ft: FakeTenant;
  let s: Stack;
  const start = async (env: Record<string, string>) => {
    ft = await startTestTenant({ seed: withBoard(), settings: { auditDelayMs: 100 } });
    // Megan (Hybrid Identity Administrator) and Adele (Groups Administrator) are both first-stage approvers.
    s = await startStack({ APPROVER_ROLES: 'Hybrid Identity Administrator,Groups Administrator', ...env }, ft);
  };
  afterEach(async () => {
    await s?.stop();
    await ft?.close();
  });
  const patches = () => soaPatches(s, GROUP.secGroup2);
  const stored = async (id: unknown) => (await s.bot.service.get(String(id)))!;
  const audits = async () =>
    (await admin<AuditRecord[]>(ft, 'GET', '/_fake/audits')).body.filter((a) =>
      a.targetResources.some((t) => t.id === GROUP.secGroup2),
    );

  it('2 of 2: the same approver twice switches nothing; a second approver switches once, as herself', async () => {
    await start({ APPROVALS_REQUIRED: '2' });
    const { msg, data } = await requestCard(s, undefined, undefined, ACK);
    assert.match(cardText(cardOf(msg)), /Approvals.*0 of 2 approvals/s);

    const first = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.match(cardText(first.card), /waiting for approval \(1 of 2\)/);
    assert.match(cardText(first.card), /1 of 2 approvals: Megan Bowen \(/);
    const twice = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.equal(twice.card, undefined, 'the card is left as it is');
    assert.match(twice.message ?? '', /You already approved request R-\w+ at .*counts once/);
    await s.channel.waitFor((o) => /Megan Bowen approved request R-\w+ .*\(1 of 2\)/.test(o.activity.text ?? ''));
    await s.bot.service.idle();
    assert.equal((await stored(data.requestId)).state, 'awaiting_approval');
    assert.equal((await patches()).length, 0);

    const second = await s.channel.click(people.adele, msg.id, 'approve', data);
    assert.match(cardText(second.card), /Approved|running/);
    const line = await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 15_000);
    assert.match(line.activity.text, /initiated by Adele Vance/);
    await s.bot.service.idle();
    assert.deepEqual(
      (await patches()).map((p) => [p.userId, p.status]),
      [[people.adele.aadObjectId, 204]],
      'exactly one switch, with the token of the approver who completed the quorum',
    );
    assert.deepEqual(
      (await audits()).map((a) => a.initiatedBy.user?.displayName),
      ['Adele Vance'],
    );
    const done = await stored(data.requestId);
    assert.equal(done.state, 'completed');
    const card = await s.channel.waitFor((o) => /Completed/.test(cardText(cardOf(o))));
    assert.match(cardText(cardOf(card)), /Runs with.*Adele Vance's sign-in/s);
  });

  it(
    'a second stage: a member of the group (transitively) approves, a non-member is refused; ' +
      "the first stage's approver runs it",
    async () => {
      await start({ SECOND_STAGE_GROUP_ID: CAB });
      const { msg, data } = await requestCard(s, undefined, undefined, ACK);
      const early = await s.channel.click(people.lee, msg.id, 'approve', data);
      assert.match(early.message ?? '', /directory roles/, 'the second stage waits for the first');

      const first = await s.channel.click(people.megan, msg.id, 'approve', data);
      const text = cardText(first.card);
      assert.match(text, /waiting for approval \(second stage, 0 of 1\)/);
      assert.match(text, /Runs with.*Megan Bowen's sign-in/s);
      assert.match(text, new RegExp(`members of the second-stage group \\(${CAB}\\)`));

      const adele = await s.channel.click(people.adele, msg.id, 'approve', data);
      assert.match(adele.message ?? '', /waits for its second stage, which needs members of the second-stage group/);
      await s.bot.service.idle();
      assert.equal((await patches()).length, 0);

      // Lee holds no directory role and is a member through CAB Deputies; the tick box is the first stage's.
      const lee = await s.channel.click(people.lee, msg.id, 'approve', { ...data, ackSyncVersions: 'false' });
      assert.match(cardText(lee.card), /Approved by Megan Bowen|running/);
      const line = await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 15_000);
      assert.match(line.activity.text, /initiated by Megan Bowen/);
      await s.bot.service.idle();
      assert.deepEqual(
        (await patches()).map((p) => p.userId),
        [people.megan.aadObjectId],
      );
      const done = await stored(data.requestId);
      assert.deepEqual(
        done.approvals?.map((a) => [a.by.name, a.stage]),
        [
          ['Megan Bowen', 1],
          ['Lee Gu', 2],
        ],
      );
    },
  );

  it('one rejection ends the request, whatever was approved before', async () => {
    await start({ APPROVALS_REQUIRED: '2' });
    const { msg, data } = await requestCard(s, undefined, undefined, ACK);
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const r = await s.channel.click(people.adele, msg.id, 'reject', { ...data, rejectReason: 'Not before the audit' });
    assert.match(cardText(r.card), /Rejected by Adele Vance: Not before the audit/);
    const late = await s.channel.click(people.adele, msg.id, 'approve', data);
    assert.match(cardText(late.card), /Rejected/);
    await s.bot.service.idle();
    assert.equal((await patches()).length, 0);
  });

  it('pending lists what waits for you per stage, says who may still approve; who am I names the stage', async () => {
    await start({ APPROVALS_REQUIRED: '2', SECOND_STAGE_GROUP_ID: CAB });
    const { msg, data } = await requestCard(s, undefined, undefined, ACK);
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const since = s.channel.outbound.length;
    await s.channel.say(people.megan, 'pending');
    const mine = await s.channel.waitFor(
      (o) => /You approved; waiting for other approvers/.test(cardText(cardOf(o))),
      5000,
      since,
    );
    assert.match(cardText(cardOf(mine)), /first stage, 1 more needed.*not Megan Bowen/s);
    await s.channel.click(people.adele, msg.id, 'approve', data);
    const after = s.channel.outbound.length;
    await s.channel.say(people.lee, 'pending');
    const lee = await s.channel.waitFor(
      (o) => /Waiting for your approval: second stage/.test(cardText(cardOf(o))),
      5000,
      after,
    );
    assert.match(cardText(cardOf(lee)), new RegExp(`${String(data.requestId)}`));
    const asked = s.channel.outbound.length;
    await s.channel.say(people.lee, 'who am I');
    const standing = await s.channel.waitFor((o) => /signed in as/.test(o.activity.text ?? ''), 5000, asked);
    assert.match(standing.activity.text, /You cannot approve requests: .*member of the second-stage group/);
  });
});
