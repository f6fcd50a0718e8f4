/**
 * Scheduled switches: the time read in the change zone, the jobs that carry a request to its
 * time (queued in hops: Azure Storage Queues hide a message for at most 7 days), the reminder an
 * hour ahead, "not approved by its time", and execution held until `notBefore`.
 */
import { isCoded } from '../../domain/errors';
import { cardVersion, isWaitingToStart, type SoaRequest } from '../../domain/request';
import { hopDelay, readWhen, type WhenReading } from '../../domain/schedule';
import type { Job } from '../../ports/queue';
import { gate, type Decision } from './click-gate';
import { mustGet, type ServicePorts } from './shared';
import { windowRefusal } from '../../domain/windows';

/** The reminder to the approvers of a scheduled switch comes this long before it starts. */
export const SCHEDULE_REMINDER_MS = 3_600_000;

/** A scheduled time as the service keeps it: read in `zone`. */
export type ScheduleReading = WhenReading & { zone: string };

/** The zone and the horizon the service reads times with (UTC and 30 days unless set). */
export function scheduleSettings(ports: ServicePorts): { zone: string; maxDays: number } {
  return ports.settings.schedule ?? { zone: 'UTC', maxDays: 30 };
}

/** Reads a time clause ("on Saturday at 22:00") now, in CHANGE_TIMEZONE; refused readings say why. */
export function readSchedule(ports: ServicePorts, text: string): ScheduleReading {
  const { zone, maxDays } = scheduleSettings(ports);
  const r = readWhen(text, ports.clock.now(), zone, maxDays);
  // With change windows set, a time outside every one is refused, naming the next window.
  const outside = r.ok ? windowRefusal(r.at, ports.settings.windows) : null;
  if (r.ok && outside) return { ok: false, problem: 'outsideWindows', text, at: r.at, ...outside, zone };
  return { ...r, zone };
}

/** The fields a new request takes from an accepted reading (none without one). */
export function scheduleFields(
  ports: ServicePorts,
  s: ScheduleReading | undefined,
): Pick<SoaRequest, 'scheduledFor' | 'notBefore' | 'schedule'> {
  if (!s?.ok) return {};
  const at = s.at.toISOString();
  return {
    scheduledFor: at,
    notBefore: at,
    schedule: { zone: s.zone, ...(s.adjusted ? { adjusted: s.adjusted } : {}) },
  };
}

/** The expiry of a new request: a scheduled one waits for its approval until one TTL after its time. */
export function expiresAtFor(ports: ServicePorts, now: Date, scheduledFor?: string): Date {
  const from = scheduledFor ? new Date(scheduledFor) : now;
  return new Date(from.getTime() + ports.settings.requestTtlMs);
}

/** Queues a job for `at` (the first hop of it, when it is further than a queue can hide a message). */
export function enqueueAt(ports: ServicePorts, job: Job, at: string | Date): Promise<void> {
  return ports.queue.enqueue(job, hopDelay(at, ports.clock.now()));
}

/** The delay of a job for `at` from now, at most one hop. */
export function hopDelayFrom(ports: ServicePorts, at: string | Date): number {
  return hopDelay(at, ports.clock.now());
}

/** For a new scheduled request: its execute job at its time, and the reminder an hour before. */
export async function queueScheduleJobs(ports: ServicePorts, req: SoaRequest): Promise<void> {
  if (!req.scheduledFor) return;
  await enqueueAt(ports, { kind: 'execute', requestId: req.id }, req.scheduledFor);
  const remindAt = new Date(req.scheduledFor).getTime() - SCHEDULE_REMINDER_MS;
  if (remindAt > ports.clock.now().getTime())
    await enqueueAt(ports, { kind: 'scheduleReminder', requestId: req.id }, new Date(remindAt));
}

/**
 * The start of the execute job: a request whose time has not come goes back to the queue for
 * the rest (an early or duplicate job is harmless); a scheduled request still waiting for its
 * approval at its time says so in the thread, once. True when the job is done with it.
 */
export async function holdUntilItsTime(ports: ServicePorts, req: SoaRequest): Promise<boolean> {
  const now = ports.clock.now();
  const waitingFor =
    req.state === 'approved' ? req.notBefore : req.state === 'awaiting_approval' ? req.scheduledFor : undefined;
  if (waitingFor && new Date(waitingFor).getTime() > now.getTime()) {
    await enqueueAt(ports, { kind: 'execute', requestId: req.id }, waitingFor);
    return true;
  }
  if (req.state === 'awaiting_approval' && req.scheduledFor) {
    await notice(ports, req.id, 'late');
    return true;
  }
  return false;
}

/** The reminder job an hour before a scheduled switch: early, it waits again; once per request. */
export async function remindScheduled(ports: ServicePorts, id: string): Promise<'done' | 'retry'> {
  const req = await ports.store.get(id);
  if (!req?.scheduledFor || !['awaiting_approval', 'approved'].includes(req.state)) return 'done';
  const at = new Date(new Date(req.scheduledFor).getTime() - SCHEDULE_REMINDER_MS);
  if (at.getTime() > ports.clock.now().getTime()) {
    await enqueueAt(ports, { kind: 'scheduleReminder', requestId: id }, at);
    return 'done';
  }
  return notice(ports, id, 'soon');
}

/** Reads before giving up when other writes keep landing between the read and the notice's own. */
const NOTICE_ROUNDS = 3;

/**
 * Posts a scheduled request's notice once: the mark is written first (versioned), so a second
 * job, on this instance or another, finds it and stays quiet.
 */
async function notice(ports: ServicePorts, id: string, kind: 'soon' | 'late'): Promise<'done' | 'retry'> {
  for (let round = 1; ; round++) {
    const req = await ports.store.get(id);
    if (!req?.schedule) return 'done';
    const open =
      kind === 'late' ? req.state === 'awaiting_approval' : ['awaiting_approval', 'approved'].includes(req.state);
    const sent = kind === 'late' ? req.schedule.lateAt : req.schedule.remindedAt;
    if (!open || sent) return 'done';
    const now = ports.clock.now().toISOString();
    const mark = kind === 'late' ? { lateAt: now } : { remindedAt: now };
    try {
      await ports.store.update({ ...req, schedule: { ...req.schedule, ...mark }, version: req.version + 1 });
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      if (round >= NOTICE_ROUNDS) return 'retry';
      continue;
    }
    await ports.notifier.post(req.anchor, ports.presenter.scheduleLine(req, kind));
    return 'done';
  }
}

/** The gate of a rejection: a scheduled request approved ahead of its time can still be rejected until it starts. */
export async function rejectGate(
  ports: ServicePorts,
  id: string,
  version: number,
): Promise<{ req: SoaRequest } | Decision> {
  const req = await mustGet(ports, id);
  if (!isWaitingToStart(req)) return gate(ports, id, version);
  if (cardVersion(req) !== version)
    return {
      outcome: 'stale',
      request: req,
      message: ports.presenter.notice({ kind: 'staleCard', requestId: req.id, what: 'request' }),
    };
  return { req };
}
