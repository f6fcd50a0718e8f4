/**
 * The worker loop: takes jobs from the durable queue, a few at once but one per request,
 * keeps each hidden while it runs (heartbeat), and settles it (done, retried, rescheduled).
 */
import { isCoded } from '../../domain/errors';
import type { Job, ReceivedJob } from '../../ports/queue';
import { pollAudit } from './audit';
import { execute } from './execution';
import { expireJob } from './expiry';
import { remind, sweep } from './follow-up';
import { remindScheduled } from './schedule';
import { readScan } from './readiness-hop';
import { errorText, type Outcome, type ServicePorts } from './shared';
import { pollTakeover } from './takeover';
import { endTrial, remindTrial } from './trial';
import { watch } from './watch';

/** The sweep for approved requests whose job was lost runs at most this often (and takes only older ones). */
const SWEEP_MIN_MS = 10 * 60_000;

/** A job whose request already has one in hand here comes back after this long. */
const BUSY_RETRY_MS = 250;

export class Worker {
  /** Jobs in hand, and the requests they are for: one job per request at a time on this instance. */
  private readonly jobs = new Set<Promise<void>>();
  private readonly busy = new Set<string>();
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly ports: ServicePorts) {}

  /** Starts the loop: takes jobs from the durable queue until stop(). */
  start(): void {
    if (this.loop) return;
    const { clock, logger, settings } = this.ports;
    const { visibilityMs, pollMs } = settings.worker;
    const concurrency = Math.max(1, settings.worker.concurrency ?? 1);
    // An approval is stored before its job is queued: if the queue write failed (storage
    // trouble between the two), the request would wait for a restart. Every sweep interval,
    // approved requests that did not start get their job again (running a job twice is
    // harmless; executions already started have their own message, which reappears).
    // Rare on purpose: under a backlog, approved requests wait for their turn, and requeueing
    // them often would only add duplicates to the backlog.
    const sweepMs = Math.max(10 * visibilityMs, SWEEP_MIN_MS);
    let lastSweep = clock.now().getTime();
    this.loop = (async () => {
      while (!this.stopping) {
        if (clock.now().getTime() - lastSweep >= sweepMs) {
          lastSweep = clock.now().getTime();
          await sweep(this.ports, sweepMs).catch((e) => logger.warn('sweep failed', { error: errorText(e) }));
        }
        if (this.jobs.size >= concurrency) {
          await Promise.race(this.jobs);
          continue;
        }
        let received: ReceivedJob | null = null;
        try {
          received = await this.ports.queue.receive(visibilityMs);
        } catch (e) {
          logger.warn('queue receive failed', { error: errorText(e) });
        }
        if (!received) {
          await clock.sleep(pollMs);
          continue;
        }
        const run = this.handle(received).finally(() => this.jobs.delete(run));
        this.jobs.add(run);
      }
      await Promise.all(this.jobs);
    })();
  }

  /** Stops taking jobs and waits for the loop to end; the jobs in hand finish first. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop;
  }

  /** The jobs being handled right now. */
  inHand(): Array<Promise<void>> {
    return [...this.jobs];
  }

  private async handle(r: ReceivedJob): Promise<void> {
    const { queue, settings, logger } = this.ports;
    // Another job for this request is in hand here: this one waits its turn, unchanged
    // (leases guard the same request across instances).
    if (this.busy.has(r.job.requestId)) return this.settle(r, r.job, { afterMs: BUSY_RETRY_MS });
    this.busy.add(r.job.requestId);
    // Heartbeat: a job that runs longer than the visibility window (a long plan, slow Graph)
    // keeps its message hidden, so it is not handed out again while this worker is alive.
    const { visibilityMs } = settings.worker;
    const heartbeat = setInterval(
      () => void queue.extend(r, visibilityMs).catch(() => undefined),
      Math.max(50, visibilityMs / 2),
    );
    heartbeat.unref();
    let outcome: Outcome = 'done';
    try {
      outcome = await runJob(this.ports, r.job, r.dequeueCount);
    } catch (e) {
      // Left in the queue: it becomes visible again and is retried.
      outcome = 'retry';
      logger.warn('job failed', {
        kind: r.job.kind,
        requestId: r.job.requestId,
        attempt: r.dequeueCount,
        code: isCoded(e) ? e.code : 'unexpected',
        error: errorText(e),
      });
    } finally {
      clearInterval(heartbeat);
      this.busy.delete(r.job.requestId);
    }
    // A rescheduled try counts: the new message carries the tries so far.
    await this.settle(r, { ...r.job, attempt: (r.job.attempt ?? 0) + r.dequeueCount }, outcome);
  }

  private async settle(r: ReceivedJob, again: Job, outcome: Outcome): Promise<void> {
    const { queue, logger } = this.ports;
    if (typeof outcome === 'object') {
      // Retry at the time asked for: a new message, then this one goes. A crash in between
      // leaves both; running a job twice is harmless.
      try {
        await queue.enqueue(again, outcome.afterMs);
      } catch (e) {
        logger.warn('retry could not be scheduled; the message reappears instead', {
          requestId: r.job.requestId,
          error: String(e),
        });
        return;
      }
    }
    if (outcome !== 'retry')
      await queue.complete(r).catch((e) => logger.warn('job completion failed', { error: String(e) }));
  }
}

function runJob(ports: ServicePorts, job: Job, dequeueCount: number): Promise<Outcome> {
  switch (job.kind) {
    // Tries so far: earlier messages (rescheduled after throttling) and this one's deliveries.
    case 'execute':
      return execute(ports, job.requestId, (job.attempt ?? 0) + dequeueCount);
    case 'audit':
      return pollAudit(ports, job.requestId, job.attempt ?? 0);
    case 'takeover':
      return pollTakeover(ports, job.requestId, job.attempt ?? 0);
    case 'remind':
      return remind(ports, job.requestId);
    case 'expire':
      return expireJob(ports, job.requestId);
    case 'watch':
      return watch(ports, job.requestId, job.attempt ?? 0);
    case 'scheduleReminder':
      return remindScheduled(ports, job.requestId);
    case 'trialReminder':
      return remindTrial(ports, job.requestId);
    case 'trialEnd':
      return endTrial(ports, job.requestId);
    case 'readiness':
      return readScan(ports, job.requestId, dequeueCount);
  }
}
