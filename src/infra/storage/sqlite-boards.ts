/** Board locations in the SQLite file (same file as the request store). */
import type Database from 'better-sqlite3';
import type { Board, BoardStore } from '../../ports/boards';
import { openDatabase, statements } from './sqlite-store';

export class SqliteBoardStore implements BoardStore {
  private readonly db: Database.Database;

  /** Prepared once per distinct SQL text (preparing is a large share of a query's cost). */
  private readonly stmt: (sql: string) => Database.Statement;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.stmt = statements(this.db);
    this.db.exec('CREATE TABLE IF NOT EXISTS boards (key TEXT PRIMARY KEY, doc TEXT NOT NULL)');
  }

  async get(key: string): Promise<Board | null> {
    const row = this.stmt('SELECT doc FROM boards WHERE key = ?').get(key) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Board) : null;
  }

  async put(board: Board): Promise<void> {
    this.stmt('INSERT INTO boards (key, doc) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET doc = excluded.doc').run(board.key, JSON.stringify(board));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
