/** The SOA request and its state machine. Pure: no I/O. */
import type { SoaAction } from './command';
import { CodedError } from './errors';
import type { StillNeededInAd } from './gpad';
import type { Adjustment } from './schedule';
import type { CheckRow, GroupFacts } from './prerequisites';
import type { Plan } from './request-plan';
import type { CloudChangeReport, RestorePoint } from './restore-point';
import type { TrialInfo } from './trial';

import type { Approval, PendingSignIn, Quorum } from './request-approvals';
export type { Plan, PlanStep } from './request-plan';
export type { Approval, PendingSignIn, Quorum } from './request-approvals';

export type RequestState =
  | 'awaiting_approval'
  | 'approved'
  | 'executing'
  | 'awaiting_audit'
  | 'completed'
  | 'failed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'waiting_for_sync'
  | 'taken_over'
  /** A plan that stopped at a failed step: the rest untouched; it can be resumed or cancelled. */
  | 'stopped';

const TRANSITIONS: Record<RequestState, RequestState[]> = {
  awaiting_approval: ['approved', 'rejected', 'expired', 'cancelled'],
  // A scheduled request approved ahead of its time can still be cancelled or rejected until it starts.
  approved: ['executing', 'failed', 'cancelled', 'rejected'],
  // A plan paused at a change window's end waits, approved, for the next window.
  executing: ['awaiting_audit', 'failed', 'stopped', 'approved'],
  // Resuming a stopped plan is a new approval (with the resumer's token); cancelling ends it.
  stopped: ['approved', 'cancelled'],
  // A move completes with its audit entry; a rollback then waits for the sync take-over.
  awaiting_audit: ['completed', 'waiting_for_sync', 'failed'],
  waiting_for_sync: ['taken_over', 'failed'],
  completed: [],
  failed: [],
  rejected: [],
  expired: [],
  cancelled: [],
  taken_over: [],
};

export const FINAL_STATES: RequestState[] = ['completed', 'failed', 'rejected', 'expired', 'cancelled', 'taken_over'];

export const OPEN_STATES: RequestState[] = [
  'awaiting_approval',
  'approved',
  'executing',
  'awaiting_audit',
  'waiting_for_sync',
  'stopped',
];

export interface Person {
  /** Entra object id. */
  id: string;
  name: string;
  /** The Bot Framework user id (Teams `from.id`), for the token service. */
  channelUserId?: string;
}

export interface AuditConfirmation {
  id: string;
  activityDisplayName: string;
  activityDateTime: string;
  initiatedBy: string;
  result: string;
  correlationId: string;
}

export interface HistoryEntry {
  at: string;
  state: RequestState;
  by?: string;
  note?: string;
}

/** Where the request lives in Teams: enough to post into its thread and update its card. */
export interface ConversationAnchor {
  /** A botbuilder ConversationReference, JSON. */
  reference: Record<string, unknown>;
  conversationType: 'personal' | 'groupChat' | 'channel';
  cardActivityId?: string;
}

export interface SoaRequest {
  id: string;
  version: number;
  action: SoaAction;
  groupId: string;
  groupName: string;
  state: RequestState;
  requester: Person;
  approver?: Person;
  selfApproved?: boolean;
  syncVersionsAcknowledged?: boolean;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  reason?: string;
  facts: GroupFacts;
  checks: CheckRow[];
  anchor: ConversationAnchor;
  audit?: AuditConfirmation;
  /** When the PATCH was verified: audit entries older than this are not ours. */
  switchedAt?: string;
  takenOverAt?: string;
  /** Set while an instance executes the request: only the owner works on it until expiry. */
  lease?: { owner: string; expiresAt: string };
  remindedAt?: string;
  /** Approvers asked to sign in again (Entra ID wants MFA or a fresh sign-in); their approval finishes after it. */
  signInsPending?: PendingSignIn[];
  /** After a move: what the sync cycles since showed (see the watch job). */
  watch?: {
    cycles: number;
    lastCycleAt: string;
    takenOver: string[];
    skippedEdits: Array<{ groupId: string; at: string; changes: string[] }>;
  };
  /** Several groups under this one approval; groupId/groupName then name the root or the wave. */
  plan?: Plan;
  /** The approvals given so far, in order; the request stays awaiting approval until every stage has its count. */
  approvals?: Approval[];
  /** Set when more than one approval or a second stage is needed (absent: one approval, as before). */
  quorum?: Quorum;
  /** Why the requester asks for it (`because …`, or the reason card); shown everywhere the request is. */
  justification?: string;
  /** The change ticket the requester named (`for CHG0012345`), checked against TICKET_PATTERN. */
  ticket?: string;
  /** Scheduled switches: the instant the requester asked for (ISO UTC). */
  scheduledFor?: string;
  /** Execution does not start before this (ISO UTC): the scheduled time, or a change window's opening. */
  notBefore?: string;
  /** Scheduled switches: the zone the time was read in, and which of its thread notices were sent. */
  schedule?: ScheduleInfo;
  /** The zone of the change windows it waits for (CHANGE_TIMEZONE): its wait is shown in that zone. */
  windowZone?: string;
  /** A plan that paused at a change window's end: when (it resumes at `notBefore`, without a new approval). */
  pausedAt?: string;
  /** Each switched group as read just before its PATCH (the latest read per group). */
  restorePoints?: RestorePoint[];
  /** Rollbacks: what changed in the cloud since the group's move, against that move's restore point. */
  cloudChanges?: CloudChangeReport;
  /** A move the approver marked as still needed in AD: the thread gets the GPAD checklist after the switch. */
  stillNeededInAd?: StillNeededInAd;
  /** The groups whose checklist was posted (each once, a resumed plan's later steps after). */
  gpadPosted?: string[];
  /** A trial move: its length, its end once switched, and its reminders (domain/trial.ts). */
  trial?: TrialInfo;
  /** The rollback a trial's end (or Roll back now) made: the trial move's id. */
  trialOf?: string;
  history: HistoryEntry[];
}

