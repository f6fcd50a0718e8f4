import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { cardText } from '../support/connector';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';

/** Card data comes from the client: each tampered click is refused with a message and changes nothing. */
describe('bot: card action tampering', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });

  const unchanged = async (id: string) => {
    const req = (await s.bot.service.get(id))!;
    assert.equal(req.state, 'awaiting_approval');
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0);
  };

  it(
    'a forged request id, a verb that is not on the card, an old card version, a card from another ' +
      'conversation, identities in card data',
    async () => {
      const { msg, data } = await requestCard(s);
      const id = String(data.requestId);
      const ok = { ...data, ackSyncVersions: 'true' };

      const forged = await s.channel.click(people.megan, msg.id, 'approve', { ...ok, requestId: 'R-ZZZZZZ' });
      assert.equal(forged.message, 'This card does not refer to a request I know. Nothing was changed.');
      const garbage = await s.channel.click(people.megan, msg.id, 'approve', { ...ok, requestId: { $ne: null } });
      assert.equal(garbage.message, 'This card does not refer to a request I know. Nothing was changed.');

      const verb = await s.channel.click(people.megan, msg.id, 'deleteEverything', ok);
      assert.equal(verb.message, 'This button is not known to the bot any more. Type `help`.');

      // The same request id on a click from another conversation (a copied card, or edited data).
      const other = await s.channel.click(people.megan, msg.id, 'approve', ok, {
        kind: 'channel',
        key: 'somewhere-else',
      });
      assert.equal(
        other.message,
        `Request ${id} belongs to another conversation; decide it on its own card there. Nothing was changed.`,
      );

      const old = await s.channel.click(people.megan, msg.id, 'approve', { ...ok, version: Number(data.version) - 1 });
      assert.match(cardText(old.card), /waiting for approval/, 'an old version gets the current card, not a decision');
      // Who acts comes from the activity, never from card data: Lee (no approver role) naming Megan.
      const impostor = await s.channel.click(people.lee, msg.id, 'approve', {
        ...ok,
        approver: { id: people.megan.aadObjectId, name: 'Megan Bowen' },
        userId: people.megan.aadObjectId,
        aadObjectId: people.megan.aadObjectId,
        from: { aadObjectId: people.megan.aadObjectId },
      });
      assert.match(impostor.message ?? '', /directory roles/);
      // The requester cannot approve their own request by asking for it in the data.
      const self = await s.channel.click(people.alex, msg.id, 'approve', { ...ok, allowSelfApproval: true });
      assert.match(self.message ?? JSON.stringify(self.body), /someone else must approve/);
      await unchanged(id);

      // The genuine click still works afterwards.
      const real = await s.channel.click(people.megan, msg.id, 'approve', ok);
      assert.match(cardText(real.card), /Approved by Megan Bowen/);
    },
  );

  it('an oversized activity is refused at the door (413) and reaches no handler', async () => {
    const res = await fetch(`${s.bot.http.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: `move ${'A'.repeat(2 * 1024 * 1024)} to cloud`,
        channelId: 'msteams',
        serviceUrl: s.channel.url,
        from: { id: 'x', aadObjectId: people.alex.aadObjectId },
        conversation: { id: 'a:big', tenantId: '00000000-0000-0000-0000-0000000000001' },
        recipient: { id: 'b' },
      }),
    });
    assert.equal(res.status, 413);
    assert.equal(
      s.channel.outbound.filter((o) => o.conversationId === 'a:big').length,
      0,
      'nothing was sent to that conversation',
    );
  });
});
