/**
 * Trial conversions: a move that rolls itself back after a set time unless someone keeps it.
 * Pure: reading the trial clause, the end of a trial, and which reminder is due.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** "as a trial" without a length: this many days. */
export const TRIAL_DEFAULT_DAYS = 7;
/** The longest trial: longer than this is refused. */
export const TRIAL_MAX_DAYS = 90;
/** The reminders before a trial's end: a day, then an hour ahead. */
export const TRIAL_REMINDERS = [
  { kind: 'day', beforeMs: DAY_MS },
  { kind: 'hour', beforeMs: HOUR_MS },
] as const;

export type TrialReminder = (typeof TRIAL_REMINDERS)[number]['kind'];

export type TrialReading =
  | { ok: true; text: string; lengthMs: number }
  | { ok: false; text: string; problem: 'notPositive' | 'tooLong' | 'unreadable' };

/** A trial clause read for a request: a length, a refused length, or a request that is not one group's move. */
export type TrialCheck = TrialReading | { ok: false; text: string; problem: 'notAMove' };

/** What a trial move keeps: its length, its end once switched, and what happened to it. */
export interface TrialInfo {
  /** The clause as typed ("for 7 days"). */
  text: string;
  lengthMs: number;
  /** Set when the move is switched: the switch time plus the length (ISO UTC). */
  endsAt?: string;
  /** Which reminders were posted, and when. */
  reminded?: Partial<Record<TrialReminder, string>>;
  /** Kept in the cloud: the trial ends without a rollback. */
  kept?: { by: string; at: string };
  /** The rollback request made for the trial's end (or an approver's Roll back now). */
  rollbackId?: string;
  /** When the thread was asked for an approver's click because no approver token could be had. */
  askedAt?: string;
}

/** Reads a trial clause: "for 7 days", "for 12 hours", "as a trial" (7 days); refused lengths say why. */
export function readTrial(text: string): TrialReading {
  const t = text.trim().replace(/\s+/g, ' ');
  if (/^as a trial$/i.test(t)) return { ok: true, text: t, lengthMs: TRIAL_DEFAULT_DAYS * DAY_MS };
  const m = /^for ([-+]?\d+) ?(days?|hours?)(?: as a trial)?$/i.exec(t);
  if (!m) return { ok: false, text: t, problem: 'unreadable' };
  const n = Number(m[1]);
  const lengthMs = n * (/^d/i.test(m[2]!) ? DAY_MS : HOUR_MS);
  if (!(lengthMs > 0)) return { ok: false, text: t, problem: 'notPositive' };
  if (lengthMs > TRIAL_MAX_DAYS * DAY_MS) return { ok: false, text: t, problem: 'tooLong' };
  return { ok: true, text: t, lengthMs };
}

/** The end of a trial switched at `switchedAt`. */
export function trialEnd(info: TrialInfo, switchedAt: string | Date): string {
  return new Date(new Date(switchedAt).getTime() + info.lengthMs).toISOString();
}

/**
 * The reminder due at `now` and not yet posted (the later one when both are: an hour ahead
 * says more than a day ahead), or null.
 */
export function dueReminder(info: TrialInfo, now: Date): TrialReminder | null {
  if (!info.endsAt || info.kept || info.rollbackId) return null;
  const left = new Date(info.endsAt).getTime() - now.getTime();
  if (left <= 0) return null;
  const due = TRIAL_REMINDERS.filter((r) => left <= r.beforeMs).at(-1);
  if (!due || info.reminded?.hour || info.reminded?.[due.kind]) return null;
  return due.kind;
}

/**
 * When the next reminder falls, after `now`, that is not posted yet; null when none is left.
 * A reminder whose time passed before the trial began (a trial shorter than a day) is skipped.
 */
export function nextReminderAt(info: TrialInfo, now: Date): Date | null {
  if (!info.endsAt || info.kept || info.rollbackId) return null;
  const end = new Date(info.endsAt).getTime();
  for (const r of TRIAL_REMINDERS) {
    const at = end - r.beforeMs;
    if (at > now.getTime() && !info.reminded?.[r.kind]) return new Date(at);
  }
  return null;
}