/** What a scheduled request keeps besides its time. */
export interface ScheduleInfo {
  /** The IANA zone (CHANGE_TIMEZONE) the time was read and is shown in. */
  zone: string;
  /** How a local time the zone skips or repeats that day was read (said on the card). */
  adjusted?: Adjustment;
  /** When the reminder an hour before the time was sent. */
  remindedAt?: string;
  /** When the thread heard that the time came before the approval. */
  lateAt?: string;
}

/**
 * A scheduled request approved ahead of its time and not started: it can still be cancelled or
 * rejected. (A stopped plan resumed after its time has started before: not this.)
 */
export function isWaitingForItsTime(req: SoaRequest): boolean {
  return req.state === 'approved' && !!req.scheduledFor && !req.history.some((h) => h.state === 'executing');
}

/**
 * Approved and waiting to start, for its own time or for a change window's opening, never
 * started: the requester can still cancel it and an approver reject it.
 */
export function isWaitingToStart(req: SoaRequest): boolean {
  return (
    req.state === 'approved' &&
    !!(req.scheduledFor ?? req.notBefore) &&
    !req.history.some((h) => h.state === 'executing')
  );
}

export function canTransition(from: RequestState, to: RequestState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Returns the request moved to `to` (a new object, version + 1), or throws IllegalTransition. */
export function transition(
  req: SoaRequest,
  to: RequestState,
  at: Date,
  changes: Partial<SoaRequest> = {},
  note?: { by?: string; note?: string },
): SoaRequest {
  if (!canTransition(req.state, to)) {
    throw new CodedError(
      'IllegalTransition',
      `A request that is ${describeState(req.state)} cannot become ${describeState(to)}.`,
      { from: req.state, to },
    );
  }
  return {
    ...req,
    ...changes,
    state: to,
    version: req.version + 1,
    updatedAt: at.toISOString(),
    history: [
      ...req.history,
      {
        at: at.toISOString(),
        state: to,
        ...(note?.by ? { by: note.by } : {}),
        ...(note?.note ? { note: note.note } : {}),
      },
    ],
  };
}

export function isOpen(state: RequestState): boolean {
  return OPEN_STATES.includes(state);
}

export function describeState(s: RequestState): string {
  switch (s) {
    case 'awaiting_approval':
      return 'waiting for approval';
    case 'approved':
      return 'approved';
    case 'executing':
      return 'running';
    case 'awaiting_audit':
      return 'waiting for the audit log';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'rejected':
      return 'rejected';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    case 'waiting_for_sync':
      return 'waiting for the next sync cycle';
    case 'taken_over':
      return 'taken over by AD';
    case 'stopped':
      return 'stopped at a failed step';
  }
}

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Short ids people can type: R-XXXXXX (no 0/O/1/I). */
export function newRequestId(random: (n: number) => Uint8Array): string {
  const bytes = random(6);
  return `R-${Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join('')}`;
}

/**
 * The version a card carries: it counts state changes only, so recording where the card was
 * posted does not make the card everyone sees out of date.
 */
export function cardVersion(req: SoaRequest): number {
  return req.history.length;
}
