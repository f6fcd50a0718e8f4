/** Executing: the switch or rollback with the approver's token, under a lease, verified by reading it back. */
import { isCoded } from '../../domain/errors';
import { transition, type SoaRequest } from '../../domain/request';
import { postGpadChecklist } from './gpad';
import { later, leased, leaseGuard, MAX_EXECUTE_TRIES } from './leases';
import { executePlan } from './plan-steps';
import { takeRestorePoint } from './restore-points';
import { holdUntilItsTime } from './schedule';
import { save, type Outcome, type ServicePorts } from './shared';
import { trialStart } from './trial';
import { heldBack } from './windows';

/**
 * The switch or rollback, with the approver's token only. Safe to run again after a crash:
 * it reads isCloudManaged first and does not repeat a write that already took effect.
 */
export async function execute(ports: ServicePorts, id: string, tries = 1): Promise<Outcome> {
  const { clock, queue, settings } = ports;
  const found = await ports.store.get(id);
  if (!found) return 'done';
  let req: SoaRequest = found;
  // Never before its time: an early or duplicate job goes back to the queue for the rest.
  if (await holdUntilItsTime(ports, req)) return 'done';
  const now = clock.now();
  let resumed = false;
  if (req.state === 'approved') {
    // Not before its time, and only inside a change window (when windows are set).
    const held = await heldBack(ports, req);
    if (held) return held;
    req = leased(ports, transition(req, 'executing', now, { pausedAt: undefined }));
  } else if (req.state === 'executing') {
    // Another instance may be working on it; take over only once its lease has run out.
    if (req.lease && req.lease.owner !== settings.worker.instanceId && req.lease.expiresAt > now.toISOString())
      return 'retry';
    req = leased(ports, { ...req, version: req.version + 1, updatedAt: now.toISOString() });
    resumed = true;
  } else {
    // Already past execution: make sure its follow-up job exists (duplicates are harmless).
    if (req.state === 'awaiting_audit') await queue.enqueue({ kind: 'audit', requestId: id, attempt: 0 });
    if (req.state === 'waiting_for_sync') await queue.enqueue({ kind: 'takeover', requestId: id, attempt: 0 });
    return 'done';
  }
  try {
    req = await save(ports, req, !resumed);
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return 'retry';
    throw e;
  }
  if (req.plan) return executePlan(ports, req, tries);
  const target = req.action === 'move';
  const startedAt = clock.now();
  try {
    const userDir = ports.directory.forUser(req.approver!);
    const current = await userDir.readIsCloudManaged(req.groupId);
    if (current === target && !resumed)
      return await fail(ports, req, ports.presenter.notice({ kind: 'alreadyInTarget', action: req.action }));
    if (current !== target) {
      req = await takeRestorePoint(ports, req, req.groupId);
      await userDir.setIsCloudManaged(
        req.groupId,
        target,
        leaseGuard(ports, { get: () => req, set: (r) => (req = r) }),
      );
      const after = await userDir.readIsCloudManaged(req.groupId);
      if (after !== target) return await fail(ports, req, ports.presenter.notice({ kind: 'readBackMismatch' }));
    } else {
      ports.logger.info('write already took effect before a restart; not repeated', { requestId: id });
    }
  } catch (e) {
    // Another instance took the request over while this one waited: it carries on.
    if (isCoded(e, 'StaleVersion')) return 'retry';
    if (isCoded(e, 'Throttled', 'ServiceUnavailable') && tries < MAX_EXECUTE_TRIES) return later(e, tries);
    ports.logger.warn('switch failed', {
      requestId: req.id,
      code: isCoded(e) ? e.code : 'unexpected',
      error: e instanceof Error ? e.name : String(e),
    });
    return fail(ports, req, ports.presenter.explain(e));
  }
  const switchedAt = req.switchedAt ?? startedAt.toISOString();
  req = await save(
    ports,
    transition(req, 'awaiting_audit', clock.now(), { switchedAt, lease: undefined, ...trialStart(req, switchedAt) }),
  );
  await postGpadChecklist(ports, req);
  await queue.enqueue({ kind: 'audit', requestId: id, attempt: 0 }, settings.audit.firstDelayMs);
  return 'done';
}

async function fail(ports: ServicePorts, req: SoaRequest, reason: string): Promise<'done'> {
  await save(ports, transition(req, 'failed', ports.clock.now(), { reason, lease: undefined }, { note: reason }));
  ports.logger.warn('request failed', { requestId: req.id, reason });
  return 'done';
}
