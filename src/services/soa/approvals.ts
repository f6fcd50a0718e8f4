/**
 * Approvals toward a quorum and a second stage: each person counted once, each approval
 * written against the version read (a concurrent one is counted again on a fresh copy), the
 * request approved when every stage has its count, with the token of the approver who
 * completed the first stage.
 */
import { isCoded } from '../../domain/errors';
import type { ApprovalPolicy, Decider } from '../../domain/policy';
import {
  approvalBy,
  completingApproval,
  currentStage,
  isMultiApproval,
  mayApproveNow,
  quorumFor,
  withApproval,
  type StageVerdict,
} from '../../domain/quorum';
import { cardVersion, transition, type Approval, type Person, type SoaRequest } from '../../domain/request';
import type { Decision } from './click-gate';
import { announce, errorText, mustGet, type ServicePorts, type Track } from './shared';
import { windowHold } from './windows';

/** Writes that raced this one before the approval gives up (each round reads the request afresh). */
const ROUNDS = 5;

/** What a new request stores of the quorum: nothing for one approval and no second stage. */
export function withQuorum(policy: ApprovalPolicy): Pick<SoaRequest, 'quorum'> {
  const quorum = quorumFor(policy);
  return quorum ? { quorum } : {};
}

/** The same person clicking Approve again: answered before any Graph read, and the card stays as it is. */
export function countedAlready(ports: ServicePorts, req: SoaRequest, clicker: Person): Decision | null {
  const approval = approvalBy(req, clicker.id);
  if (!approval) return null;
  return {
    outcome: 'refused',
    request: req,
    message: ports.presenter.notice({ kind: 'alreadyApproved', request: req, approval }),
  };
}

/** The sync-version acknowledgement is asked of first-stage approvers; the second stage reviews the change. */
export function needsAcknowledgement(req: SoaRequest): boolean {
  return currentStage(req) !== 2;
}

/**
 * Records `me`'s approval at the stage the request is in now. Returns the saved request once
 * every stage has its count (approved); otherwise the decision to answer with: counted (done,
 * still waiting), refused, or stale when another decision landed first.
 */
export async function recordApproval(
  ports: ServicePorts,
  track: Track,
  start: SoaRequest,
  me: Decider & { name: string },
  approver: Person,
  mark: (r: SoaRequest) => SoaRequest = (r) => r,
): Promise<{ saved: SoaRequest } | Decision> {
  let cur = start;
  for (let round = 1; ; round++) {
    const verdict = mayApproveNow(ports.settings.policy, cur, me);
    if (!verdict.ok) return refusal(ports, cur, verdict);
    const at = ports.clock.now();
    const added = withApproval(cur, approver, at.toISOString(), verdict);
    const next = mark(
      added.complete ? approved(ports, cur, added.approvals, me) : counted(cur, added, at, verdict.stage),
    );
    try {
      await ports.store.update(next);
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      const fresh = await mustGet(ports, start.id);
      if (fresh.state !== start.state || cardVersion(fresh) !== cardVersion(start))
        return {
          outcome: 'stale',
          request: fresh,
          message: ports.presenter.notice({ kind: 'decidedByOther', request: fresh }),
        };
      if (round >= ROUNDS)
        return {
          outcome: 'stale',
          request: fresh,
          message: ports.presenter.notice({ kind: 'keptChanging', requestId: start.id }),
        };
      cur = fresh;
      continue;
    }
    if (added.complete) return { saved: next };
    ports.logger.info('approval counted', { requestId: next.id, approverId: me.id, stage: verdict.stage });
    if (added.stageDone && !next.remindedAt && cur.remindedAt) await remindAgain(ports, next);
    track(announceCounted(ports, next, added.approvals.at(-1)!));
    return { outcome: 'done', request: next };
  }
}

/** Every stage has its count: approved, to run with the token of the approver who completed the first stage. */
function approved(ports: ServicePorts, cur: SoaRequest, approvals: Approval[], me: { name: string }): SoaRequest {
  const withAll = { ...cur, approvals };
  const runs = completingApproval(withAll)!;
  const self = !!runs.selfApproved;
  const note = isMultiApproval(cur)
    ? ports.presenter.notice({ kind: 'quorumNote', request: withAll })
    : self
      ? ports.presenter.notice({ kind: 'selfApprovedNote' })
      : undefined;
  return transition(
    cur,
    'approved',
    ports.clock.now(),
    {
      approver: runs.by,
      selfApproved: self,
      syncVersionsAcknowledged: true,
      approvals,
      // Decided: no approval waits for a sign-in any more.
      signInsPending: undefined,
      // Outside every change window: it runs when the next one opens.
      ...windowHold(ports, cur),
    },
    { by: me.name, ...(note ? { note } : {}) },
  );
}

/**
 * One approval counted, more needed: not a state change, so the card's version stays and the
 * other approvers' cards (and their approvals waiting for a sign-in) stay valid.
 */
function counted(cur: SoaRequest, added: ReturnType<typeof withApproval>, at: Date, stage: 1 | 2): SoaRequest {
  const by = added.approvals.at(-1)!.by.id;
  const waiting = cur.signInsPending?.filter((p) => p.approver.id !== by);
  const next: SoaRequest = {
    ...cur,
    version: cur.version + 1,
    updatedAt: at.toISOString(),
    approvals: added.approvals,
    ...(stage === 1 ? { syncVersionsAcknowledged: true } : {}),
    signInsPending: waiting?.length ? waiting : undefined,
  };
  if (!next.signInsPending) delete next.signInsPending;
  // The second stage starts: its approvers get a reminder of their own.
  if (added.stageDone) delete next.remindedAt;
  return next;
}

async function remindAgain(ports: ServicePorts, req: SoaRequest): Promise<void> {
  try {
    await ports.queue.enqueue({ kind: 'remind', requestId: req.id }, ports.settings.remindAfterMs);
  } catch (e) {
    ports.logger.warn('second-stage reminder not queued', { requestId: req.id, error: errorText(e) });
  }
}

/** The board follows, and the thread hears who approved and what is still needed. */
async function announceCounted(ports: ServicePorts, req: SoaRequest, approval: Approval): Promise<void> {
  await announce(ports, req, { card: false, quiet: true });
  try {
    await ports.notifier.post(req.anchor, {
      text: ports.presenter.notice({ kind: 'approvalCounted', request: req, approval }),
    });
  } catch (e) {
    ports.logger.warn('thread post failed', { requestId: req.id, error: errorText(e) });
  }
}

function refusal(ports: ServicePorts, req: SoaRequest, v: Exclude<StageVerdict, { ok: true }>): Decision {
  const { notice } = ports.presenter;
  switch (v.why) {
    case 'policy':
      return { outcome: 'refused', request: req, message: v.reason };
    case 'alreadyApproved':
      return {
        outcome: 'refused',
        request: req,
        message: notice({ kind: 'alreadyApproved', request: req, approval: v.approval }),
      };
    case 'notSecondStageMember':
      return { outcome: 'refused', request: req, message: notice({ kind: 'notSecondStageMember', request: req }) };
    case 'selfNotAllowed':
      return { outcome: 'refused', request: req, message: notice({ kind: 'selfApprovalOff' }) };
    case 'complete':
      return { outcome: 'stale', request: req, message: notice({ kind: 'alreadyDecided', request: req }) };
  }
}
