/**
 * Confirming a switch in the directory's audit log: one look per job, the next look scheduled
 * with backoff while the entry is not visible, and a note when it never shows in time.
 */
import { isCoded } from '../../domain/errors';
import { transition, type AuditConfirmation, type Plan, type SoaRequest } from '../../domain/request';
import { announce, save, type ServicePorts } from './shared';
import { queueTrialJobs } from './trial';

/** Tolerated clock skew between this host and the directory. */
const SKEW_MS = 120_000;

/** Audit queries take whole seconds. */
const sinceFor = (ms: number) => new Date(ms - SKEW_MS).toISOString().replace(/\.\d+Z$/, 'Z');

/** Where a request goes once its audit is settled, with its follow-up job. */
async function confirmed(ports: ServicePorts, req: SoaRequest): Promise<'completed' | 'waiting_for_sync'> {
  const next = req.action === 'move' ? 'completed' : 'waiting_for_sync';
  if (next === 'completed')
    await ports.queue.enqueue({ kind: 'watch', requestId: req.id, attempt: 0 }, ports.settings.syncWatch.intervalMs);
  return next;
}

async function takeoverNext(ports: ServicePorts, saved: SoaRequest): Promise<void> {
  if (saved.state === 'waiting_for_sync')
    await ports.queue.enqueue(
      { kind: 'takeover', requestId: saved.id, attempt: 0 },
      ports.settings.syncWatch.intervalMs,
    );
}

function lookAgain(ports: ServicePorts, id: string, attempt: number): Promise<void> {
  const { firstDelayMs, maxDelayMs } = ports.settings.audit;
  return ports.queue.enqueue(
    { kind: 'audit', requestId: id, attempt: attempt + 1 },
    Math.min(firstDelayMs * 2 ** (attempt + 1), maxDelayMs),
  );
}

/** One look at the audit log; "not visible yet" schedules the next look, with backoff. */
export async function pollAudit(ports: ServicePorts, id: string, attempt: number): Promise<'done' | 'retry'> {
  const req = await ports.store.get(id);
  if (!req) return 'done';
  if (req.plan) return pollPlanAudit(ports, req, attempt);
  if (req.state === 'waiting_for_sync') {
    await ports.queue.enqueue({ kind: 'takeover', requestId: id, attempt: 0 });
    return 'done';
  }
  if (req.state !== 'awaiting_audit') return 'done';
  const { timeoutMs } = ports.settings.audit;
  const switched = new Date(req.switchedAt ?? req.updatedAt).getTime();
  let audit = null;
  try {
    audit = await ports.directory.app().findSoaAudit(req.groupId, req.action, sinceFor(switched));
  } catch (e) {
    ports.logger.warn('audit poll failed', { requestId: id, code: isCoded(e) ? e.code : 'unexpected' });
  }
  const late = ports.clock.now().getTime() >= switched + timeoutMs;
  if (!audit && !late) {
    await lookAgain(ports, id, attempt);
    return 'done';
  }
  const next = await confirmed(ports, req);
  const note = audit ? undefined : ports.presenter.notice({ kind: 'auditNotVisible', withinMs: timeoutMs });
  // A trial's reminder and end jobs, queued before the move is stored as completed: after a crash
  // in between, this job runs again (and queues them again, which is harmless); after the
  // completed state is stored, nothing would bring them back.
  if (next === 'completed') await queueTrialJobs(ports, req);
  try {
    const saved = await save(
      ports,
      transition(req, next, ports.clock.now(), audit ? { audit } : {}, note ? { note } : undefined),
    );
    await takeoverNext(ports, saved);
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return 'done'; // another instance confirmed it
    throw e;
  }
  return 'done';
}

/**
 * A plan's audit confirmations: one listing of the action's entries since the first switch,
 * matched to the steps by group id. Also runs for a stopped plan (its switched steps).
 */
async function pollPlanAudit(ports: ServicePorts, req: SoaRequest, attempt: number): Promise<'done' | 'retry'> {
  if (!['awaiting_audit', 'stopped'].includes(req.state)) return 'done';
  const { timeoutMs } = ports.settings.audit;
  const switchedTimes = req
    .plan!.steps.map((st) => st.switchedAt)
    .filter((t): t is string => !!t)
    .sort();
  if (!switchedTimes.length) return 'done';
  const firstSwitch = new Date(switchedTimes[0]!).getTime();
  let entries: Array<AuditConfirmation & { groupId: string }> = [];
  try {
    entries = await ports.directory.app().findSoaAudits(req.action, sinceFor(firstSwitch));
  } catch (e) {
    ports.logger.warn('audit poll failed', { requestId: req.id, code: isCoded(e) ? e.code : 'unexpected' });
  }
  let found = 0;
  const steps = req.plan!.steps.map((st) => {
    if (st.state !== 'done' || st.audit) return st;
    const from = new Date(new Date(st.switchedAt!).getTime() - SKEW_MS).toISOString();
    const match = entries.filter((a) => a.groupId === st.groupId && a.activityDateTime >= from).pop();
    if (!match) return st;
    found++;
    const { groupId: _g, ...audit } = match;
    return { ...st, audit };
  });
  const plan: Plan = { ...req.plan!, steps };
  const waiting = steps.filter((st) => st.state === 'done' && !st.audit).length;
  const lastSwitch = new Date(switchedTimes[switchedTimes.length - 1]!).getTime();
  const late = ports.clock.now().getTime() >= lastSwitch + timeoutMs;
  try {
    if (req.state === 'awaiting_audit' && (waiting === 0 || late)) {
      const next = await confirmed(ports, req);
      const note = waiting
        ? ports.presenter.notice({
            kind: 'planAuditsNotVisible',
            missing: waiting,
            steps: steps.length,
            withinMs: timeoutMs,
          })
        : undefined;
      const saved = await save(ports, transition(req, next, ports.clock.now(), { plan }, note ? { note } : undefined));
      await takeoverNext(ports, saved);
      return 'done';
    }
    if (found)
      await save(
        ports,
        { ...req, plan, version: req.version + 1, updatedAt: ports.clock.now().toISOString() },
        false,
      ).then((r) => announce(ports, r, { quiet: true }));
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return 'retry';
    throw e;
  }
  if (waiting && !late) await lookAgain(ports, req.id, attempt);
  return 'done';
}
