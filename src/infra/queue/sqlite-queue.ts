/** The work queue on one machine: a table in the SQLite file, shared by local processes. */
import { randomUUID } from 'node:crypto';
import type { Job, ReceivedJob, WorkQueue } from '../../ports/queue';
import { SqliteTables } from '../storage/sqlite-store';

export class SqliteWorkQueue extends SqliteTables implements WorkQueue {
  constructor(file: string) {
    super(
      file,
      `
      CREATE TABLE IF NOT EXISTS jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        body TEXT NOT NULL,
        visible_at INTEGER NOT NULL,
        dequeue_count INTEGER NOT NULL DEFAULT 0,
        receipt TEXT
      );
      CREATE INDEX IF NOT EXISTS jobs_visible ON jobs(visible_at);
    `,
    );
  }

  async enqueue(job: Job, delayMs = 0): Promise<void> {
    this.stmt('INSERT INTO jobs (body, visible_at) VALUES (?, ?)').run(
      JSON.stringify(job),
      Date.now() + Math.max(0, delayMs),
    );
  }

  async receive(visibilityMs: number): Promise<ReceivedJob | null> {
    const now = Date.now();
    const receipt = randomUUID();
    // IMMEDIATE takes the write lock first, so two processes never hand out the same message.
    const take = this.db.transaction(() => {
      const row = this.stmt(
        'SELECT id, body, dequeue_count FROM jobs WHERE visible_at <= ? ORDER BY visible_at, id LIMIT 1',
      ).get(now) as { id: number; body: string; dequeue_count: number } | undefined;
      if (!row) return null;
      this.stmt('UPDATE jobs SET visible_at = ?, receipt = ?, dequeue_count = dequeue_count + 1 WHERE id = ?').run(
        now + visibilityMs,
        receipt,
        row.id,
      );
      return { job: JSON.parse(row.body) as Job, dequeueCount: row.dequeue_count + 1, receipt, id: String(row.id) };
    });
    return take.immediate();
  }

  async extend(job: ReceivedJob, visibilityMs: number): Promise<boolean> {
    return (
      this.stmt('UPDATE jobs SET visible_at = ? WHERE id = ? AND receipt = ?').run(
        Date.now() + visibilityMs,
        Number(job.id),
        job.receipt,
      ).changes === 1
    );
  }

  async complete(job: ReceivedJob): Promise<void> {
    this.stmt('DELETE FROM jobs WHERE id = ? AND receipt = ?').run(Number(job.id), job.receipt);
  }

  /** Messages waiting, for tests and diagnostics. */
  size(): number {
    return (this.stmt('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
  }
}
