/** Readiness scans in the SQLite file (same file as the request store), versioned like requests. */
import { CodedError } from '../../domain/errors';
import type { Scan, ScanStore } from '../../ports/scans';
import { SqliteTables } from './sqlite-store';

export class SqliteScanStore extends SqliteTables implements ScanStore {
  constructor(file: string) {
    super(
      file,
      `
      CREATE TABLE IF NOT EXISTS scans (
        id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        requested_at TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS scans_requested ON scans(requested_at);
    `,
    );
  }

  async create(scan: Scan): Promise<void> {
    try {
      this.stmt('INSERT INTO scans (id, version, requested_at, doc) VALUES (?, ?, ?, ?)').run(
        scan.id,
        scan.version,
        scan.requestedAt,
        JSON.stringify(scan),
      );
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new CodedError('StaleVersion', `Scan ${scan.id} already exists.`);
      throw e;
    }
  }

  async get(id: string): Promise<Scan | null> {
    const row = this.stmt('SELECT doc FROM scans WHERE id = ?').get(id) as { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Scan) : null;
  }

  async update(next: Scan): Promise<void> {
    const info = this.stmt('UPDATE scans SET version = ?, doc = ? WHERE id = ? AND version = ?').run(
      next.version,
      JSON.stringify(next),
      next.id,
      next.version - 1,
    );
    if (info.changes !== 1)
      throw new CodedError('StaleVersion', `Scan ${next.id} was changed by someone else in the meantime.`, {
        id: next.id,
        expected: next.version - 1,
      });
  }

  async recent(limit: number): Promise<Scan[]> {
    const rows = this.stmt('SELECT doc FROM scans ORDER BY requested_at DESC, id DESC LIMIT ?').all(limit) as Array<{
      doc: string;
    }>;
    return rows.map((r) => JSON.parse(r.doc) as Scan);
  }
}
