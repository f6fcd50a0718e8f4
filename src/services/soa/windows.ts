/**
 * Change windows at execution time: an approved request waits for its window, and a plan that
 * reaches a window's end pauses at a step boundary and resumes at the next window by itself.
 */
import { isCoded } from '../../domain/errors';
import { planCounts } from '../../domain/plan';
import { transition, type SoaRequest } from '../../domain/request';
import { isInside, nextOpening, startAt } from '../../domain/windows';
import { save, type Outcome, type ServicePorts } from './shared';

/** The longest delay of one queue hop (Azure Storage Queues refuse over 7 days); a job early for its time re-queues. */
export const MAX_HOP_MS = 6 * 86_400_000;

/**
 * What an approval records: when the request may start (`notBefore`: its own time when it has a
 * later one, else now), moved to the next window's opening when that is outside every window.
 * Nothing when it may start now (an earlier `notBefore` stays: use `.notBefore` to clear it).
 */
export function windowHold(ports: ServicePorts, req: SoaRequest): { notBefore?: string; windowZone?: string } {
  const now = ports.clock.now();
  const from = req.notBefore && req.notBefore > now.toISOString() ? new Date(req.notBefore) : now;
  const w = ports.settings.windows;
  const at = startAt(w, from);
  return at.getTime() > now.getTime() ? { notBefore: at.toISOString(), ...(w ? { windowZone: w.zone } : {}) } : {};
}

/** The execute job again, when `due` comes (or after the longest hop, to look again). */
async function requeue(ports: ServicePorts, id: string, due: Date): Promise<void> {
  const wait = Math.min(due.getTime() - ports.clock.now().getTime(), MAX_HOP_MS);
  await ports.queue.enqueue({ kind: 'execute', requestId: id }, Math.max(0, wait));
}

/**
 * An execute job for an approved request that may not start yet: it is queued again for its
 * time and the job ends ('done'); null when it may start now. Before `notBefore`, it waits
 * (part C1 owns this check: the lead keeps one at the merge). Outside every window, as when a
 * job comes late (a backlog, a restart) after its window closed, it waits for the next one,
 * and the card says when.
 */
export async function heldBack(ports: ServicePorts, req: SoaRequest): Promise<Outcome | null> {
  const now = ports.clock.now();
  if (req.notBefore && req.notBefore > now.toISOString()) {
    await requeue(ports, req.id, new Date(req.notBefore));
    return 'done';
  }
  const w = ports.settings.windows;
  if (!w || isInside(w, now)) return null;
  const next = nextOpening(w, now);
  try {
    await save(ports, {
      ...req,
      notBefore: next.toISOString(),
      windowZone: w.zone,
      version: req.version + 1,
      updatedAt: now.toISOString(),
    });
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return 'retry';
    throw e;
  }
  await requeue(ports, req.id, next);
  return 'done';
}

/**
 * Before a plan's next step: outside every window (the one it ran in has closed), the plan
 * pauses, approved again with the same approver, and its execute job waits for the next
 * opening; the card and the thread say so. null: the step may start.
 */
export async function pausedAtWindowEnd(ports: ServicePorts, req: SoaRequest): Promise<Outcome | null> {
  const w = ports.settings.windows;
  const now = ports.clock.now();
  if (!w || isInside(w, now)) return null;
  const next = nextOpening(w, now);
  const c = planCounts(req.plan!);
  const note = ports.presenter.notice({
    kind: 'windowPaused',
    done: c.done,
    steps: req.plan!.steps.length,
    resumesAt: next.toISOString(),
    zone: w.zone,
  });
  try {
    await save(
      ports,
      transition(
        req,
        'approved',
        now,
        { notBefore: next.toISOString(), windowZone: w.zone, pausedAt: now.toISOString(), lease: undefined },
        { note },
      ),
    );
  } catch (e) {
    // Another instance took the plan over meanwhile: it carries on.
    if (isCoded(e, 'StaleVersion')) return 'retry';
    throw e;
  }
  ports.logger.info('plan paused at the change window end', {
    requestId: req.id,
    done: c.done,
    resumesAt: next.toISOString(),
  });
  await requeue(ports, req.id, next);
  return 'done';
}
