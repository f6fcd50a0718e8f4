/** Keeping work moving: the reminder of a waiting request, the sweep for lost jobs, the jobs again on start. */
import { isCoded } from '../../domain/errors';
import { hopDelay } from '../../domain/schedule';
import type { Job } from '../../ports/queue';
import type { ServicePorts } from './shared';

/** Reads before giving up when other writes keep landing between a read and the reminder's write. */
const REMIND_ROUNDS = 3;

/**
 * One reminder in the thread for a request still waiting for a decision. A write that lands
 * between the read and the reminder's own (the card recorded, a decision, the same reminder
 * from another instance) sends it round again on a fresh read, whose checks then decide.
 */
export async function remind(ports: ServicePorts, id: string): Promise<'done' | 'retry'> {
  const now = () => ports.clock.now().toISOString();
  for (let round = 1; ; round++) {
    const req = await ports.store.get(id);
    if (!req || req.state !== 'awaiting_approval' || req.remindedAt) return 'done';
    if (req.expiresAt <= now()) return 'done';
    try {
      await ports.store.update({ ...req, remindedAt: now(), version: req.version + 1 });
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      if (round >= REMIND_ROUNDS) return 'retry';
      continue;
    }
    await ports.notifier.post(req.anchor, ports.presenter.reminder(req));
    return 'done';
  }
}

/**
 * Approved requests that have not started for longer than `staleMs` get an execute job (not
 * those waiting for their time).
 */
export async function sweep(ports: ServicePorts, staleMs: number): Promise<number> {
  const stale = new Date(ports.clock.now().getTime() - staleMs).toISOString();
  const now = ports.clock.now().toISOString();
  // A request waiting for its time (a scheduled one, or a change window) is not stuck: its job
  // waits in the queue until then, and another would only duplicate it.
  const stuck = (await ports.store.list({ states: ['approved'], limit: 500 })).filter(
    (r) => r.updatedAt < stale && !(r.notBefore && r.notBefore > now),
  );
  for (const r of stuck) await ports.queue.enqueue({ kind: 'execute', requestId: r.id });
  if (stuck.length) ports.logger.info('requeued stalled executions', { count: stuck.length });
  return stuck.length;
}

/** On start: make sure every unfinished request has its job (duplicates are harmless). */
export async function resume(ports: ServicePorts): Promise<number> {
  const open = await ports.store.list({
    states: ['approved', 'executing', 'awaiting_audit', 'waiting_for_sync', 'awaiting_approval'],
    limit: 500,
  });
  for (const r of open) {
    const kind: Job['kind'] =
      r.state === 'awaiting_approval'
        ? 'expire'
        : r.state === 'waiting_for_sync'
          ? 'takeover'
          : r.state === 'awaiting_audit'
            ? 'audit'
            : 'execute';
    // Expiry, and an approved request's time, at most one queue hop ahead (the job re-queues itself for the rest).
    const at = kind === 'expire' ? r.expiresAt : kind === 'execute' ? r.notBefore : undefined;
    const delay = at ? hopDelay(at, ports.clock.now()) : 0;
    await ports.queue.enqueue({ kind, requestId: r.id, attempt: 0 }, delay);
  }
  return open.filter((r) => r.state !== 'awaiting_approval').length;
}
