/**
 * The tracking board: one card per channel (or chat) listing its open requests, refreshed
 * whenever one of them changes state. The card is rebuilt from the store each time, and an
 * older board never stays over a newer one:
 * - in this instance, the refreshes of one board run one at a time, in order (a refresh asked
 *   for while another waits joins it: it reads the store when it starts);
 * - across instances, each refresh takes the board's next number before it reads the store,
 *   and records it once its card is sent; a refresh whose card landed after a newer one's
 *   sends the current board again.
 */
import { boardKey, type BoardStore } from '../ports/boards';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import type { RequestStore } from '../ports/store';
import { FINAL_STATES, OPEN_STATES, type ConversationAnchor, type SoaRequest } from '../domain/request';

export interface BoardView {
  boardCard(key: string, open: SoaRequest[], recent: SoaRequest[], updatedAt: string): Record<string, unknown>;
  /** What an earlier board shows once a newer one is posted in its conversation. */
  movedBoardCard(): Record<string, unknown>;
}

/** Requests read for one board; the card shows at most BOARD_ROWS of them. */
const SCAN_LIMIT = 500;

/** Sends of the current board after one landed late; each reads the store afresh, so few settle it. */
const MAX_RESENDS = 3;

/** A board's refreshes in this instance: the last one started or queued, and the one still waiting. */
interface Lane {
  last: Promise<void>;
  waiting: Promise<void> | null;
}

export class BoardService {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly ports: {
      boards: BoardStore;
      store: RequestStore;
      notifier: Notifier;
      view: BoardView;
      clock: Clock;
      logger: Logger;
    },
  ) {}

  /** The board's current card for the conversation of `anchor`. */
  async card(anchor: ConversationAnchor): Promise<Record<string, unknown>> {
    return this.render(boardKey(anchor));
  }

  private async render(key: string): Promise<Record<string, unknown>> {
    const [open, finished] = await Promise.all([
      this.ports.store.list({ states: OPEN_STATES, limit: SCAN_LIMIT }),
      this.ports.store.list({ states: FINAL_STATES, limit: 50 }),
    ]);
    const here = (r: SoaRequest) => boardKey(r.anchor) === key;
    const dayAgo = new Date(this.ports.clock.now().getTime() - 86_400_000).toISOString();
    return this.ports.view.boardCard(
      key,
      open.filter(here),
      finished.filter((r) => here(r) && r.updatedAt >= dayAgo).slice(0, 5),
      this.ports.clock.now().toISOString(),
    );
  }

  /** Records where the board card now is; the previous card (if any) is pointed at the new one. */
  async posted(anchor: ConversationAnchor, postedBy: string): Promise<void> {
    const key = boardKey(anchor);
    const previous = await this.ports.boards.get(key);
    await this.ports.boards.put({ key, anchor, postedAt: this.ports.clock.now().toISOString(), postedBy });
    if (previous?.anchor.cardActivityId && previous.anchor.cardActivityId !== anchor.cardActivityId) {
      await this.ports.notifier.updateCard(previous.anchor, this.ports.view.movedBoardCard()).catch(() => undefined);
    }
  }

  /** After a request changes: refresh its conversation's board, if there is one. Never throws. */
  refreshFor(req: SoaRequest): Promise<void> {
    const key = boardKey(req.anchor);
    return this.inLane(key, () => this.refresh(key, req.id));
  }

  /**
   * Runs `refresh` after the board's refresh in progress; while one is already waiting to run,
   * the caller shares it instead (it has not read the store yet, so it shows the caller's change).
   */
  private inLane(key: string, refresh: () => Promise<void>): Promise<void> {
    const lane = this.lanes.get(key);
    if (lane?.waiting) return lane.waiting;
    const mine: Promise<void> = (lane?.last ?? Promise.resolve())
      .then(() => {
        const current = this.lanes.get(key);
        if (current?.waiting === mine) current.waiting = null;
        return refresh();
      })
      .finally(() => {
        if (this.lanes.get(key)?.last === mine) this.lanes.delete(key);
      });
    this.lanes.set(key, { last: mine, waiting: mine });
    return mine;
  }

  private async refresh(key: string, requestId: string): Promise<void> {
    try {
      for (let send = 0; send <= MAX_RESENDS; send++) {
        const started = await this.ports.boards.startRender(key);
        const cardId = started?.board.anchor.cardActivityId;
        if (!started || !cardId) return;
        await this.ports.notifier.updateCard(started.board.anchor, await this.render(key));
        const before = await this.ports.boards.rendered(key, cardId, started.render);
        if (before === null) {
          // A newer `board` command moved the board meanwhile: this card says so again.
          await this.ports.notifier.updateCard(started.board.anchor, this.ports.view.movedBoardCard());
          return;
        }
        // Nothing newer was sent before this card landed: it is the newest.
        if (before < started.render) return;
      }
    } catch (e) {
      this.ports.logger.warn('board refresh failed', { requestId, error: e instanceof Error ? e.message : String(e) });
    }
  }
}
