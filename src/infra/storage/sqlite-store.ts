/** The embedded request store: SQLite (WAL) in a file, optimistic concurrency on `version`. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../domain/errors';
import { FINAL_STATES, type SoaRequest } from '../../domain/request';
import type { RequestQuery, RequestStore } from '../../ports/store';

export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

export class SqliteRequestStore implements RequestStore {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = openDatabase(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS requests (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        state TEXT NOT NULL,
        requester_id TEXT NOT NULL,
        group_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS requests_state ON requests(state);
      CREATE INDEX IF NOT EXISTS requests_requester ON requests(requester_id);
      CREATE INDEX IF NOT EXISTS requests_group ON requests(group_id);
      CREATE TABLE IF NOT EXISTS requests_archive (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, at TEXT NOT NULL);
    `);
  }

  async create(req: SoaRequest): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO requests (id, version, state, requester_id, group_id, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(req.id, req.version, req.state, req.requester.id, req.groupId, req.createdAt, req.updatedAt, JSON.stringify(req));
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new CodedError('StaleVersion', `Request ${req.id} already exists.`);
      throw e;
    }
  }

  async get(id: string): Promise<SoaRequest | null> {
    const row = (this.db.prepare('SELECT doc FROM requests WHERE id = ?').get(id) ?? this.db.prepare('SELECT doc FROM requests_archive WHERE id = ?').get(id)) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SoaRequest) : null;
  }

  async update(next: SoaRequest): Promise<void> {
    const info = this.db
      .prepare('UPDATE requests SET version = ?, state = ?, updated_at = ?, doc = ? WHERE id = ? AND version = ?')
      .run(next.version, next.state, next.updatedAt, JSON.stringify(next), next.id, next.version - 1);
    if (info.changes !== 1) {
      throw new CodedError('StaleVersion', `Request ${next.id} was changed by someone else in the meantime.`, { id: next.id, expected: next.version - 1 });
    }
  }

  async list(q: RequestQuery): Promise<SoaRequest[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.states?.length) { where.push(`state IN (${q.states.map(() => '?').join(',')})`); args.push(...q.states); }
    if (q.requesterId) { where.push('requester_id = ?'); args.push(q.requesterId); }
    if (q.groupId) { where.push('group_id = ?'); args.push(q.groupId); }
    const sql = `SELECT doc FROM requests ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id LIMIT ?`;
    args.push(q.limit ?? 50);
    return (this.db.prepare(sql).all(...args) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as SoaRequest);
  }

  async archive(before: string): Promise<number> {
    const states = FINAL_STATES.map(() => '?').join(',');
    const move = this.db.transaction(() => {
      this.db.prepare(`INSERT OR REPLACE INTO requests_archive (id, updated_at, doc) SELECT id, updated_at, doc FROM requests WHERE state IN (${states}) AND updated_at < ?`).run(...FINAL_STATES, before);
      return this.db.prepare(`DELETE FROM requests WHERE state IN (${states}) AND updated_at < ?`).run(...FINAL_STATES, before).changes;
    });
    const moved = move();
    // Redelivery ids only matter for minutes.
    this.db.prepare('DELETE FROM deliveries WHERE at < ?').run(before);
    return moved;
  }

  async firstDelivery(activityId: string): Promise<boolean> {
    return this.db.prepare('INSERT OR IGNORE INTO deliveries (id, at) VALUES (?, ?)').run(activityId, new Date().toISOString()).changes === 1;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
