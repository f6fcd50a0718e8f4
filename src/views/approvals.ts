/**
 * Several approvals in words: the count per stage on the card and in status lines, who may
 * still approve, whose sign-in will run the switch, the thread lines, the reminder's stage, and
 * `pending` per stage. With one approval and no second stage every text is as it always was.
 */
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import {
  approvalsAt,
  completingApproval,
  currentStage,
  isMultiApproval,
  missing,
  needed,
  quorumOf,
  type Stage,
} from '../domain/quorum';
import type { Approval, HistoryEntry, SoaRequest } from '../domain/request';
import type { ApprovalNotice } from '../ports/presenter';
import { time, type Card } from './labels';
import { shownReq } from './shown';
import { statusLineOf } from './status-line';
import { render } from './templates';
import { forCard, forMessage } from './text';

const STAGE_NAME: Record<Stage, string> = { 1: 'first stage', 2: 'second stage' };
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Members of the second-stage group, named by its id (the group the settings name). */
const secondStageGroup = (req: SoaRequest) =>
  `members of the second-stage group (${quorumOf(req).secondStage!.groupId})`;

/** "1 of 2" and the stage, when the request has a second stage. */
function count(req: SoaRequest, stage: Stage): string {
  const of = `${approvalsAt(req, stage).length} of ${needed(req, stage)}`;
  return quorumOf(req).secondStage ? `${STAGE_NAME[stage]}, ${of}` : of;
}

/** Names (already shown) with when each approved. */
const who = (approvals: Approval[]) => approvals.map((a) => `${a.by.name} (${time(a.at)})`).join(', ');

/** Whose sign-in will run the switch (names already shown). */
function runsWith(req: SoaRequest): string {
  const completing = completingApproval(req)?.by;
  const by = req.approver ?? completing;
  const what = quorumOf(req).secondStage ? 'the first stage' : 'the quorum';
  // A resumed plan runs with whoever resumed it.
  if (by && completing && by.id !== completing.id) return `${by.name}'s sign-in`;
  return by
    ? `${by.name}'s sign-in (the approval that completed ${what})`
    : `the sign-in of the approver who completes ${what} (who needs the approver role when it runs)`;
}

/** What the status line says while the request waits (names already shown). */
export function waitingFor(req: SoaRequest): string {
  const stage = currentStage(req);
  if (!isMultiApproval(req) || stage === null) return 'waiting for approval';
  return `waiting for approval (${count(req, stage)})`;
}

/** The card's facts about the approvals, for a request that needs several (names already shown). */
export function approvalFacts(req: SoaRequest): Array<{ label: string; value: string }> {
  const q = quorumOf(req);
  const facts: Array<{ label: string; value: string }> = [];
  const first = approvalsAt(req, 1);
  facts.push({
    label: q.secondStage ? 'First stage' : 'Approvals',
    value: `${first.length} of ${q.approvals} approvals${first.length ? `: ${who(first)}` : ''}`,
  });
  if (q.secondStage) {
    const second = approvalsAt(req, 2);
    facts.push({
      label: 'Second stage',
      value: `${second.length} of ${q.secondStage.approvals} approvals${second.length ? `: ${who(second)}` : ''}`,
    });
  }
  if (req.state !== 'rejected') facts.push({ label: 'Runs with', value: runsWith(req) });
  return facts;
}

/** Under the card while it can be decided: who may approve now, and who already did (names already shown). */
export function whoMayDecide(req: SoaRequest, policy: ApprovalPolicy): string {
  const stage = currentStage(req);
  if (!isMultiApproval(req) || stage === null)
    return `Who may decide: ${describeApprovers(policy)}. Anyone else is refused.`;
  const done = (req.approvals ?? []).map((a) => a.by.name);
  const except = done.length ? `; not ${done.join(', ')} (approved already: a person counts once)` : '';
  const more = `${STAGE_NAME[stage]}, ${missing(req, stage)} more needed`;
  if (stage === 1)
    return `Who may approve now (${more}): ${describeApprovers(policy)}${except}. Anyone else is refused.`;
  const self = policy.allowSelfApproval ? '' : ', other than the requester';
  return (
    `Who may approve now (${more}): ${secondStageGroup(req)}${self}${except}. ` +
    'Anyone else is refused; first-stage approvers and these members may reject.'
  );
}

/** The thread line when a request needing several approvals is approved (names already shown). */
export function approvedLine(req: SoaRequest): string {
  const q = quorumOf(req);
  const names = (stage: Stage) =>
    approvalsAt(req, stage)
      .map((a) => a.by.name)
      .join(', ');
  const stages = q.secondStage ? `first stage: ${names(1)}; second stage: ${names(2)}` : names(1);
  return (
    `Request ${req.id} for **${req.groupName}** has all its approvals (${stages}); ` +
    `running it with ${req.approver?.name}'s sign-in, the approval that completed ` +
    `${q.secondStage ? 'the first stage' : 'the quorum'}.`
  );
}

