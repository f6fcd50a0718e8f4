/**
 * A trial's rollback: its own request (`trialOf` the move) with a fresh read of the group, its
 * prerequisite checks, and the cloud edits since the move (its restore point against the group
 * now), posted on a card of its own in the thread. When nothing changed in the cloud and no
 * check blocks it, it runs at once with the trial's approval (or the clicker's); otherwise it
 * waits for an approver on that card, as any rollback does: AD overwrites cloud edits once it
 * manages the group again, and nobody approved losing them when the trial began.
 */
import { hasCloudChanges } from '../../domain/restore-point';
import { transition, type Person, type SoaRequest } from '../../domain/request';
import { check } from './queries';
import { attachCard, createRequest } from './requests';
import { cloudChangesSinceMove } from './restore-points';
import { announce, errorText, type ServicePorts } from './shared';

/** Why a trial is rolled back: its end came, or an approver clicked Roll back now. */
export type RollbackCause = 'ended' | 'now';

/**
 * The rollback request of a trial and its card, with its execute job when it may run at once.
 * Harmless when run again: a rollback already stored only gets its execute job again (approved).
 */
export async function ensureRollback(
  ports: ServicePorts,
  trial: SoaRequest,
  rollbackId: string,
  runAs: Person,
  why: RollbackCause,
): Promise<'done'> {
  const existing = await ports.store.get(rollbackId);
  if (existing) {
    if (existing.state === 'approved') await ports.queue.enqueue({ kind: 'execute', requestId: existing.id });
    return 'done';
  }
  const { facts, checks, blocked } = await check(ports, trial.groupId, 'rollback');
  const cloudChanges = await cloudChangesSinceMove(ports, trial.groupId, 'rollback');
  const waits = blocked || hasCloudChanges(cloudChanges);
  const anchor = { ...trial.anchor };
  delete anchor.cardActivityId;
  let req = await createRequest(ports, {
    requestId: rollbackId,
    action: 'rollback',
    groupId: trial.groupId,
    groupName: facts.group.displayName,
    requester: trial.requester,
    anchor,
    facts,
    checks,
    ...(cloudChanges ? { cloudChanges } : {}),
    ...(trial.ticket !== undefined ? { ticket: trial.ticket } : {}),
    ...(trial.justification !== undefined ? { justification: trial.justification } : {}),
    trialOf: trial.id,
  });
  if (!waits) {
    const note = ports.presenter.notice({ kind: 'trialRollbackNote', trialId: trial.id });
    req = transition(
      req,
      'approved',
      ports.clock.now(),
      { approver: runAs, syncVersionsAcknowledged: true },
      {
        by: runAs.name,
        note,
      },
    );
    await ports.store.update(req);
  }
  ports.logger.info('trial rollback made', {
    requestId: req.id,
    trialOf: trial.id,
    approverId: runAs.id,
    waitsForApproval: waits,
  });
  if (!waits) await ports.queue.enqueue({ kind: 'execute', requestId: req.id });
  await postCard(ports, trial, req, { waits, why, by: runAs.name });
  return 'done';
}

/** The rollback's card in the thread, recorded so that every later step updates it. */
async function postCard(
  ports: ServicePorts,
  trial: SoaRequest,
  req: SoaRequest,
  how: { waits: boolean; why: RollbackCause; by: string },
): Promise<void> {
  try {
    const id = await ports.notifier.postCard(
      req.anchor,
      ports.presenter.requestCard(req),
      ports.presenter.trialRollbackLine(trial, req, how),
    );
    if (!id) return;
    const after: Array<Promise<unknown>> = [];
    await attachCard(ports, (work) => after.push(work), req.id, { ...req.anchor, cardActivityId: id });
    await Promise.allSettled(after);
  } catch (e) {
    // The request is stored and its job queued: status and the board show it.
    ports.logger.warn('trial rollback card not posted', { requestId: req.id, error: errorText(e) });
    await announce(ports, req, { card: false }).catch(() => undefined);
  }
}
