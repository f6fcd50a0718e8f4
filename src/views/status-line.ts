/** One line saying where a request stands: on its card, in status lists and on the board. */
import { isWaitingForItsTime, type SoaRequest } from '../domain/request';
import { waitingFor } from './approvals';
import { time } from './labels';
import { shownReq } from './shown';
import { forCard } from './text';
import { trialSuffix } from './trial';
import { scheduledSuffix } from './when';
import { waitingLine } from './windows';

/** For a request as stored (its names shown as on a card). */
export function statusLine(req: SoaRequest): string {
  return statusLineOf(shownReq(req, forCard));
}

/** For a request whose names are already shown (shownReq). */
export function statusLineOf(req: SoaRequest): string {
  return stateLine(req) + scheduledSuffix(req) + trialSuffix(req);
}

function stateLine(req: SoaRequest): string {
  const by = req.approver ? req.approver.name : '';
  const self = req.selfApproved ? ' (self-approved: ALLOW_SELF_APPROVAL is on)' : '';
  switch (req.state) {
    case 'awaiting_approval':
      return `Requested by ${req.requester.name} · ${waitingFor(req)} · expires ${time(req.expiresAt)}`;
    case 'approved':
      // A scheduled request says so (its time follows); one held for a change window, or paused at one's end, too.
      if (isWaitingForItsTime(req)) return `Approved by ${by}${self} · waiting for its time`;
      return waitingLine(req, `${by}${self}`) ?? `Approved by ${by}${self} · starting`;
    case 'executing':
      return `Approved by ${by}${self} · running with ${by}'s sign-in…`;
    case 'awaiting_audit':
      return `Done by ${by} and verified · waiting for the audit log entry`;
    case 'completed': {
      if (req.plan) {
        const n = req.plan.steps.length;
        const confirmed = req.plan.steps.filter((st) => st.audit).length;
        return `Completed · ${n} groups switched · ${confirmed} of ${n} confirmed in the audit log`;
      }
      return req.audit
        ? `Completed · confirmed in the audit log`
        : `Completed · verified; the audit entry was not visible in time`;
    }
    case 'waiting_for_sync':
      return `Rolled back by ${by} · waiting for the next sync cycle to take the group over`;
    case 'taken_over':
      return `Rolled back · taken over by AD at ${time(req.takenOverAt)}`;
    case 'failed':
      return `Failed: ${req.reason ?? 'unknown reason'}`;
    case 'rejected':
      return `Rejected by ${by}: ${req.reason ?? ''}`;
    case 'expired':
      return `Expired at ${time(req.expiresAt)} without a decision`;
    case 'cancelled':
      return `Cancelled by ${req.requester.name}`;
    case 'stopped':
      return `Stopped: ${req.reason ?? 'a step failed'}`;
  }
}
