/** The rules for how many approvals a request needs: APPROVALS_REQUIRED and the second stage. */
import { isObjectId } from '../domain/command';
import type { EnvReader } from './env';

export interface ApprovalStages {
  /** Distinct first-stage approvers needed before anything runs. */
  approvalsRequired: number;
  /** Members of this Entra group approve after the first stage (a change advisory board). */
  secondStage?: { groupId: string; approvals: number };
}

/** A whole number ≥ 1, or a problem naming the setting; `def` when unset. */
function count(r: EnvReader, name: string, def: number): number {
  const v = r.str(name);
  if (v === undefined) return def;
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    r.problem(`${name} must be a whole number of approvals, 1 or more, not '${v}'.`);
    return def;
  }
  return Number(v);
}

export function approvalStages(r: EnvReader): ApprovalStages {
  const approvalsRequired = count(r, 'APPROVALS_REQUIRED', 1);
  const groupId = r.str('SECOND_STAGE_GROUP_ID');
  const second = count(r, 'SECOND_STAGE_APPROVALS', 1);
  if (groupId && !isObjectId(groupId)) r.problem(`SECOND_STAGE_GROUP_ID must be a group object id, not '${groupId}'.`);
  if (!groupId && r.str('SECOND_STAGE_APPROVALS') !== undefined)
    r.problem('SECOND_STAGE_APPROVALS needs SECOND_STAGE_GROUP_ID: the group whose members approve the second stage.');
  return {
    approvalsRequired,
    ...(groupId && isObjectId(groupId) ? { secondStage: { groupId: groupId.toLowerCase(), approvals: second } } : {}),
  };
}
