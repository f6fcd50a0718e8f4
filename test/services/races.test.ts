/**
 * Writes that race: another write lands between a use case's read and its own write (the
 * in-memory store's `interleave`), and board refreshes that finish out of order.
 */
import assert from 'node:assert/strict';
import { anchor, people, requested, world, type World } from './fixture';

/** Another instance's bookkeeping write: the reminder sent. */
const remind = (w: World, id: string) => async () => {
  const cur = (await w.store.get(id))!;
  await w.store.update({ ...cur, remindedAt: w.clock.now().toISOString(), version: cur.version + 1 });
};

describe('use cases: writes that race', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('a reminder written while the card is recorded: both are kept, and later steps update that card', async () => {
    const req = await requested(w);
    const card = { ...anchor, cardActivityId: 'card-7' };
    w.store.interleave(remind(w, req.id));
    const next = await w.service.attachCard(req.id, card);
    const stored = (await w.store.get(req.id))!;
    assert.deepEqual([stored.anchor, !!stored.remindedAt, stored.version], [card, true, 3]);
    assert.deepEqual(next, stored);
    // The next transition updates the recorded card.
    assert.equal((await w.service.reject(req.id, 1, people.megan, 'Not during the payroll run.')).outcome, 'done');
    await w.service.idle();
    assert.equal(w.notifier.cards.at(-1)?.anchor.cardActivityId, 'card-7');
  });

  it('an approval written while the card is recorded: the card is recorded and shows the approval', async () => {
    const req = await requested(w);
    const card = { ...anchor, cardActivityId: 'card-8' };
    w.store.interleave(async () => {
      assert.equal((await w.service.approve(req.id, 1, people.megan, true)).outcome, 'done');
    });
    await w.service.attachCard(req.id, card);
    await w.service.idle();
    const stored = (await w.store.get(req.id))!;
    assert.deepEqual([stored.state, stored.anchor], ['approved', card]);
    // The card was posted awaiting approval; it is updated to what the request is now.
    const update = w.notifier.cards.filter((c) => c.anchor.cardActivityId === 'card-8').at(-1);
    assert.match(JSON.stringify(update?.card), /Approved by Megan Bowen/);
  });

  it('a cancel with a reminder written in between is cancelled, the reminder kept', async () => {
    const req = await requested(w);
    w.store.interleave(remind(w, req.id));
    const d = await w.service.cancel(req.id, people.alex);
    assert.equal(d.outcome, 'done');
    const stored = (await w.store.get(req.id))!;
    assert.deepEqual([stored.state, !!stored.remindedAt], ['cancelled', true]);
    assert.match(JSON.stringify(w.notifier.cards.at(-1)?.card), /Cancelled/i, 'the card says so');
  });

  it('a cancel with an approval written in between: the approval stands, the requester is told', async () => {
    const req = await requested(w);
    w.store.interleave(async () => {
      assert.equal((await w.service.approve(req.id, 1, people.megan, true)).outcome, 'done');
    });
    const d = await w.service.cancel(req.id, people.alex);
    assert.equal(d.outcome, 'stale');
    assert.match((d as { message: string }).message, /Someone else decided request R-\w+ a moment earlier/);
    assert.equal((await w.store.get(req.id))!.state, 'approved');
  });
});
