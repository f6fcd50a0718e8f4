/** Use cases: an approval remembered while its approver signs in again (Entra ID asked for MFA). */
import assert from 'node:assert/strict';
import type { ConversationAnchor } from '../../src/domain/request';
import { anchor, G, people, requested, world, type World } from './fixture';

const elsewhere: ConversationAnchor = {
  reference: { conversation: { id: '19:other@thread.tacv2;messageid=9' } },
  conversationType: 'channel',
};

describe('use cases: approvals waiting for a sign-in', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('is remembered durably at the card version clicked, the card unchanged; found in its conversation', async () => {
    const req = await requested(w);
    assert.equal(await w.service.awaitSignIn(req.id, 1, people.megan, true, 50076), true);
    const stored = (await w.store.get(req.id))!;
    assert.equal(stored.state, 'awaiting_approval');
    assert.equal(stored.version, req.version + 1, 'a bookkeeping write');
    assert.equal(stored.history.length, req.history.length, 'the card version is unchanged');
    assert.deepEqual(stored.signInsPending, [
      {
        approver: people.megan,
        cardVersion: 1,
        syncVersionsAcknowledged: true,
        aadsts: 50076,
        askedAt: w.clock.now().toISOString(),
      },
    ]);

    const found = await w.service.pendingSignIn(people.megan, anchor);
    assert.deepEqual([found?.requestId, found?.pending.cardVersion], [req.id, 1]);
    assert.equal(await w.service.pendingSignIn(people.adele, anchor), null, 'only the approver who was asked');
    assert.equal(await w.service.pendingSignIn(people.megan, elsewhere), null, 'only in its own conversation');
  });

  it('is not remembered for an out-of-date card or a decided request', async () => {
    const req = await requested(w);
    assert.equal(await w.service.awaitSignIn(req.id, 2, people.megan, true), false);
    await w.service.approve(req.id, 1, people.adele, true);
    assert.equal(await w.service.awaitSignIn(req.id, 1, people.megan, true), false);
    assert.equal((await w.store.get(req.id))!.signInsPending, undefined);
  });

  it('the approval, once taken, clears it; a failed sign-in drops it', async () => {
    const first = await requested(w);
    await w.service.awaitSignIn(first.id, 1, people.megan, true, 50076);
    await w.service.awaitSignIn(first.id, 1, people.adele, true, 50076);
    const done = await w.service.approve(first.id, 1, people.megan, true);
    assert.equal(done.outcome, 'done');
    assert.equal((await w.store.get(first.id))!.signInsPending, undefined);
    assert.equal(await w.service.pendingSignIn(people.adele, anchor), null, 'decided: nothing waits any more');

    const other = await requested(w, G.us);
    await w.service.awaitSignIn(other.id, 1, people.megan, false);
    await w.service.dropSignIn(other.id, people.megan);
    assert.equal((await w.store.get(other.id))!.signInsPending, undefined);
    assert.equal(await w.service.pendingSignIn(people.megan, anchor), null);
  });
});
