/** Board locations in the SQLite file (same file as the request store). */
import type { Board, BoardStore } from '../../ports/boards';
import { SqliteTables } from './sqlite-store';

export class SqliteBoardStore extends SqliteTables implements BoardStore {
  constructor(file: string) {
    super(file, 'CREATE TABLE IF NOT EXISTS boards (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  }

  async get(key: string): Promise<Board | null> {
    return this.read(key);
  }

  async put(board: Board): Promise<void> {
    this.write(board);
  }

  // Read and write in one IMMEDIATE transaction: the file's write lock orders them across processes.
  async startRender(key: string): Promise<{ board: Board; render: number } | null> {
    return this.db
      .transaction(() => {
        const board = this.read(key);
        if (!board) return null;
        const render = (board.renders ?? 0) + 1;
        const next = { ...board, renders: render };
        this.write(next);
        return { board: next, render };
      })
      .immediate();
  }

  async rendered(key: string, cardActivityId: string, render: number): Promise<number | null> {
    return this.db
      .transaction(() => {
        const board = this.read(key);
        if (!board || board.anchor.cardActivityId !== cardActivityId) return null;
        const before = board.shown ?? 0;
        if (render > before) this.write({ ...board, shown: render });
        return before;
      })
      .immediate();
  }

  private read(key: string): Board | null {
    const row = this.stmt('SELECT doc FROM boards WHERE key = ?').get(key) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Board) : null;
  }

  private write(board: Board): void {
    this.stmt('INSERT INTO boards (key, doc) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc').run(
      board.key,
      JSON.stringify(board),
    );
  }
}
