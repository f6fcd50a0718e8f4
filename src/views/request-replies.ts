/** The bot's replies when a request or a plan is asked for, and cannot be, or already is. */
import type { SoaAction } from '../domain/command';
import { blockingReasons, type CheckRow } from '../domain/prerequisites';
import { PH } from './labels';
import { forMessage } from './text';

export const NOT_REQUESTED = {
  /** Sent with the check card whose blocking check stopped the request: the reason first. */
  blocked: (action: SoaAction, checks: CheckRow[]) =>
    `${blockingReasons(checks)
      .map((r) => forMessage(r, 1200))
      .join(' ')} This ${action === 'move' ? 'move' : 'rollback'} cannot be requested.`,
  planBlocked: 'This plan cannot be requested: a blocking check failed.',
  planConflicts: (conflicts: Array<{ id: string; groupName: string }>) =>
    'Some of these groups already have open requests: ' +
    `${conflicts.map((c) => `${c.id} (${forMessage(c.groupName)})`).join(', ')}. ` +
    `Type "status ${PH.requestId}" to see one.`,
  /** When the service gives no reason of its own. */
  noPlanRollback: 'That plan cannot be rolled back.',
};

/** The group already has an open request. */
export const ALREADY_OPEN = {
  /** Its approval card never arrived: it is posted again right after this line. */
  cardAgain: (groupName: string, id: string) =>
    `**${forMessage(groupName)}** already has an open request, ${id}, whose approval card did not arrive; ` +
    'here it is again.',
  /** `statusLine` is the request's status line (statusLine in status-line.ts). */
  elsewhere: (groupName: string, id: string, statusLine: string) =>
    `**${forMessage(groupName)}** already has an open request, ${id} (${forMessage(statusLine)}). ` +
    `Type \`status ${id}\` to see it.`,
};

export const cancelled = (id: string) => `Request ${id} is cancelled.`;
