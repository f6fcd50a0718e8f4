/** Board locations in the SQLite file (same file as the request store). */
import type { Board, BoardStore } from '../../ports/boards';
import { SqliteTables } from './sqlite-store';

export class SqliteBoardStore extends SqliteTables implements BoardStore {
  constructor(file: string) {
    super(file, 'CREATE TABLE IF NOT EXISTS boards (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  }

  async get(key: string): Promise<Board | null> {
    const row = this.stmt('SELECT doc FROM boards WHERE key = ?').get(key) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Board) : null;
  }

  async put(board: Board): Promise<void> {
    this.stmt('INSERT INTO boards (key, doc) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc').run(
      board.key,
      JSON.stringify(board),
    );
  }
}
