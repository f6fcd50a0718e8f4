/**
 * Group Provisioning to AD (GPAD) after a move: whether the request said the group is still
 * needed in AD, and what the checklist for one switched group is made of. Pure: no I/O.
 * Facts Graph cannot show (the agent, the licence, the AD group scope) are never decided here:
 * they stay questions for the people who can look.
 */
import type { GroupFacts, GroupKind } from './group-facts';
import type { Person, SoaRequest } from './request';

/** The approver's answer on the card: the group is still read on-premises (file shares, apps). */
export interface StillNeededInAd {
  by: Person;
  at: string;
}

/**
 * The request with the answer recorded, when an approval carried the toggle on. An approval
 * without it never clears an answer already given (cards are not refreshed per person).
 */
export function markStillNeededInAd(req: SoaRequest, on: boolean, by: Person, at: string): SoaRequest {
  if (!on || req.action !== 'move' || req.stillNeededInAd) return req;
  return { ...req, stillNeededInAd: { by: { id: by.id, name: by.name }, at } };
}

/** Why GPAD cannot write this group back to AD. */
export type GpadRefusal = 'mailEnabled' | 'distribution' | 'unified';

/** One switched group as the checklist sees it. */
export type GpadGroup =
  | { groupId: string; groupName: string; verdict: 'notApplicable'; why: GpadRefusal }
  | {
      groupId: string;
      groupName: string;
      verdict: 'checklist';
      /** The original AD group's SID (the write-back lands on it); null when Graph showed none. */
      sid: string | null;
      samAccountName: string | null;
      domain: string | null;
      /** Members that are not synced from AD: GPAD does not write them. null: not read. */
      cloudOnlyMembers: Array<{ id: string; displayName: string }> | null;
    }
  /** The facts could not be read: every item stays a question. */
  | { groupId: string; groupName: string; verdict: 'unread' };

const REFUSALS: Partial<Record<GroupKind, GpadRefusal>> = {
  mailEnabledSecurity: 'mailEnabled',
  distribution: 'distribution',
  unified: 'unified',
};

/** The checklist of one group from what Graph showed of it (null: not read). */
export function gpadGroup(groupId: string, groupName: string, facts: GroupFacts | null): GpadGroup {
  if (!facts) return { groupId, groupName, verdict: 'unread' };
  const refusal = REFUSALS[facts.group.kind];
  if (refusal) return { groupId, groupName, verdict: 'notApplicable', why: refusal };
  return {
    groupId,
    groupName,
    verdict: 'checklist',
    sid: facts.group.onPremisesSecurityIdentifier,
    samAccountName: facts.group.onPremisesSamAccountName,
    domain: facts.group.onPremisesDomainName,
    cloudOnlyMembers: facts.cloudOnlyMembers,
  };
}

/**
 * The groups the checklist is still owed for: a move that said "still needed in AD", its
 * switched groups (one, or the done steps of a plan) not posted yet.
 */
export function gpadTargets(req: SoaRequest): Array<{ groupId: string; groupName: string }> {
  if (req.action !== 'move' || !req.stillNeededInAd) return [];
  const switched = req.plan
    ? req.plan.steps.filter((st) => st.state === 'done')
    : [{ groupId: req.groupId, groupName: req.groupName }];
  const posted = new Set(req.gpadPosted ?? []);
  return switched.filter((g) => !posted.has(g.groupId)).map((g) => ({ groupId: g.groupId, groupName: g.groupName }));
}

/** The provisioning agent version Group Provisioning to AD needs (Microsoft's prerequisites). */
export const GPAD_AGENT_MIN_VERSION = '1.1.3730.0';
