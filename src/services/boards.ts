/**
 * The tracking board: one card per channel (or chat) listing its open requests, refreshed
 * whenever one of them changes state. The card is rebuilt from the store each time, so
 * concurrent refreshes from several instances converge on the same content.
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

export class BoardService {
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
  async refreshFor(req: SoaRequest): Promise<void> {
    try {
      const key = boardKey(req.anchor);
      const board = await this.ports.boards.get(key);
      if (!board?.anchor.cardActivityId) return;
      await this.ports.notifier.updateCard(board.anchor, await this.render(key));
    } catch (e) {
      this.ports.logger.warn('board refresh failed', {
        requestId: req.id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
