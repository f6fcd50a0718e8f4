/**
 * A work queue in memory, on the clock it is given, for use-case tests. Faithful where the
 * worker depends on it (the conformance suite runs against it): delays, a message hidden while
 * in hand and handed out again once its visibility runs out, delivery counts, and receipts (a
 * new one on every extension, as Azure Storage Queues do) that must match to extend or complete.
 */
import type { Clock } from '../../src/ports/clock';
import type { Job, ReceivedJob, WorkQueue } from '../../src/ports/queue';

interface Message {
  id: string;
  body: string;
  visibleAt: number;
  dequeueCount: number;
  receipt: string | null;
}

export class InMemoryWorkQueue implements WorkQueue {
  private readonly messages = new Map<string, Message>();
  private sent = 0;
  private receipts = 0;
  private readonly failures: Array<{ op: 'enqueue' | 'receive'; error: Error }> = [];

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  /** The next `op` call fails with `error` (storage trouble). */
  failNext(op: 'enqueue' | 'receive', error: Error): void {
    this.failures.push({ op, error });
  }

  async enqueue(job: Job, delayMs = 0): Promise<void> {
    this.failIfAsked('enqueue');
    const id = String(++this.sent);
    const at = this.now() + Math.max(0, delayMs);
    this.messages.set(id, { id, body: JSON.stringify(job), visibleAt: at, dequeueCount: 0, receipt: null });
  }

  async receive(visibilityMs: number): Promise<ReceivedJob | null> {
    this.failIfAsked('receive');
    const now = this.now();
    const next = [...this.messages.values()]
      .filter((m) => m.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || Number(a.id) - Number(b.id))[0];
    if (!next) return null;
    next.visibleAt = now + visibilityMs;
    next.dequeueCount++;
    next.receipt = `receipt-${++this.receipts}`;
    return { job: JSON.parse(next.body) as Job, dequeueCount: next.dequeueCount, receipt: next.receipt, id: next.id };
  }

  async extend(job: ReceivedJob, visibilityMs: number): Promise<boolean> {
    const m = this.messages.get(job.id);
    if (!m || m.receipt !== job.receipt) return false;
    m.visibleAt = this.now() + visibilityMs;
    m.receipt = job.receipt = `receipt-${++this.receipts}`;
    return true;
  }

  async complete(job: ReceivedJob): Promise<void> {
    if (this.messages.get(job.id)?.receipt === job.receipt) this.messages.delete(job.id);
  }

  async close(): Promise<void> {}

  /** Every message still in the queue, soonest first, with how long until it is visible. */
  waiting(): Array<{ job: Job; inMs: number; dequeueCount: number }> {
    const now = this.now();
    return [...this.messages.values()]
      .sort((a, b) => a.visibleAt - b.visibleAt || Number(a.id) - Number(b.id))
      .map((m) => ({ job: JSON.parse(m.body) as Job, inMs: m.visibleAt - now, dequeueCount: m.dequeueCount }));
  }

  /** Removes every message (a test that drives the use cases by hand starts from an empty queue). */
  clear(): void {
    this.messages.clear();
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private failIfAsked(op: 'enqueue' | 'receive'): void {
    const i = this.failures.findIndex((f) => f.op === op);
    if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
  }
}