/** What the reminder says the request waits for (names already shown). */
export function reminderWaits(req: SoaRequest, policy: ApprovalPolicy): { waits: string; who: string } {
  const stage = currentStage(req);
  if (!isMultiApproval(req) || stage === null)
    return { waits: 'still waits for a decision', who: `Who may decide: ${describeApprovers(policy)}.` };
  const given = approvalsAt(req, stage);
  return {
    waits:
      `still waits for ${plural(missing(req, stage), 'more approval')} at the ${STAGE_NAME[stage]} ` +
      `(${given.length} of ${needed(req, stage)}${given.length ? `: ${given.map((a) => a.by.name).join(', ')}` : ''})`,
    who: whoMayDecide(req, policy),
  };
}

/** The request's timeline: its state changes, and each approval counted before the last (names shown). */
export function timelineOf(req: SoaRequest): HistoryEntry[] {
  const rows: HistoryEntry[] = [...req.history];
  if (!isMultiApproval(req)) return rows;
  for (const a of req.approvals ?? []) {
    // The approval that completed every stage is the 'approved' entry itself.
    if (req.history.some((h) => h.state === 'approved' && h.at === a.at && h.by === a.by.name)) continue;
    const n = approvalsAt(req, a.stage).indexOf(a) + 1;
    const stage = req.quorum?.secondStage ? ` (${STAGE_NAME[a.stage]})` : '';
    const note = `approval ${n} of ${needed(req, a.stage)}${stage}`;
    rows.push({ at: a.at, state: 'awaiting_approval', by: a.by.name, note });
  }
  return rows.sort((x, y) => x.at.localeCompare(y.at));
}

export function approvalNotice(n: ApprovalNotice): string {
  switch (n.kind) {
    case 'alreadyApproved': {
      const req = n.request;
      const stage = currentStage(req);
      const left = stage ? ` It still waits for ${plural(missing(req, stage), 'approval')} from someone else.` : '';
      return (
        `You already approved request ${req.id} at ${time(n.approval.at)}` +
        `${req.quorum?.secondStage ? ` (${STAGE_NAME[n.approval.stage]})` : ''}; ` +
        `a person's approval counts once.${left}`
      );
    }
    case 'notSecondStageMember':
      return (
        `Request ${n.request.id} waits for its second stage, which needs ${secondStageGroup(n.request)}; ` +
        'your group memberships, read just now, do not include it.'
      );
    case 'selfApprovalOff':
      return 'You requested this change, so someone else must approve it.';
    case 'approvalCounted':
      return counted(shownReq(n.request, forMessage), {
        ...n.approval,
        by: { ...n.approval.by, name: forMessage(n.approval.by.name) },
      });
    case 'quorumNote': {
      const req = shownReq(n.request, forMessage);
      const q = quorumOf(req);
      const second = q.secondStage ? `, second stage ${approvalsAt(req, 2).length} of ${q.secondStage.approvals}` : '';
      const runner = completingApproval(req)!.by;
      return `${approvalsAt(req, 1).length} of ${q.approvals} approvals${second}; runs with ${runner.name}'s sign-in`;
    }
  }
}

/** The thread line for an approval counted while more are needed. */
function counted(req: SoaRequest, a: Approval): string {
  const stage = currentStage(req);
  const head = `${a.by.name} approved request ${req.id} for **${req.groupName}** (${count(req, a.stage)})`;
  if (stage === a.stage) return `${head}; ${plural(missing(req, stage), 'more approval')} needed.`;
  return (
    `${head}. The first stage is complete; the switch will run with ${completingApproval(req)!.by.name}'s sign-in. ` +
    `Waiting for the second stage: ${plural(missing(req, 2), 'approval')} from ${secondStageGroup(req)}.`
  );
}

/** What `pending` finds, per stage. */
export interface PendingByStage {
  first: SoaRequest[];
  second: SoaRequest[];
  /** Requests you approved that still wait for others. */
  approvedByYou: SoaRequest[];
}

/** `pending` with several approvals: one card per stage that has requests, and what you approved. */
export function pendingCards(p: PendingByStage, policy: ApprovalPolicy, emptyText: string): Card[] {
  const card = (title: string, requests: SoaRequest[]) =>
    render('status', {
      title,
      emptyText,
      items: requests
        .map((raw) => shownReq(raw, forCard))
        .map((r) => ({
          id: r.id,
          change: `${r.action === 'move' ? 'move to cloud' : 'rollback to AD'} of ${r.groupName}`,
          stateLabel: waitingFor(r),
          summary: `${statusLineOf(r)}. ${whoMayDecide(r, policy)}`,
          timeline: [],
        })),
    });
  const cards: Card[] = [];
  if (p.first.length) cards.push(card('Waiting for your approval: first stage', p.first));
  if (p.second.length) cards.push(card('Waiting for your approval: second stage', p.second));
  if (p.approvedByYou.length) cards.push(card('You approved; waiting for other approvers', p.approvedByYou));
  if (!cards.length) cards.push(card('Waiting for your decision', []));
  return cards;
}
