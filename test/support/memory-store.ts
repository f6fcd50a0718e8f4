/**
 * A request store in memory, for use-case tests. Faithful where the services depend on it
 * (the conformance suite runs against it): documents are copied in and out as JSON, `update`
 * checks the version, finished requests can be archived, a delivery id is accepted once.
 */
import { CodedError } from '../../src/domain/errors';
import { FINAL_STATES, type SoaRequest } from '../../src/domain/request';
import type { RequestQuery, RequestStore } from '../../src/ports/store';

export class InMemoryRequestStore implements RequestStore {
  private readonly working = new Map<string, string>();
  private readonly archived = new Map<string, string>();
  private readonly deliveries = new Map<string, string>();
  private beforeNextUpdate: (() => Promise<void>) | null = null;

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Runs `write` once, just before the next update is checked: another writer got there first. */
  interleave(write: () => Promise<void>): void {
    this.beforeNextUpdate = write;
  }

  async create(req: SoaRequest): Promise<void> {
    if (this.working.has(req.id)) throw new CodedError('StaleVersion', `Request ${req.id} already exists.`);
    this.working.set(req.id, JSON.stringify(req));
  }

  async get(id: string): Promise<SoaRequest | null> {
    const doc = this.working.get(id) ?? this.archived.get(id);
    return doc ? (JSON.parse(doc) as SoaRequest) : null;
  }

  async update(next: SoaRequest): Promise<void> {
    const first = this.beforeNextUpdate;
    this.beforeNextUpdate = null;
    if (first) await first();
    const doc = this.working.get(next.id);
    if (!doc || (JSON.parse(doc) as SoaRequest).version !== next.version - 1)
      throw new CodedError('StaleVersion', `Request ${next.id} was changed by someone else in the meantime.`, {
        id: next.id,
        expected: next.version - 1,
      });
    this.working.set(next.id, JSON.stringify(next));
  }

  async list(q: RequestQuery): Promise<SoaRequest[]> {
    const docs = [...this.working.values()];
    if (q.includeArchived) for (const [id, doc] of this.archived) if (!this.working.has(id)) docs.push(doc);
    const dir = q.order === 'oldest' ? 1 : -1;
    return docs
      .map((d) => JSON.parse(d) as SoaRequest)
      .filter(
        (r) =>
          (!q.states?.length || q.states.includes(r.state)) &&
          (!q.requesterId || r.requester.id === q.requesterId) &&
          (!q.groupId || r.groupId === q.groupId) &&
          (!q.createdFrom || r.createdAt >= q.createdFrom) &&
          (!q.createdTo || r.createdAt < q.createdTo),
      )
      .sort((a, b) => (a.createdAt === b.createdAt ? cmp(a.id, b.id) : dir * cmp(a.createdAt, b.createdAt)))
      .slice(0, q.limit ?? 50);
  }

  async archive(before: string): Promise<number> {
    let moved = 0;
    for (const [id, doc] of this.working) {
      const r = JSON.parse(doc) as SoaRequest;
      if (!FINAL_STATES.includes(r.state) || r.updatedAt >= before) continue;
      this.archived.set(id, doc);
      this.working.delete(id);
      moved++;
    }
    for (const [id, at] of this.deliveries) if (at < before) this.deliveries.delete(id);
    return moved;
  }

  async firstDelivery(activityId: string): Promise<boolean> {
    if (this.deliveries.has(activityId)) return false;
    this.deliveries.set(activityId, this.now().toISOString());
    return true;
  }

  async close(): Promise<void> {}
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
