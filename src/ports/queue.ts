/**
 * The durable work queue behind all background work (execution, audit polling, sync
 * take-over watch, reminders, expiry). At-least-once: a message whose worker dies becomes
 * visible again, so every handler must be harmless when run twice.
 */
/** `watch`: after a move, looks at the next sync cycles (still cloud-managed? AD edits skipped?). */
/** `scheduleReminder`: an hour before a scheduled switch, a reminder to its approvers. */
/** `trialReminder`, `trialEnd`: a day and an hour before a trial's end, and its end (the rollback). */
/** `readiness`: one hop of a readiness scan (`requestId` carries the scan id, S-…). */
export type JobKind =
  | 'execute'
  | 'audit'
  | 'takeover'
  | 'remind'
  | 'expire'
  | 'watch'
  | 'scheduleReminder'
  | 'trialReminder'
  | 'trialEnd'
  | 'readiness';

export interface Job {
  kind: JobKind;
  requestId: string;
  /** For polling jobs: how many polls came before this one. */
  attempt?: number;
}

export interface ReceivedJob {
  job: Job;
  /** How many times this message has been handed out, this time included. */
  dequeueCount: number;
  /** Changes when the message's visibility is extended (a new pop receipt). */
  receipt: string;
  id: string;
}

export interface WorkQueue {
  enqueue(job: Job, delayMs?: number): Promise<void>;
  /** Hands out the next visible message and hides it for `visibilityMs`; null if none. */
  receive(visibilityMs: number): Promise<ReceivedJob | null>;
  /**
   * Keeps a message in hand hidden for another `visibilityMs` (a long job's heartbeat), so it
   * is not handed out again while its worker is alive; false if it was handed out meanwhile.
   */
  extend(job: ReceivedJob, visibilityMs: number): Promise<boolean>;
  /** Deletes a handled message (only if it has not been handed out again since). */
  complete(job: ReceivedJob): Promise<void>;
  close(): Promise<void>;
}
