/** Who may decide a request. Pure: the server applies it on every click. */
import type { SoaRequest } from './request';

export const ROLE_TEMPLATE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  hybridIdentityAdministrator: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
} as const;

export const ROLE_LABEL: Record<string, string> = {
  [ROLE_TEMPLATE.globalAdministrator]: 'Global Administrator',
  [ROLE_TEMPLATE.hybridIdentityAdministrator]: 'Hybrid Identity Administrator',
  [ROLE_TEMPLATE.groupsAdministrator]: 'Groups Administrator',
};

export interface ApprovalPolicy {
  /** Directory role template ids that may switch SOA (and so approve). */
  approverRoles: string[];
  /** If set, approvers must also be (transitive) members of this Entra group. */
  approverGroupId?: string;
  allowSelfApproval: boolean;
  /** APPROVALS_REQUIRED: distinct first-stage approvers needed (default 1). */
  approvalsRequired?: number;
  /** SECOND_STAGE_GROUP_ID and SECOND_STAGE_APPROVALS: members of that group approve after the first stage. */
  secondStage?: { groupId: string; approvals: number };
}

export interface Decider {
  id: string;
  /** Active directory role template ids, read with the decider's own token at click time. */
  roles: string[];
  /** Group ids the decider belongs to (transitively). */
  groupIds: string[];
}

export type PolicyVerdict = { ok: true; selfApproved: boolean } | { ok: false; reason: string };

export function describeApprovers(p: ApprovalPolicy, approverGroupName?: string): string {
  const roles = p.approverRoles.map((r) => ROLE_LABEL[r] ?? r).join(', ');
  const group = p.approverGroupId ? ` who are members of ${approverGroupName ?? p.approverGroupId}` : '';
  return `${roles}${group}${p.allowSelfApproval ? ' (self-approval allowed)' : ', other than the requester'}`;
}

/** Whether someone could approve at all (roles and group), before any particular request. */
export function approverStanding(policy: ApprovalPolicy, who: Decider): { ok: true } | { ok: false; reason: string } {
  if (!who.roles.some((r) => policy.approverRoles.includes(r))) {
    const roles = policy.approverRoles.map((r) => ROLE_LABEL[r] ?? r).join(', ');
    return { ok: false, reason: `Approving needs one of these directory roles, active now: ${roles}.` };
  }
  if (policy.approverGroupId && !who.groupIds.includes(policy.approverGroupId)) {
    return { ok: false, reason: 'Approving needs membership of the configured approvers group.' };
  }
  return { ok: true };
}

export function mayApprove(policy: ApprovalPolicy, req: SoaRequest, who: Decider): PolicyVerdict {
  const self = who.id === req.requester.id;
  if (self && !policy.allowSelfApproval)
    return { ok: false, reason: 'You requested this change, so someone else must approve it.' };
  const standing = approverStanding(policy, who);
  return standing.ok ? { ok: true, selfApproved: self } : standing;
}

/** Rejecting needs the same standing as approving, except that a requester may withdraw (cancel). */
export function mayReject(policy: ApprovalPolicy, req: SoaRequest, who: Decider): PolicyVerdict {
  const verdict = mayApprove({ ...policy, allowSelfApproval: true }, req, who);
  return verdict;
}
