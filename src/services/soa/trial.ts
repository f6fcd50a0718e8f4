/**
 * Trial conversions: a move approved once, rolled back at the trial's end with the approver's
 * token (a rollback request of its own, `trialOf` the move), unless an approver keeps it in
 * the cloud. Reminders a day and an hour ahead; every job carried by the work queue in hops.
 */
import { approverStanding, mayApprove } from '../../domain/policy';
import { isCoded } from '../../domain/errors';
import { newRequestId, type Person, type SoaRequest } from '../../domain/request';
import { dueReminder, nextReminderAt, trialEnd, type TrialInfo } from '../../domain/trial';
import type { Decision } from './click-gate';
import { enqueueAt } from './schedule';
import { ensureRollback, type RollbackCause } from './trial-rollback';
import { announce, errorText, mustGet, type ServicePorts } from './shared';

/** The trial's end, fixed when the move is switched (nothing for other requests). */
export function trialStart(req: SoaRequest, switchedAt: string): Pick<SoaRequest, 'trial'> {
  return req.trial && !req.trial.endsAt ? { trial: { ...req.trial, endsAt: trialEnd(req.trial, switchedAt) } } : {};
}

/** After the switch: the reminder job (for the first reminder still ahead) and the end job. */
export async function queueTrialJobs(ports: ServicePorts, req: SoaRequest): Promise<void> {
  if (!req.trial?.endsAt) return;
  await enqueueAt(ports, { kind: 'trialEnd', requestId: req.id }, req.trial.endsAt);
  const first = nextReminderAt(req.trial, ports.clock.now());
  if (first) await enqueueAt(ports, { kind: 'trialReminder', requestId: req.id }, first);
}

/** Reads before giving up when other writes keep landing between the read and the mark. */
const ROUNDS = 5;

/**
 * Writes a change to the trial (a bookkeeping write, versioned; no state change) on a fresh
 * copy each round. `change` returns null when there is nothing to do (already done by another).
 */
async function markTrial(
  ports: ServicePorts,
  id: string,
  change: (req: SoaRequest, trial: TrialInfo) => TrialInfo | null,
): Promise<{ req: SoaRequest; before: SoaRequest } | null | 'retry'> {
  for (let round = 1; ; round++) {
    const before = await ports.store.get(id);
    if (!before?.trial) return null;
    const trial = change(before, before.trial);
    if (!trial) return null;
    const req = { ...before, trial, version: before.version + 1, updatedAt: ports.clock.now().toISOString() };
    try {
      await ports.store.update(req);
      return { req, before };
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      if (round >= ROUNDS) return 'retry';
    }
  }
}

/** The reminder job: the due reminder, once, to the thread and the requester; then the next one queued. */
export async function remindTrial(ports: ServicePorts, id: string): Promise<'done' | 'retry'> {
  const now = ports.clock.now();
  let kind: ReturnType<typeof dueReminder> = null;
  const r = await markTrial(ports, id, (req, t) => {
    kind = req.state === 'completed' ? dueReminder(t, now) : null;
    return kind ? { ...t, reminded: { ...t.reminded, [kind]: now.toISOString() } } : null;
  });
  if (r === 'retry') return 'retry';
  const req = r?.req ?? (await ports.store.get(id));
  if (r && kind) await ports.notifier.post(r.req.anchor, ports.presenter.trialLine(r.req, kind));
  const next = req?.trial && req.state === 'completed' ? nextReminderAt(req.trial, now) : null;
  if (next) await enqueueAt(ports, { kind: 'trialReminder', requestId: id }, next);
  return 'done';
}

/**
 * The end job: early, it waits again; kept, nothing; else the rollback, with the approver's
 * token when one can be had, or the thread asks an approver to click Roll back now.
 */
export async function endTrial(ports: ServicePorts, id: string): Promise<'done' | 'retry' | { afterMs: number }> {
  const req = await ports.store.get(id);
  const t = req?.trial;
  if (!req || !t?.endsAt || t.kept) return 'done';
  if (t.rollbackId) return ensureRollback(ports, req, t.rollbackId, req.approver!, 'ended');
  if (new Date(t.endsAt).getTime() > ports.clock.now().getTime()) {
    await enqueueAt(ports, { kind: 'trialEnd', requestId: id }, t.endsAt);
    return 'done';
  }
  // The move is still being confirmed: look again shortly.
  if (req.state === 'awaiting_audit') return { afterMs: 60_000 };
  if (req.state !== 'completed' || t.askedAt) return 'done';
  const approver = req.approver!;
  if (!(await canActFor(ports, approver))) return askForClick(ports, id);
  return startRollback(ports, id, approver, 'ended');
}

