/** The embedded request store: SQLite (WAL) in a file, optimistic concurrency on `version`. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CodedError } from '../../domain/errors';
import { FINAL_STATES, type SoaRequest } from '../../domain/request';
import type { RequestQuery, RequestStore } from '../../ports/store';

function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // WAL with NORMAL sync: a committed write survives a process crash (the failure mode that
  // matters here); only an OS crash can lose the last transactions. FULL would fsync every write.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Where each listed field lives: columns in the working set, the document in the archive. */
interface Columns {
  state: string;
  requester: string;
  group: string;
  created: string;
}

const HOT: Columns = { state: 'state', requester: 'requester_id', group: 'group_id', created: 'created_at' };
// The archive keeps only the document; `requests_archive_created` indexes this expression.
const ARCHIVED: Columns = {
  state: `json_extract(doc, '$.state')`,
  requester: `json_extract(doc, '$.requester.id')`,
  group: `json_extract(doc, '$.groupId')`,
  created: `json_extract(doc, '$.createdAt')`,
};

function filter(q: RequestQuery, c: Columns, extra: string[] = []): { where: string; args: unknown[] } {
  const where = [...extra];
  const args: unknown[] = [];
  if (q.states?.length) {
    where.push(`${c.state} IN (${q.states.map(() => '?').join(',')})`);
    args.push(...q.states);
  }
  if (q.requesterId) {
    where.push(`${c.requester} = ?`);
    args.push(q.requesterId);
  }
  if (q.groupId) {
    where.push(`${c.group} = ?`);
    args.push(q.groupId);
  }
  if (q.createdFrom) {
    where.push(`${c.created} >= ?`);
    args.push(q.createdFrom);
  }
  if (q.createdTo) {
    where.push(`${c.created} < ?`);
    args.push(q.createdTo);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** A prepare-once cache over a database (bounded: the SQL texts come from a fixed set). */
function statements(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let st = cache.get(sql);
    if (!st) {
      st = db.prepare(sql);
      if (cache.size < 200) cache.set(sql, st);
    }
    return st;
  };
}

/** A SQLite file with its tables: the connection, prepared statements, and closing. */
export abstract class SqliteTables {
  protected readonly db: Database.Database;

  /** Prepared once per distinct SQL text (preparing is a large share of a query's cost). */
  protected readonly stmt: (sql: string) => Database.Statement;

  constructor(file: string, schema: string) {
    this.db = openDatabase(file);
    this.stmt = statements(this.db);
    this.db.exec(schema);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class SqliteRequestStore extends SqliteTables implements RequestStore {
  constructor(file: string) {
    super(
      file,
      `
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
      CREATE INDEX IF NOT EXISTS requests_created ON requests(created_at);
      CREATE TABLE IF NOT EXISTS requests_archive (id TEXT PRIMARY KEY, updated_at TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS requests_archive_created ON requests_archive(${ARCHIVED.created});
      CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, at TEXT NOT NULL);
    `,
    );
  }

  async create(req: SoaRequest): Promise<void> {
    try {
      this.db
        .prepare(
          'INSERT INTO requests (id, version, state, requester_id, group_id, created_at, updated_at, doc) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          req.id,
          req.version,
          req.state,
          req.requester.id,
          req.groupId,
          req.createdAt,
          req.updatedAt,
          JSON.stringify(req),
        );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new CodedError('StaleVersion', `Request ${req.id} already exists.`);
      throw e;
    }
  }

  async get(id: string): Promise<SoaRequest | null> {
    const row = (this.stmt('SELECT doc FROM requests WHERE id = ?').get(id) ??
      this.stmt('SELECT doc FROM requests_archive WHERE id = ?').get(id)) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as SoaRequest) : null;
  }

  async update(next: SoaRequest): Promise<void> {
    const info = this.db
      .prepare('UPDATE requests SET version = ?, state = ?, updated_at = ?, doc = ? WHERE id = ? AND version = ?')
      .run(next.version, next.state, next.updatedAt, JSON.stringify(next), next.id, next.version - 1);
    if (info.changes !== 1) {
      throw new CodedError('StaleVersion', `Request ${next.id} was changed by someone else in the meantime.`, {
        id: next.id,
        expected: next.version - 1,
      });
    }
  }

  async list(q: RequestQuery): Promise<SoaRequest[]> {
    const hot = filter(q, HOT);
    let sql = `SELECT doc, created_at AS created, id FROM requests ${hot.where}`;
    const args = [...hot.args];
    if (q.includeArchived) {
      // An id is in one table at a time (archiving moves it in one transaction); the NOT IN
      // keeps the working copy should an archived id ever be created again.
      const old = filter(q, ARCHIVED, ['id NOT IN (SELECT id FROM requests)']);
      sql += ` UNION ALL SELECT doc, ${ARCHIVED.created} AS created, id FROM requests_archive ${old.where}`;
      args.push(...old.args);
    }
    const dir = q.order === 'oldest' ? 'ASC' : 'DESC';
    sql += ` ORDER BY created ${dir}, id LIMIT ?`;
    args.push(q.limit ?? 50);
    return (this.stmt(sql).all(...args) as Array<{ doc: string }>).map((r) => JSON.parse(r.doc) as SoaRequest);
  }

  async archive(before: string): Promise<number> {
    const states = FINAL_STATES.map(() => '?').join(',');
    const move = this.db.transaction(() => {
      this.stmt(
        'INSERT OR REPLACE INTO requests_archive (id, updated_at, doc) ' +
          `SELECT id, updated_at, doc FROM requests WHERE state IN (${states}) AND updated_at < ?`,
      ).run(...FINAL_STATES, before);
      return this.stmt(`DELETE FROM requests WHERE state IN (${states}) AND updated_at < ?`).run(
        ...FINAL_STATES,
        before,
      ).changes;
    });
    const moved = move();
    // Redelivery ids only matter for minutes.
    this.stmt('DELETE FROM deliveries WHERE at < ?').run(before);
    return moved;
  }

  async firstDelivery(activityId: string): Promise<boolean> {
    return (
      this.stmt('INSERT OR IGNORE INTO deliveries (id, at) VALUES (?, ?)').run(activityId, new Date().toISOString())
        .changes === 1
    );
  }
}
