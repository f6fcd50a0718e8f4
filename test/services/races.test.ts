/**
 * Writes that race: another write lands between a use case's read and its own write (the
 * in-memory store's `interleave`), and board refreshes that finish out of order.
 */
import { movedBoardCard } from '../../src/views/status';
import assert from 'node:assert/strict';
import { transition, type SoaRequest } from '../../src/domain/request';
import { boardKey } from '../../src/ports/boards';
import { BoardService, type BoardView } from '../../src/services/boards';
import { ManualClock } from '../support/manual-clock';
import { InMemoryBoardStore } from '../support/memory-boards';
import { InMemoryRequestStore } from '../support/memory-store';
import { RecordingNotifier } from '../support/recording-notifier';
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

  it('a reminder with the card recorded in between is still sent, in the thread of the recorded card', async () => {
    const req = await requested(w);
    const card = { ...anchor, cardActivityId: 'card-9' };
    w.store.interleave(async () => {
      await w.service.attachCard(req.id, card);
    });
    assert.equal(await w.service.remind(req.id), 'done');
    const stored = (await w.store.get(req.id))!;
    assert.deepEqual([stored.anchor, !!stored.remindedAt], [card, true]);
    const reminders = w.notifier.posts.filter((p) => String(p.message.text).startsWith('⏰ Reminder'));
    assert.equal(reminders.length, 1, 'one reminder');
    assert.equal(reminders[0]!.anchor.cardActivityId, 'card-9');
    // The same reminder from another instance's job finds it sent.
    assert.equal(await w.service.remind(req.id), 'done');
    assert.equal(w.notifier.posts.filter((p) => String(p.message.text).startsWith('⏰ Reminder')).length, 1);
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

/** A notifier whose next card update can be held in flight (a slow Bot Connector call). */
class SlowNotifier extends RecordingNotifier {
  private held: Array<{ reached: () => void; release: Promise<void> }> = [];

  /** The next update waits until `release`; `reached` resolves once it is in flight. */
  holdNext(): { reached: Promise<void>; release: () => void } {
    let release!: () => void;
    let reached!: () => void;
    const r = new Promise<void>((res) => (reached = res));
    this.held.push({ reached, release: new Promise<void>((res) => (release = res)) });
    return { reached: r, release };
  }

  override async updateCard(a: SoaRequest['anchor'], card: Record<string, unknown>): Promise<void> {
    const h = this.held.shift();
    if (h) {
      h.reached();
      await h.release;
    }
    await super.updateCard(a, card);
  }
}

/** The board as rows `id:state`, enough to tell an older board from a newer one. */
const view: BoardView = {
  boardCard: (_key, open) => ({ rows: open.map((r) => `${r.id}:${r.state}`) }),
  movedBoardCard,
};

describe('the board: refreshes that finish out of order', () => {
  const boardAnchor = { ...anchor, reference: { conversation: { id: '19:ops@thread.tacv2' } }, cardActivityId: 'b-1' };
  const key = boardKey(boardAnchor);
  let clock: ManualClock;
  let store: InMemoryRequestStore;
  let boards: InMemoryBoardStore;
  let notifier: SlowNotifier;
  let req: SoaRequest;
  const instance = () => new BoardService({ boards, store, notifier, view, clock, logger: silent });
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const shown = () =>
    (notifier.cards.filter((c) => c.anchor.cardActivityId === 'b-1').at(-1)?.card as { rows?: string[] })?.rows;
  /** Every board sent to the card, in the order it landed. */
  const sent = () => notifier.cards.map((c) => (c.card as { rows?: string[] }).rows);
  const approve = async () => {
    req = transition(req, 'approved', clock.now(), {}, { by: 'Megan Bowen' });
    await store.update(req);
  };
  const flush = () => new Promise<void>((r) => setImmediate(r));

  beforeEach(async () => {
    const w = world();
    clock = w.clock as ManualClock;
    store = w.store;
    boards = new InMemoryBoardStore();
    notifier = new SlowNotifier();
    await boards.put({ key, anchor: boardAnchor, postedAt: clock.now().toISOString(), postedBy: 'Adele Vance' });
    req = await requested(w);
  });

  it('in one instance: a refresh asked for while an older one is in flight is sent after it', async () => {
    const board = instance();
    const slow = notifier.holdNext();
    const first = board.refreshFor(req);
    await slow.reached;
    await approve();
    const second = board.refreshFor(req);
    await flush();
    slow.release();
    await Promise.all([first, second]);
    assert.deepEqual(
      sent(),
      [[`${req.id}:awaiting_approval`], [`${req.id}:approved`]],
      'in the order the refreshes were asked for, never an older board after a newer one',
    );
  });

  it('in one instance: refreshes asked for while one waits share it; every change still shows', async () => {
    const board = instance();
    const slow = notifier.holdNext();
    const first = board.refreshFor(req);
    await slow.reached;
    await approve();
    const more = [board.refreshFor(req), board.refreshFor(req), board.refreshFor(req)];
    await flush();
    slow.release();
    await Promise.all([first, ...more]);
    assert.deepEqual(sent(), [[`${req.id}:awaiting_approval`], [`${req.id}:approved`]], 'the waiting ones sent once');
  });

  it('across instances: an older board that lands after a newer one is followed by the current board', async () => {
    const one = instance();
    const two = instance();
    const slow = notifier.holdNext();
    const older = one.refreshFor(req);
    await slow.reached;
    await approve();
    await two.refreshFor(req);
    assert.deepEqual(shown(), [`${req.id}:approved`]);
    slow.release();
    await older;
    assert.deepEqual(shown(), [`${req.id}:approved`], 'the older board did not stay');
  });

  it('a refresh that lands on a board replaced meanwhile puts the notice back on it', async () => {
    const board = instance();
    const slow = notifier.holdNext();
    const refresh = board.refreshFor(req);
    await slow.reached;
    await board.posted({ ...boardAnchor, cardActivityId: 'b-2' }, 'Adele Vance');
    slow.release();
    await refresh;
    const last = notifier.cards.filter((c) => c.anchor.cardActivityId === 'b-1').at(-1);
    assert.match(JSON.stringify(last?.card), /replaced by a newer one/);
  });
});
