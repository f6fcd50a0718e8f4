/**
 * Several approvals before anything runs: a quorum of distinct first-stage approvers, then
 * optionally a second stage (members of a group, such as a change advisory board). Pure.
 */
import { mayApprove, mayReject, type ApprovalPolicy, type Decider, type PolicyVerdict } from './policy';
import type { Approval, Person, Quorum, SoaRequest } from './request';

export type Stage = 1 | 2;

/** The quorum a new request is held to; undefined for one approval and no second stage (stored as before). */
export function quorumFor(policy: ApprovalPolicy): Quorum | undefined {
  const approvals = policy.approvalsRequired ?? 1;
  if (approvals <= 1 && !policy.secondStage) return undefined;
  return { approvals, ...(policy.secondStage ? { secondStage: { ...policy.secondStage } } : {}) };
}

/** The request's quorum (one approval when none was stored). */
export function quorumOf(req: SoaRequest): Quorum {
  return req.quorum ?? { approvals: 1 };
}

/** More than one approval, or a second stage: the card and the lines show the count. */
export function isMultiApproval(req: SoaRequest): boolean {
  return !!req.quorum;
}

export function approvalsAt(req: SoaRequest, stage: Stage): Approval[] {
  return (req.approvals ?? []).filter((a) => a.stage === stage);
}

export function needed(req: SoaRequest, stage: Stage): number {
  const q = quorumOf(req);
  return stage === 1 ? q.approvals : (q.secondStage?.approvals ?? 0);
}

/** How many approvals the stage still needs. */
export function missing(req: SoaRequest, stage: Stage): number {
  return Math.max(0, needed(req, stage) - approvalsAt(req, stage).length);
}

/** The stage waiting for approvals; null once every stage has its count. */
export function currentStage(req: SoaRequest): Stage | null {
  if (missing(req, 1) > 0) return 1;
  if (missing(req, 2) > 0) return 2;
  return null;
}

/** This person's approval of the request, in any stage: a person counts once. */
export function approvalBy(req: SoaRequest, personId: string): Approval | undefined {
  return (req.approvals ?? []).find((a) => a.by.id === personId);
}

/** The approval that completed the first stage: its approver's token runs the switch. */
export function completingApproval(req: SoaRequest): Approval | undefined {
  return approvalsAt(req, 1)[quorumOf(req).approvals - 1];
}

export type StageVerdict =
  | { ok: true; stage: Stage; selfApproved: boolean }
  | { ok: false; why: 'policy'; reason: string }
  | { ok: false; why: 'alreadyApproved'; approval: Approval }
  | { ok: false; why: 'notSecondStageMember' }
  | { ok: false; why: 'selfNotAllowed' }
  | { ok: false; why: 'complete' };

/**
 * Whether `who` may approve the request at the stage it is in now: a person counts once over
 * both stages; the first stage needs the approver roles (and group), the second membership
 * of the second-stage group; the requester counts only under ALLOW_SELF_APPROVAL.
 */
export function mayApproveNow(policy: ApprovalPolicy, req: SoaRequest, who: Decider): StageVerdict {
  const stage = currentStage(req);
  if (stage === null) return { ok: false, why: 'complete' };
  const earlier = approvalBy(req, who.id);
  if (earlier) return { ok: false, why: 'alreadyApproved', approval: earlier };
  if (stage === 1) {
    const v = mayApprove(policy, req, who);
    return v.ok ? { ok: true, stage, selfApproved: v.selfApproved } : { ok: false, why: 'policy', reason: v.reason };
  }
  const self = who.id === req.requester.id;
  if (self && !policy.allowSelfApproval) return { ok: false, why: 'selfNotAllowed' };
  if (!inSecondStageGroup(req, who)) return { ok: false, why: 'notSecondStageMember' };
  return { ok: true, stage, selfApproved: self };
}

/**
 * Rejecting: anyone with the first stage's standing, and at the second stage also its group's
 * members. One rejection ends the request.
 */
export function mayRejectNow(policy: ApprovalPolicy, req: SoaRequest, who: Decider): PolicyVerdict {
  const first = mayReject(policy, req, who);
  if (first.ok || currentStage(req) !== 2) return first;
  return inSecondStageGroup(req, who) ? { ok: true, selfApproved: false } : first;
}

/** Membership of the second-stage group, as read with the person's own token (transitive). */
function inSecondStageGroup(req: SoaRequest, who: Decider): boolean {
  const id = quorumOf(req).secondStage?.groupId.toLowerCase();
  return !!id && who.groupIds.some((g) => g.toLowerCase() === id);
}

/** The request with `by`'s approval added at its current stage, and whether that completed every stage. */
export function withApproval(
  req: SoaRequest,
  by: Person,
  at: string,
  verdict: { stage: Stage; selfApproved: boolean },
): { approvals: Approval[]; complete: boolean; stageDone: boolean } {
  const approval: Approval = { by, at, stage: verdict.stage, ...(verdict.selfApproved ? { selfApproved: true } : {}) };
  const next = { ...req, approvals: [...(req.approvals ?? []), approval] };
  return {
    approvals: next.approvals,
    complete: currentStage(next) === null,
    stageDone: currentStage(next) !== verdict.stage,
  };
}