/** Can the bot act with this person's token now, and do they still hold an approver's role? */
async function canActFor(ports: ServicePorts, who: Person): Promise<boolean> {
  try {
    const me = await ports.directory.forUser(who).whoAmI();
    return approverStanding(ports.settings.policy, me).ok;
  } catch (e) {
    ports.logger.warn('no approver token for the trial rollback', {
      approverId: who.id,
      code: isCoded(e) ? e.code : 'unexpected',
      error: errorText(e),
    });
    return false;
  }
}

/** No token: the thread is asked, once, for an approver's click. */
async function askForClick(ports: ServicePorts, id: string): Promise<'done' | 'retry'> {
  const now = ports.clock.now().toISOString();
  const r = await markTrial(ports, id, (_req, t) =>
    t.askedAt || t.kept || t.rollbackId ? null : { ...t, askedAt: now },
  );
  if (r === 'retry') return 'retry';
  if (r) await ports.notifier.post(r.req.anchor, ports.presenter.trialLine(r.req, 'ask'));
  return 'done';
}

/** Marks the trial with the rollback's id (once, across instances), then makes that rollback. */
async function startRollback(
  ports: ServicePorts,
  id: string,
  runAs: Person,
  why: RollbackCause,
): Promise<'done' | 'retry'> {
  const rollbackId = newRequestId(ports.random);
  const r = await markTrial(ports, id, (_req, t) => (t.kept || t.rollbackId ? null : { ...t, rollbackId }));
  if (r === 'retry') return 'retry';
  if (!r) return 'done';
  return ensureRollback(ports, r.req, rollbackId, runAs, why);
}

/**
 * The clicker of Keep in the cloud or Roll back now, as an approver now (the requester only with
 * ALLOW_SELF_APPROVAL: keeping is approving the move for good); else the refusal to answer with.
 */
async function asApprover(ports: ServicePorts, req: SoaRequest, who: Person): Promise<Person | Decision> {
  const me = await ports.directory.forUser(who).whoAmI();
  const standing = mayApprove(ports.settings.policy, req, me);
  if (!standing.ok)
    return {
      outcome: 'refused',
      request: req,
      message: ports.presenter.notice({ kind: 'trialNotApprover', reason: standing.reason }),
    };
  return { id: me.id, name: me.name, ...(who.channelUserId ? { channelUserId: who.channelUserId } : {}) };
}

/** A trial still running (switched, not kept, not rolled back): else the answer to the click. */
function running(ports: ServicePorts, req: SoaRequest): Decision | null {
  const t = req.trial;
  if (t?.endsAt && req.state === 'completed' && !t.kept && !t.rollbackId) return null;
  return { outcome: 'stale', request: req, message: ports.presenter.notice({ kind: 'trialNotRunning', request: req }) };
}

/** Keep in the cloud: the trial ends without a rollback (approvers only). */
export async function keepTrial(ports: ServicePorts, id: string, who: Person): Promise<Decision> {
  const req = await mustGet(ports, id);
  const not = running(ports, req);
  if (not) return not;
  const me = await asApprover(ports, req, who);
  if ('outcome' in me) return me;
  const at = ports.clock.now().toISOString();
  const r = await markTrial(ports, id, (_r, t) =>
    t.kept || t.rollbackId ? null : { ...t, kept: { by: me.name, at } },
  );
  if (r === 'retry' || !r) return running(ports, await mustGet(ports, id)) ?? changing(ports, req);
  ports.logger.info('trial kept in the cloud', { requestId: id, by: me.id });
  await ports.notifier.post(r.req.anchor, ports.presenter.trialLine(r.req, 'kept'));
  await announce(ports, r.req, { quiet: true });
  return { outcome: 'done', request: r.req };
}

/** Roll back now: the rollback at once, with the clicker's token (approvers only). */
export async function rollbackTrialNow(ports: ServicePorts, id: string, who: Person): Promise<Decision> {
  const req = await mustGet(ports, id);
  const not = running(ports, req);
  if (not) return not;
  const me = await asApprover(ports, req, who);
  if ('outcome' in me) return me;
  // After the end (the thread asked for this click) the trial has ended; before it, it is cut short.
  const ended = new Date(req.trial!.endsAt!).getTime() <= ports.clock.now().getTime();
  const out = await startRollback(ports, id, me, ended ? 'ended' : 'now');
  const after = await mustGet(ports, id);
  if (out === 'retry' || after.trial?.rollbackId === undefined) return running(ports, after) ?? changing(ports, after);
  await announce(ports, after, { card: true, quiet: true });
  return { outcome: 'done', request: after };
}

function changing(ports: ServicePorts, req: SoaRequest): Decision {
  return {
    outcome: 'stale',
    request: req,
    message: ports.presenter.notice({ kind: 'keptChanging', requestId: req.id }),
  };
}
