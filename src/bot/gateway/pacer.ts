/**
 * The pacer behind every outgoing Bot Connector call: one ordered lane per conversation, each
 * call started only when the conversation's and the tenant's windows allow it, transient
 * failures retried in place (so later calls of the lane keep their order), and updates of the
 * same activity that wait in a lane collapsed to the newest.
 */
import { PER_CONVERSATION, PER_TENANT, type RateWindow } from './limits';
import { backoffMs, DEFAULT_RETRY, isTransient, retryAfterMs, statusOf, type RetryPolicy } from './retry';
import { SlidingWindows } from './windows';

/** Time as the pacer sees it: real timers in the bot, a manual clock in tests. */
export interface Timers {
  now(): number;
  after(ms: number, run: () => void): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  after: (ms, run) => void setTimeout(run, ms),
};

export interface PacerOptions {
  perConversation?: readonly RateWindow[];
  perTenant?: readonly RateWindow[];
  retry?: RetryPolicy;
  timers?: Timers;
  random?: () => number;
  /** Told of every retry (with its status and wait) and every call given up. */
  onRetry?: (e: { lane: string; status: number | null; attempt: number; waitMs: number }) => void;
}

export interface Call<T> {
  /** The conversation (its lane): calls of one lane run one at a time, in order. */
  lane: string;
  tenant: string;
  /** Calls with the same key waiting in the lane collapse to the newest (card updates). */
  coalesce?: string;
  /** false: the caller's client retries by itself; the pacer only paces. */
  retry?: boolean;
  /**
   * Only now or never (a typing indicator): when the lane is busy or its windows are full the
   * call is not made, and the promise resolves with undefined at once.
   */
  nowOrNever?: boolean;
  run: () => Promise<T>;
}

/** What the pacer did since it started. */
export interface PacerCounts {
  calls: number;
  throttled: number;
  retries: number;
  coalesced: number;
  failed: number;
  /** Typing indicators not sent because their conversation was busy. */
  skipped: number;
}

interface Waiter {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Job {
  call: Call<unknown>;
  attempt: number;
  waiters: Waiter[];
}

interface Lane {
  key: string;
  tenant: string;
  jobs: Job[];
  running: boolean;
  pausedUntil: number;
  timerAt: number | undefined;
  windows: SlidingWindows;
}

export class Pacer {
  private readonly lanes = new Map<string, Lane>();
  private readonly tenants = new Map<string, SlidingWindows>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly retry: RetryPolicy;
  readonly counts: PacerCounts = { calls: 0, throttled: 0, retries: 0, coalesced: 0, failed: 0, skipped: 0 };

  constructor(private readonly o: PacerOptions = {}) {
    this.timers = o.timers ?? realTimers;
    this.random = o.random ?? Math.random;
    this.retry = o.retry ?? DEFAULT_RETRY;
  }

  submit<T>(call: Call<T>): Promise<T> {
    const lane = this.laneOf(call.lane, call.tenant);
    if (call.nowOrNever && !this.freeNow(lane)) {
      this.counts.skipped += 1;
      return Promise.resolve(undefined as T);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { resolve: resolve as (v: unknown) => void, reject };
      // Not the running one: its call is on the wire and may carry the older content.
      const waiting = call.coalesce
        ? lane.jobs.find((j, i) => j.call.coalesce === call.coalesce && !(i === 0 && lane.running))
        : undefined;
      if (waiting) {
        waiting.call = call as Call<unknown>;
        waiting.waiters.push(waiter);
        this.counts.coalesced += 1;
        return;
      }
      lane.jobs.push({ call: call as Call<unknown>, attempt: 0, waiters: [waiter] });
      this.pump(lane);
    });
  }

  /** Calls waiting or running, over every lane. */
  pending(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.jobs.length;
    return n;
  }

  private laneOf(key: string, tenant: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      if (this.lanes.size >= 1_000) this.forgetIdle();
      lane = {
        key,
        tenant,
        jobs: [],
        running: false,
        pausedUntil: 0,
        timerAt: undefined,
        windows: new SlidingWindows(this.o.perConversation ?? PER_CONVERSATION),
      };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Lanes with nothing waiting and nothing left in their windows. */
  private forgetIdle(): void {
    const now = this.timers.now();
    for (const [key, lane] of this.lanes)
      if (!lane.running && lane.jobs.length === 0 && lane.windows.size(now) === 0) this.lanes.delete(key);
  }

  private freeNow(lane: Lane): boolean {
    const now = this.timers.now();
    if (lane.running || lane.jobs.length > 0 || lane.pausedUntil > now) return false;
    return lane.windows.nextFree(now) <= now && this.tenantOf(lane.tenant).nextFree(now) <= now;
  }

  private tenantOf(tenant: string): SlidingWindows {
    let w = this.tenants.get(tenant);
    if (!w) {
      w = new SlidingWindows(this.o.perTenant ?? PER_TENANT);
      this.tenants.set(tenant, w);
    }
    return w;
  }

  private pump(lane: Lane): void {
    if (lane.running || lane.jobs.length === 0) return;
    const now = this.timers.now();
    const tenant = this.tenantOf(lane.tenant);
    const at = Math.max(lane.pausedUntil, lane.windows.nextFree(now), tenant.nextFree(now));
    if (at > now) {
      this.wake(lane, at);
      return;
    }
    const job = lane.jobs[0]!;
    lane.running = true;
    job.attempt += 1;
    this.counts.calls += 1;
    const doneHere = lane.windows.record(now);
    const doneTenant = tenant.record(now);
    const settle = () => {
      const end = this.timers.now();
      doneHere(end);
      doneTenant(end);
      lane.running = false;
    };
    // A call that throws before its promise exists fails like any other, and frees the lane.
    new Promise<unknown>((resolve) => resolve(job.call.run())).then(
      (value) => {
        settle();
        this.finish(lane, job, (w) => w.resolve(value));
      },
      (e: unknown) => {
        settle();
        this.failed(lane, job, e);
      },
    );
  }

  private failed(lane: Lane, job: Job, e: unknown): void {
    const status = statusOf(e);
    if (status === 429) this.counts.throttled += 1;
    const retried = job.call.retry !== false && isTransient(e) && job.attempt < this.retry.attempts;
    if (!retried) {
      this.counts.failed += 1;
      this.finish(lane, job, (w) => w.reject(e));
      return;
    }
    const now = this.timers.now();
    const waitMs = backoffMs(this.retry, job.attempt, this.random, retryAfterMs(e, now));
    this.counts.retries += 1;
    this.o.onRetry?.({ lane: lane.key, status: status ?? null, attempt: job.attempt, waitMs });
    lane.pausedUntil = now + waitMs;
    this.pump(lane);
  }

  private finish(lane: Lane, job: Job, tell: (w: Waiter) => void): void {
    lane.jobs.shift();
    for (const w of job.waiters) tell(w);
    this.pump(lane);
  }

  /** One timer per lane, at the earliest time it waits for. */
  private wake(lane: Lane, at: number): void {
    if (lane.timerAt !== undefined && lane.timerAt <= at) return;
    lane.timerAt = at;
    this.timers.after(at - this.timers.now(), () => {
      if (lane.timerAt !== at) return;
      lane.timerAt = undefined;
      this.pump(lane);
    });
  }
}
