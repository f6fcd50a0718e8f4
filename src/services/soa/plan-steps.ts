/** A plan's execution: its steps one at a time, progress stored as it goes, stopped at the first failure. */
import { CodedError, isCoded } from '../../domain/errors';
import { nextStep } from '../../domain/plan';
import { transition, type Plan, type SoaRequest } from '../../domain/request';
import { postGpadChecklist } from './gpad';
import { later, leased, leaseGuard, MAX_EXECUTE_TRIES } from './leases';
import { withRestorePoint } from './restore-points';
import { announce, save, type Outcome, type ServicePorts } from './shared';
import { pausedAtWindowEnd } from './windows';

/**
 * A running plan's card is refreshed at most this often. By time, not by step count: Teams
 * allows a bot 60 posts and updates per 30 s in one conversation, and a long plan refreshed
 * every few steps would spend its run waiting for its own card updates.
 */
export const PLAN_PROGRESS_MS = 5_000;

/**
 * A plan's switches, one group at a time in plan order, with the approver's token. One store
 * write per switch: the guard's, before the PATCH, which renews the lease and stores the
 * group's restore point with the steps done so far (a request holds its plan and its restore
 * points, so a write per step of each would rewrite a large document three times a step).
 * Steps with nothing to switch are stored every few seconds. A restart continues from what was
 * stored; a group already in the target state counts as done. The first failure stops the plan.
 */
export async function executePlan(ports: ServicePorts, start: SoaRequest, tries: number): Promise<Outcome> {
  const { clock, presenter } = ports;
  let req = start;
  const target = req.action === 'move';
  const userDir = ports.directory.forUser(req.approver!);
  let shown = clock.now().getTime();
  let stored = clock.now().getTime();
  // Well inside the lease, which every write renews.
  const storeEveryMs = Math.min(PLAN_PROGRESS_MS, ports.settings.worker.leaseMs / 3);
  const hold = {
    get: () => req,
    set: (r: SoaRequest) => {
      req = r;
      stored = clock.now().getTime();
    },
  };
  const progress = async (plan: Plan): Promise<void> => {
    req = { ...req, plan };
    if (clock.now().getTime() - stored < storeEveryMs) return;
    hold.set(leased(ports, { ...req, version: req.version + 1, updatedAt: clock.now().toISOString() }));
    await ports.store.update(req);
  };
  for (let i = nextStep(req.plan!); i !== null; i = nextStep(req.plan!)) {
    // A step starts only inside a change window: past the window's end, the plan pauses here.
    const paused = await pausedAtWindowEnd(ports, req);
    if (paused) return paused;
    const step = req.plan!.steps[i]!;
    const at = clock.now().toISOString();
    try {
      if ((await userDir.readIsCloudManaged(step.groupId)) !== target) {
        req = await withRestorePoint(ports, req, step.groupId);
        // The guard's write (before each attempt) stores the restore point before the switch.
        await userDir.setIsCloudManaged(step.groupId, target, leaseGuard(ports, hold));
        if ((await userDir.readIsCloudManaged(step.groupId)) !== target)
          throw new CodedError('DirectoryError', presenter.notice({ kind: 'readBackMismatch' }));
      }
    } catch (e) {
      // Another instance took the plan over while this one waited: it carries on.
      if (isCoded(e, 'StaleVersion')) return 'retry';
      if (isCoded(e, 'Throttled', 'ServiceUnavailable') && tries < MAX_EXECUTE_TRIES) return later(e, tries);
      return stopAt(ports, req, i, e);
    }
    await progress({
      ...req.plan!,
      steps: req.plan!.steps.map((st, k) =>
        k === i ? { ...st, state: 'done' as const, switchedAt: st.switchedAt ?? at } : st,
      ),
    });
    // The card shows progress every few seconds (and the thread stays quiet until the end).
    if (clock.now().getTime() - shown >= PLAN_PROGRESS_MS) {
      shown = clock.now().getTime();
      await announce(ports, req, { card: true, quiet: true });
    }
  }
  const first = req
    .plan!.steps.map((st) => st.switchedAt)
    .filter(Boolean)
    .sort()[0];
  req = await save(
    ports,
    transition(req, 'awaiting_audit', clock.now(), {
      switchedAt: req.switchedAt ?? first ?? clock.now().toISOString(),
      lease: undefined,
    }),
  );
  await postGpadChecklist(ports, req);
  await ports.queue.enqueue({ kind: 'audit', requestId: req.id, attempt: 0 }, ports.settings.audit.firstDelayMs);
  return 'done';
}

/** Step `i` failed with `e`: the plan stops there, the rest untouched; what was switched gets its audit look. */
async function stopAt(ports: ServicePorts, req: SoaRequest, i: number, e: unknown): Promise<'done'> {
  const step = req.plan!.steps[i]!;
  const error = ports.presenter.explain(e);
  ports.logger.warn('plan step failed', {
    requestId: req.id,
    step: i + 1,
    groupId: step.groupId,
    code: isCoded(e) ? e.code : 'unexpected',
  });
  const plan: Plan = {
    ...req.plan!,
    steps: req.plan!.steps.map((st, k) =>
      k === i ? { ...st, state: 'failed' as const, error } : k > i ? { ...st, state: 'untouched' as const } : st,
    ),
  };
  const reason = ports.presenter.notice({
    kind: 'planStepFailed',
    step: i + 1,
    steps: plan.steps.length,
    groupName: step.groupName,
    error,
  });
  const stopped = await save(
    ports,
    transition(req, 'stopped', ports.clock.now(), { plan, reason, lease: undefined }, { note: reason }),
  );
  // The groups switched before the failure are switched: their checklist too.
  await postGpadChecklist(ports, stopped);
  if (plan.steps.some((st) => st.state === 'done' && !st.audit))
    await ports.queue.enqueue({ kind: 'audit', requestId: stopped.id, attempt: 0 }, ports.settings.audit.firstDelayMs);
  return 'done';
}
