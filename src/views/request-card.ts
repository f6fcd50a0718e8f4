/** The request card (one group or a plan, in every state) and the check card of one group. */
import type { SoaAction } from '../domain/command';
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import type { CheckRow, GroupFacts } from '../domain/prerequisites';
import { cardVersion, type SoaRequest } from '../domain/request';
import { checkRows, groupFacts } from './facts';
import { changeLabel, shortChange, time, type Card } from './labels';
import { planView } from './plan-card';
import { shownChecks, shownFacts, shownReq } from './shown';
import { statusLineOf } from './status-line';
import { render } from './templates';
import { forCard } from './text';

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

export function requestCard(raw: SoaRequest, policy: ApprovalPolicy, ackText: AckText): Card {
  const req = shownReq(raw, forCard);
  const outcome: Array<{ label: string; value: string }> = [
    { label: 'Request', value: req.id },
    { label: 'Change', value: changeLabel(req.action) },
    { label: 'Requested by', value: `${req.requester.name} at ${time(req.createdAt)}` },
  ];
  if (req.approver)
    outcome.push({
      label: req.state === 'rejected' ? 'Rejected by' : 'Approved by',
      value: `${req.approver.name}${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}`,
    });
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
  const plan = req.plan ? planView(req) : undefined;
  return render('request', {
    ...(plan ? { plan } : {}),
    canResume: !!req.plan && req.state === 'stopped',
    canRollbackPlan:
      !!req.plan &&
      req.action === 'move' &&
      ['completed', 'stopped'].includes(req.state) &&
      req.plan.steps.some((st) => st.state === 'done'),
    title: `${req.action === 'move' ? 'Move to cloud' : 'Roll back to AD'}: ${req.groupName}`,
    statusLine: statusLineOf(req),
    headerStyle: HEADER[req.state] ?? 'default',
    groupFacts: groupFacts(req.facts),
    checks: checkRows(req.checks),
    outcome,
    approvers: canDecide ? `Who may decide: ${describeApprovers(policy)}. Anyone else is refused.` : undefined,
    canDecide,
    ackText: ackText(req.checks.find((c) => c.id === 'syncVersions')),
    requestId: req.id,
    version: cardVersion(req),
    canRequestFromCheck: false,
  });
}

/** The dry-run report (check), with a button to turn it into a request when nothing blocks. */
export function checkCard(rawFacts: GroupFacts, rawChecks: CheckRow[], action: SoaAction, blocked: boolean): Card {
  const facts = shownFacts(rawFacts, forCard);
  const checks = shownChecks(rawChecks, forCard);
  return render('request', {
    title: `Check (${shortChange(action)}): ${facts.group.displayName}`,
    statusLine: blocked
      ? 'A blocking check failed: this change cannot be requested.'
      : 'Dry run: nothing was requested or changed.',
    headerStyle: blocked ? 'attention' : 'emphasis',
    groupFacts: groupFacts(facts),
    checks: checkRows(checks),
    outcome: [],
    canDecide: false,
    canRequestFromCheck: !blocked,
    requestTitle: action === 'move' ? 'Request the move' : 'Request the rollback',
    groupId: facts.group.id,
    action,
  });
}
