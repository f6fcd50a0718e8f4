/** Turns requests into what Teams shows. Implemented by views/. */
import type { SoaAction } from '../domain/command';
import type { GpadGroup } from '../domain/gpad';
import type { Approval, Person, Plan, SoaRequest } from '../domain/request';
import type { Outgoing } from './notifier';
import type { Scan } from './scans';

/**
 * A sentence the use cases need (a click's answer, a refusal, a thread notice, a reason kept on
 * the request), as the facts it is made of: one variant per sentence, so each has its words.
 */
export type Notice =
  // A click that came too late or from an old card.
  | { kind: 'expiredBeforeDecision'; request: SoaRequest }
  | { kind: 'alreadyDecided'; request: SoaRequest }
  | { kind: 'staleCard'; requestId: string; what: 'request' | 'plan' }
  | { kind: 'decidedByOther'; request: SoaRequest }
  | { kind: 'keptChanging'; requestId: string }
  | { kind: 'notResumable'; request: SoaRequest }
  // A click refused before the policy is asked.
  | { kind: 'syncVersionsUnconfirmed' }
  | { kind: 'rejectionReasonMissing' }
  | { kind: 'cancelNotRequester' }
  // A click whose answer came too late: said in the thread, naming the clicker.
  | { kind: 'clickFailed'; who: Person; requestId: string; reason: string }
  // A plan: what a tree plan is called, and why a plan cannot be offered.
  | { kind: 'treeLabel'; rootName: string }
  | { kind: 'planTooLarge'; maxGroups: number }
  | { kind: 'planEmpty'; label: string; skipped: Plan['skipped'] }
  // Why a plan cannot be rolled back.
  | { kind: 'rollbackNotMovePlan'; requestId: string }
  | { kind: 'rollbackNotFinished'; request: SoaRequest }
  | { kind: 'rollbackNothingSwitched'; requestId: string }
  | { kind: 'rollbackConflicts'; requestIds: string[] }
  // Why a switch failed (kept as the request's reason).
  | { kind: 'alreadyInTarget'; action: SoaAction }
  | { kind: 'readBackMismatch' }
  | { kind: 'planStepFailed'; step: number; steps: number; groupName: string; error: string }
  // Notes kept in the history (the timeline shows them), and notices in the thread.
  | { kind: 'selfApprovedNote' }
  | { kind: 'resumedNote' }
  | { kind: 'auditNotVisible'; withinMs: number }
  | { kind: 'planAuditsNotVisible'; missing: number; steps: number; withinMs: number }
  | { kind: 'takeoverLate'; request: SoaRequest }
  | { kind: 'watchStopped'; requestId: string; withinMs: number }
  // A plan paused at a change window's end (a history note and its thread line); `zone`: CHANGE_TIMEZONE.
  | { kind: 'windowPaused'; done: number; steps: number; resumesAt: string; zone: string }
  // A scheduled time outside every change window (domain/windows.ts windowRefusal): the next window named.
  | { kind: 'outsideWindows'; scheduledFor: string; opens: string; closes: string; zone: string }
  // Trials (views/trial.ts): the rollback's history note, clicks refused.
  | { kind: 'trialRollbackNote'; trialId: string }
  | { kind: 'trialNotApprover'; reason: string }
  | { kind: 'trialNotRunning'; request: SoaRequest }
  // Why a readiness scan stopped for good (views/readiness-words.ts): the failure as it came.
  | { kind: 'scanFailed'; error: unknown }
  // Several approvals (a quorum, a second stage): refusals, the thread line, the history note.
  | ApprovalNotice;

/** The notices of several approvals (views/approvals.ts words them). */
export type ApprovalNotice =
  | { kind: 'alreadyApproved'; request: SoaRequest; approval: Approval }
  | { kind: 'notSecondStageMember'; request: SoaRequest }
  | { kind: 'selfApprovalOff' }
  | { kind: 'approvalCounted'; request: SoaRequest; approval: Approval }
  | { kind: 'quorumNote'; request: SoaRequest };

/** What a sync cycle after a move showed: names from the directory. */
export interface WatchSeen {
  lastSync: string;
  /** Where the window looked at starts: null since the switch, else the previous cycle's time. */
  since: string | null;
  takenOver: string[];
  /**
   * The provisioning log over the window; null when it could not be read. `skipped`: the
   * skipped AD-side changes per group; `unlogged`: the groups with no entry at all; `groups`:
   * how many groups were looked at.
   */
  provisioning: {
    skipped: Array<{ name: string; changes: string[] }>;
    unlogged: string[];
    groups: number;
  } | null;
}

export interface Presenter {
  /** The request's card as everyone sees it, for its current state. */
  requestCard(req: SoaRequest): Record<string, unknown>;
  /** A short line for the thread when the request changes state; null when the card says it all. */
  threadUpdate(req: SoaRequest): Outgoing | null;
  /** A failure as a sentence for the thread and the card: what happened and what to do. */
  explain(e: unknown): string;
  /** The words of a notice. */
  notice(n: Notice): string;
  /** The reminder posted in the thread of a request still waiting for a decision. */
  reminder(req: SoaRequest): Outgoing;
  /** A scheduled request's thread line: its reminder an hour ahead, or "its time came before its approval". */
  scheduleLine(req: SoaRequest, kind: 'soon' | 'late'): Outgoing;
  /** A trial's thread line: a reminder (with Keep in the cloud and Roll back now), a call for a click, kept. */
  trialLine(req: SoaRequest, kind: 'day' | 'hour' | 'ask' | 'kept'): Outgoing;
  /**
   * The line with a trial rollback's own card: it runs now, or it waits for an approver (`waits`);
   * the trial ended, or an approver (`by`) clicked Roll back now (`why`).
   */
  trialRollbackLine(
    trial: SoaRequest,
    rollback: SoaRequest,
    how: { waits: boolean; why: 'ended' | 'now'; by: string },
  ): string;
  /** What a sync cycle after a move showed, and what the bot could not see. */
  watchLine(req: SoaRequest, seen: WatchSeen): Outgoing;
  /** After a move still needed in AD: the Group Provisioning to AD checklist of the switched groups. */
  gpadChecklist(req: SoaRequest, groups: GpadGroup[]): Outgoing;
  /**
   * A readiness scan's card for its state: reading → progress (Cancel); done → summary (Export);
   * cancelled; failed.
   */
  readinessCard(scan: Scan): Record<string, unknown>;
}
