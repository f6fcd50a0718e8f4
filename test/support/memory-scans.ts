/** A scan store in memory, for use-case tests: scans copied in and out as JSON, as the real stores do. */
import { CodedError } from '../../src/domain/errors';
import type { Scan, ScanStore } from '../../src/ports/scans';

export class InMemoryScanStore implements ScanStore {
  private readonly scans = new Map<string, string>();

  async create(scan: Scan): Promise<void> {
    if (this.scans.has(scan.id)) throw new CodedError('StaleVersion', `Scan ${scan.id} already exists.`);
    this.scans.set(scan.id, JSON.stringify(scan));
  }

  async get(id: string): Promise<Scan | null> {
    const doc = this.scans.get(id);
    return doc ? (JSON.parse(doc) as Scan) : null;
  }

  async update(next: Scan): Promise<void> {
    // Read and write with nothing in between (atomic), as the real stores' conditional writes are.
    const doc = this.scans.get(next.id);
    const current = doc ? (JSON.parse(doc) as Scan) : null;
    if (!current || current.version !== next.version - 1)
      throw new CodedError('StaleVersion', `Scan ${next.id} was changed by someone else in the meantime.`);
    this.scans.set(next.id, JSON.stringify(next));
  }

  async recent(limit: number): Promise<Scan[]> {
    const all = [...this.scans.values()].map((d) => JSON.parse(d) as Scan);
    all.sort((a, b) =>
      a.requestedAt === b.requestedAt ? b.id.localeCompare(a.id) : b.requestedAt.localeCompare(a.requestedAt),
    );
    return all.slice(0, Math.max(0, limit));
  }

  async close(): Promise<void> {}
}
