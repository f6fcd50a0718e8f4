/** The request card (one group or a plan, in every state) and the check card of one group. */
import { NO_CHANGE_CONTROL, type ChangeControlRules } from '../domain/change-control';
import type { SoaAction } from '../domain/command';
import type { ApprovalPolicy } from '../domain/policy';
import { currentStage, isMultiApproval } from '../domain/quorum';
import { applicableRows, blockingReasons, type CheckRow, type GroupFacts } from '../domain/prerequisites';
import { cardVersion, isWaitingToStart, type SoaRequest } from '../domain/request';
import { approvalFacts, whoMayDecide } from './approvals';
import { changeControlFacts } from './change-control';
import { checkSections, groupFacts } from './facts';
import { STILL_NEEDED_TOGGLE, stillNeededFact } from './gpad';
import { changeLabel, shortChange, time, type Card } from './labels';
import { planView } from './plan-card';
import { shownChecks, shownFacts, shownReq } from './shown';
import { statusLineOf } from './status-line';
import { restoreRows } from './restore-point';
import { render, sentences } from './templates';
import { forCard } from './text';
import { trialRows } from './trial';
import { scheduleRows } from './when';

const HEADER: Record<string, string> = {
  awaiting_approval: 'accent',
  approved: 'accent',
  executing: 'accent',
  awaiting_audit: 'accent',
  completed: 'good',
  waiting_for_sync: 'warning',
  taken_over: 'good',
  failed: 'attention',
  rejected: 'attention',
  expired: 'default',
  cancelled: 'default',
  stopped: 'attention',
};

/** The text next to the approver's "I confirm" box, from the sync client versions check. */
export type AckText = (r: CheckRow | undefined) => string;

export function requestCard(
  raw: SoaRequest,
  policy: ApprovalPolicy,
  ackText: AckText,
  rules: ChangeControlRules = NO_CHANGE_CONTROL,
): Card {
  const req = shownReq(raw, forCard);
  const outcome: Array<{ label: string; value: string }> = [
    { label: 'Request', value: req.id },
    { label: 'Change', value: changeLabel(req.action) },
    { label: 'Requested by', value: `${req.requester.name} at ${time(req.createdAt)}` },
    ...changeControlFacts(req, rules),
  ];
  if (isMultiApproval(req)) outcome.push(...approvalFacts(req));
  if (req.approver && (!isMultiApproval(req) || req.state === 'rejected'))
    outcome.push({
      label: req.state === 'rejected' ? 'Rejected by' : 'Approved by',
      value: `${req.approver.name}${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}`,
    });
  outcome.push(...scheduleRows(req), ...trialRows(req), ...restoreRows(req));
  const inAd = stillNeededFact(req);
  if (inAd) outcome.push(inAd);
  if (req.audit) {
    outcome.push(
      { label: 'Audit activity', value: req.audit.activityDisplayName },
      { label: 'Audit time', value: time(req.audit.activityDateTime) },
      { label: 'Initiated by', value: req.audit.initiatedBy },
      { label: 'Result', value: req.audit.result },
      { label: 'Audit record', value: req.audit.id },
      { label: 'Correlation id', value: req.audit.correlationId },
    );
  }
  const canDecide = req.state === 'awaiting_approval';
  // The second stage reviews the change: the tick box is the first stage's (needsAck).
  const needsAck = canDecide && currentStage(req) !== 2;
  const plan = req.plan ? planView(req) : undefined;
  const ack = req.checks.find((c) => c.id === 'syncVersions');
  // While it can be decided, the tick box above Approve says what to confirm: the row would say it twice.
  const checks = checkSections(needsAck ? req.checks.filter((c) => c !== ack) : req.checks, {
    fold: ['ack'],
    ...(req.syncVersionsAcknowledged ? { labels: { ack: 'confirmed by the approver' } } : {}),
  });
  const title = `${req.action === 'move' ? 'Move to cloud' : 'Roll back to AD'}: ${req.groupName}`;
  const statusLine = statusLineOf(req);
  return render(
    'request',
    {
      ...(plan ? { plan } : {}),
      canResume: !!req.plan && req.state === 'stopped',
      canRollbackPlan:
        !!req.plan &&
        req.action === 'move' &&
        ['completed', 'stopped'].includes(req.state) &&
        req.plan.steps.some((st) => st.state === 'done'),
      title,
      statusLine,
      headerStyle: HEADER[req.state] ?? 'default',
      groupFacts: groupFacts(req.facts),
      ...checks,
      outcome,
      approvers: canDecide ? whoMayDecide(req, policy) : undefined,
      canDecide,
      needsAck,
      // Until a scheduled request starts, an approver can still reject it.
      canReject: canDecide || isWaitingToStart(req),
      ackText: ackText(ack),
      // A move: the approver says with Approve whether the group is still read on-premises (views/gpad.ts).
      askStillNeeded: canDecide && req.action === 'move' && !req.stillNeededInAd,
      stillNeededText: STILL_NEEDED_TOGGLE,
      requestId: req.id,
      version: cardVersion(req),
      canRequestFromCheck: false,
    },
    sentences([title, statusLine, checksSummary(checks)]),
  );
}

/** The prerequisites in a sentence: the counts, and which rows need attention. */
function checksSummary(s: ReturnType<typeof checkSections>): string {
  return s.checks.length
    ? `${s.checksHeading}: ${s.checks.map((c) => `${c.title} (${c.statusLabel})`).join('; ')}`
    : s.checksHeading;
}

/**
 * The dry-run report (check), with a button to turn it into a request when nothing blocks.
 * Blocked, it leads with the reason and shows only the rows that apply to the group.
 */
export function checkCard(rawFacts: GroupFacts, rawChecks: CheckRow[], action: SoaAction, blocked: boolean): Card {
  const facts = shownFacts(rawFacts, forCard);
  const checks = shownChecks(applicableRows(rawFacts, rawChecks), forCard);
  const sections = checkSections(checks);
  const title = `Check (${shortChange(action)}): ${facts.group.displayName}`;
  const statusLine = blocked
    ? `${blockingReasons(checks).join(' ')} This ${shortChange(action)} cannot be requested.`
    : 'Dry run: nothing was requested or changed.';
  return render(
    'request',
    {
      title,
      statusLine,
      headerStyle: blocked ? 'attention' : 'emphasis',
      groupFacts: groupFacts(facts),
      ...sections,
      outcome: [],
      canDecide: false,
      canRequestFromCheck: !blocked,
      requestTitle: action === 'move' ? 'Request the move' : 'Request the rollback',
      groupId: facts.group.id,
      action,
    },
    sentences([title, statusLine, checksSummary(sections)]),
  );
}
