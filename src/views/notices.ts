/** The words of every notice the use cases need (see `Notice` in ports/presenter). No I/O. */
import type { SoaRequest } from '../domain/request';
import type { Notice } from '../ports/presenter';
import { approvalNotice } from './approvals';
import { PH } from './labels';
import { scanFailure } from './readiness-words';
import { forMessage } from './text';
import { trialNotice } from './trial';
import { outsideWindows, windowPausedNote } from './windows';

const STATE_DONE_BY: Partial<Record<SoaRequest['state'], string>> = {
  approved: 'approved',
  executing: 'running',
  awaiting_audit: 'done and waiting for the audit log',
  completed: 'completed',
  waiting_for_sync: 'rolled back and waiting for the next sync',
  taken_over: 'rolled back and taken over by AD',
};

/** Where a request stands, in a sentence, naming who decided it when someone did. */
function describe(req: SoaRequest): string {
  const by = req.approver ? ` by ${req.approver.name}` : '';
  if (req.state === 'rejected') return `rejected${by}`;
  const done = STATE_DONE_BY[req.state];
  return done ? `${done}${by}` : req.state.replace(/_/g, ' ');
}

const minutes = (ms: number) => Math.round(ms / 60000);

export function notice(n: Notice): string {
  switch (n.kind) {
    case 'expiredBeforeDecision':
      return `Request ${n.request.id} expired before a decision.`;
    case 'alreadyDecided':
      return `Request ${n.request.id} is already ${describe(n.request)}.`;
    case 'staleCard':
      return `That card was out of date; here is ${n.what} ${n.requestId} as it stands now.`;
    case 'decidedByOther':
      return `Someone else decided request ${n.request.id} a moment earlier: it is ${describe(n.request)}.`;
    case 'keptChanging':
      return `Request ${n.requestId} kept changing; here it is as it stands now.`;
    case 'notResumable':
      return `Request ${n.request.id} is ${describe(n.request)}; only a stopped plan can be resumed.`;
    case 'syncVersionsUnconfirmed':
      return 'Confirm the sync client versions (the tick box on the card) before approving.';
    case 'rejectionReasonMissing':
      return 'Give a reason for the rejection (at least a few words).';
    case 'cancelNotRequester':
      return 'Only the requester can cancel a request.';
    case 'clickFailed': {
      const who = n.who.channelUserId ? `<at>${n.who.name}</at>` : n.who.name;
      return `${who}: your click on request ${n.requestId} did not go through. ${n.reason}`;
    }
    case 'treeLabel':
      return `the tree under ${n.rootName}`;
    case 'planTooLarge':
      return `The plan would cover more than ${n.maxGroups} groups; split it (for example by sub-tree or name prefix).`;
    case 'planEmpty': {
      if (!n.skipped.length) return `Nothing to switch: ${n.label} has no groups.`;
      const reasons = [...new Set(n.skipped.map((k) => k.reason))].join('; ');
      return `Nothing to switch: all ${n.skipped.length} groups in ${n.label} are skipped (${reasons}).`;
    }
    case 'rollbackNotMovePlan':
      return `Request ${n.requestId} is not a move plan; roll single groups back with "rollback ${PH.group}".`;
    case 'rollbackNotFinished':
      return `Plan ${n.request.id} is ${describe(n.request)}; it can be rolled back once it has finished or stopped.`;
    case 'rollbackNothingSwitched':
      return `Plan ${n.requestId} switched no group, so there is nothing to roll back.`;
    case 'rollbackConflicts':
      return `Some of these groups already have open requests: ${n.requestIds.join(', ')}.`;
    case 'alreadyInTarget':
      return (
        'The group changed since the request: it is already ' +
        `${n.action === 'move' ? 'cloud-managed' : 'managed in AD'}. Nothing was changed.`
      );
    case 'readBackMismatch':
      return 'Microsoft Graph accepted the change but reading it back shows the old value.';
    case 'planStepFailed':
      return `step ${n.step} of ${n.steps} (${n.groupName}) failed: ${n.error}`;
    case 'selfApprovedNote':
      return 'self-approved (ALLOW_SELF_APPROVAL)';
    case 'resumedNote':
      return 'resumed';
    case 'auditNotVisible':
      return `The change was verified, but its audit entry was not visible within ${minutes(n.withinMs)} min.`;
    case 'planAuditsNotVisible':
      return (
        `${n.missing} of ${n.steps} audit entries were not visible within ${minutes(n.withinMs)} min; ` +
        'each change was verified by reading it back.'
      );
    case 'takeoverLate':
      return (
        `Request ${n.request.id}: the sync cycle has not taken **${forMessage(n.request.groupName)}** over yet. ` +
        `Check that the AD group is still in sync scope; \`status ${n.request.id}\` shows it, ` +
        'and the bot looks again at its next start.'
      );
    case 'watchStopped':
      return (
        `Request ${n.requestId}: no directory sync cycle ran within ${minutes(n.withinMs)} min of the switch, ` +
        "so I stopped watching. Check the sync client's schedule."
      );
    case 'alreadyApproved':
    case 'notSecondStageMember':
    case 'selfApprovalOff':
    case 'approvalCounted':
    case 'quorumNote':
      return approvalNotice(n);
    case 'windowPaused':
      return windowPausedNote(n);
    case 'outsideWindows':
      return outsideWindows(n);
    case 'trialRollbackNote':
    case 'trialNotApprover':
    case 'trialNotRunning':
      return trialNotice(n);
    case 'scanFailed':
      return scanFailure(n.error);
  }
}
