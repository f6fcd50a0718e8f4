/**
 * A board store in memory, for use-case tests: records copied in and out as JSON, as the real
 * stores do; each refresh-number change reads and writes with nothing in between (atomic).
 */
import type { Board, BoardStore } from '../../src/ports/boards';

export class InMemoryBoardStore implements BoardStore {
  private readonly boards = new Map<string, string>();

  async get(key: string): Promise<Board | null> {
    return this.read(key);
  }

  async put(board: Board): Promise<void> {
    this.boards.set(board.key, JSON.stringify(board));
  }

  async startRender(key: string): Promise<{ board: Board; render: number } | null> {
    const board = this.read(key);
    if (!board) return null;
    const render = (board.renders ?? 0) + 1;
    const next = { ...board, renders: render };
    this.boards.set(key, JSON.stringify(next));
    return { board: next, render };
  }

  async rendered(key: string, cardActivityId: string, render: number): Promise<number | null> {
    const board = this.read(key);
    if (!board || board.anchor.cardActivityId !== cardActivityId) return null;
    const before = board.shown ?? 0;
    if (render > before) this.boards.set(key, JSON.stringify({ ...board, shown: render }));
    return before;
  }

  async close(): Promise<void> {}

  private read(key: string): Board | null {
    const doc = this.boards.get(key);
    return doc ? (JSON.parse(doc) as Board) : null;
  }
}
