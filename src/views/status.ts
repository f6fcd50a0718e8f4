/** Where requests stand: the status card (`status`, `pending`) and the conversation's board. */
import { describeState, type SoaRequest } from '../domain/request';
import { timelineOf } from './approvals';
import { changeControlNote } from './change-control';
import { PH, shortChange, time, type Card } from './labels';
import { restoreLine } from './restore-point';
import { shownReq } from './shown';
import { statusLineOf } from './status-line';
import { render, summarised } from './templates';
import { forCard, forMessage } from './text';

/** Rows on the board card: keeps it well inside Teams' card size limit. */
const BOARD_ROWS = 40;

const STATE_ICON: Record<string, string> = {
  awaiting_approval: '🕓',
  approved: '▶️',
  executing: '▶️',
  awaiting_audit: '🔎',
  waiting_for_sync: '🔄',
  completed: '✅',
  taken_over: '✅',
  failed: '❌',
  rejected: '⛔',
  expired: '⌛',
  cancelled: '✖️',
  stopped: '⏸️',
};

export function statusCard(title: string, requests: SoaRequest[], emptyText: string, withTimeline: boolean): Card {
  return render('status', {
    title: forCard(title),
    emptyText,
    items: requests
      .map((raw) => shownReq(raw, forCard))
      .map((r) => ({
        id: r.id,
        change: `${shortChange(r.action)} of ${r.groupName}${changeControlNote(r)}`,
        stateLabel: describeState(r.state),
        summary: statusLineOf(r),
        restore: withTimeline ? restoreLine(r) : undefined,
        timeline: withTimeline
          ? timelineOf(r).map((h) => ({
              at: time(h.at),
              what: `${describeState(h.state)}${h.by ? ` (${h.by})` : ''}${h.note ? `: ${h.note}` : ''}`,
            }))
          : [],
      })),
  });
}

/** The channel's tracking board: open requests (oldest first), then the last day's finished ones. */
export function boardCard(key: string, open: SoaRequest[], recent: SoaRequest[], updatedAt: string): Card {
  const row = (raw: SoaRequest) => {
    const r = shownReq(raw, forCard);
    return {
      id: r.id,
      icon: STATE_ICON[r.state],
      change:
        `${shortChange(r.action)} of ${r.groupName}${r.plan ? ` (${r.plan.steps.length} groups)` : ''}` +
        changeControlNote(r),
      line: statusLineOf(r),
    };
  };
  const ordered = [...open].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const waiting = open.filter((r) => r.state === 'awaiting_approval').length;
  return render('board', {
    key,
    title: 'Group SOA requests in this conversation',
    summary: `${open.length} open · ${waiting} waiting for approval · ${open.length - waiting} in progress`,
    open: ordered.slice(0, BOARD_ROWS).map(row),
    more:
      ordered.length > BOARD_ROWS
        ? `…and ${ordered.length - BOARD_ROWS} more open requests (oldest shown first); "status" lists them.`
        : '',
    recent: recent.map(row),
    updated: time(updatedAt),
  });
}

/** What an earlier board of the conversation shows once a newer one is posted. */
export function movedBoardCard(): Card {
  return summarised({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [
      {
        type: 'TextBlock',
        text: 'This board was replaced by a newer one in this conversation.',
        wrap: true,
        isSubtle: true,
      },
    ],
  });
}

// ---------------------------------------------------------------- titles and empty texts

/** `status` alone: the user's open requests, else their latest ones. */
export const MY_STATUS = {
  openTitle: (n: number) => `Your open requests (${n})`,
  latestTitle: 'You have no open requests; your latest ones',
  none: `You have no requests yet. Try "move ${PH.group} to cloud".`,
};

/** `status R-…`. */
export const REQUEST_STATUS = {
  title: (id: string) => `Request ${id}`,
  unknown: (id: string) => `There is no request ${forMessage(id)}.`,
};

/** `status <group>`: one card per group of that name. */
export const GROUP_STATUS = {
  title: (displayName: string) => `Requests for ${displayName}`,
  none: (displayName: string, id: string) => `No requests for ${forCard(displayName)} (${id}).`,
  noGroup: (name: string) => `I found no group named **${forMessage(name)}**.`,
};

/** `pending`: what waits for the user's decision. */
export const PENDING = {
  title: 'Waiting for your decision',
  empty: (reason?: string) => (reason ? `Nothing you can decide: ${reason}` : 'Nothing is waiting for your decision.'),
};
