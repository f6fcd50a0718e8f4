import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const isCard = (o: Outbound) => !!cardOf(o);
const soaPatches = (s: Stack, groupId: string) =>
  s.graphRequests((e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${groupId}/onPremisesSyncBehavior`));

describe('bot: move to cloud, end to end against the fake tenant', () => {
  let s: Stack;
  beforeEach(async () => {
    s = await startStack();
  });
  afterEach(async () => {
    await s?.stop();
  });

  it(
    'request → approval card with nesting warning → approve by another admin → switch with the ' +
      "approver's token → audit confirmation in the thread",
    async () => {
      const said = await s.channel.say(people.alex, 'move SecGroup1 to cloud', { kind: 'channel' });
      assert.equal(said.status, 200);
      const cardMsg = await s.channel.waitFor(isCard);
      assert.equal(cardMsg.kind, 'reply');
      assert.equal(cardMsg.targetId, said.id, "replies in the message's thread");
      const card = cardOf(cardMsg);
      const text = cardText(card);
      assert.match(text, /Move to cloud: SecGroup1/);
      assert.match(text, /Nested groups stay in AD/);
      assert.match(text, /SecGroup1-Leaf → SecGroup1-Nested → SecGroup1/, 'bottom-up order');
      assert.match(text, /extensionAttribute3 = cost-center-4410/);
      assert.match(text, /S-1-5-21-/);
      const approve = actions(card).find((a) => a.verb === 'approve')!;
      assert.ok(approve, 'an Approve button');
      assert.deepEqual(
        Object.keys(approve.data).sort(),
        ['requestId', 'version'],
        'the card carries only request id and version',
      );

      const click = await s.channel.click(
        people.megan,
        cardMsg.id,
        'approve',
        { ...approve.data, ackSyncVersions: 'true' },
        { kind: 'channel' },
      );
      assert.equal(click.status, 200);
      assert.ok(click.card, `a card in the invoke response, got ${JSON.stringify(click.body).slice(0, 200)}`);
      assert.match(cardText(click.card), /Approved by Megan Bowen/);

      const confirmation = await s.channel.waitFor((o) =>
        /Audit log: \*\*Change Source of Authority from AD to cloud\*\*/.test(o.activity.text ?? ''),
      );
      assert.match(confirmation.conversationId, /;messageid=/, "posted into the request's thread");
      assert.match(confirmation.activity.text, /initiated by Megan Bowen/);
      assert.match(confirmation.activity.text, /correlation id [0-9a-f-]{36}/);
      const finalCard = await s.channel.waitFor(
        (o) => o.kind === 'update' && o.targetId === cardMsg.id && /Completed/.test(cardText(cardOf(o))),
      );
      assert.match(cardText(cardOf(finalCard)), /Audit record/);

      const patches = await soaPatches(s, GROUP.secGroup1);
      assert.equal(patches.length, 1);
      assert.equal(patches[0]!.userId, people.megan.aadObjectId, "the PATCH ran with the approver's own token");
      assert.equal(s.tenant.tenant.groups.get(GROUP.secGroup1)!.isCloudManaged, true);
    },
  );

  it('rollback of SOAGroup3: approve → waiting for sync → a sync cycle → taken over by AD', async () => {
    await s.channel.say(people.alex, 'move SOAGroup3 back to AD');
    const cardMsg = await s.channel.waitFor(isCard);
    assert.match(cardText(cardOf(cardMsg)), /Roll back to AD: SOAGroup3/);
    assert.match(cardText(cardOf(cardMsg)), /Completes at the next sync/);
    const approve = actions(cardOf(cardMsg)).find((a) => a.verb === 'approve')!;
    await s.channel.click(people.megan, cardMsg.id, 'approve', { ...approve.data, ackSyncVersions: 'true' });
    await s.channel.waitFor((o) => /rolled back; the next sync cycle will take it over/.test(o.activity.text ?? ''));
    assert.equal((await admin(s.tenant, 'POST', '/_fake/sync')).status, 200);
    const done = await s.channel.waitFor((o) => /managed in AD again/.test(o.activity.text ?? ''));
    assert.match(done.activity.text, /SOAGroup3/);
    const req = (await s.bot.service.mine(people.alex.aadObjectId))[0]!;
    assert.equal(req.state, 'taken_over');
  });
});
