/** The words for change windows: a request waiting for its window, a plan paused at a window's end. */
import { DateTime } from 'luxon';
import type { SoaRequest } from '../domain/request';

/**
 * A window's time, in its zone and in UTC: "Sat 5 Dec 22:00 Europe/Berlin (21:00 UTC)", or
 * "Sat 5 Dec 21:00 UTC" where the zone is UTC or not known.
 */
export function windowTime(iso: string, zone = 'UTC'): string {
  // English day and month names whatever the server's locale: the bot speaks English.
  const utc = DateTime.fromISO(iso, { zone: 'utc', locale: 'en-GB' });
  if (['UTC', 'ETC/UTC'].includes(zone.toUpperCase())) return `${utc.toFormat('ccc d LLL HH:mm')} UTC`;
  return `${utc.setZone(zone).toFormat('ccc d LLL HH:mm')} ${zone} (${utc.toFormat('HH:mm')} UTC)`;
}

/** The history note (and thread line) of a plan paused at a window's end. */
export function windowPausedNote(n: { done: number; steps: number; resumesAt: string; zone: string }): string {
  return (
    `Paused at the end of the change window after ${n.done} of ${n.steps} groups; the rest run ` +
    `when the next window opens, ${windowTime(n.resumesAt, n.zone)}, without a new approval.`
  );
}

/** The refusal of a scheduled time outside every change window, naming the next window. */
export function outsideWindows(n: { scheduledFor: string; opens: string; closes: string; zone: string }): string {
  return (
    `${windowTime(n.scheduledFor, n.zone)} is outside every change window (CHANGE_WINDOWS). ` +
    `The next one opens ${windowTime(n.opens, n.zone)} and closes ${windowTime(n.closes, n.zone)}; ` +
    'ask for a time inside it, or leave the time out: an approved request waits for the next window.'
  );
}

/** The status line of an approved request that waits (for its window, or paused at one's end); null if it does not. */
export function waitingLine(req: SoaRequest, by: string): string | null {
  if (req.state !== 'approved' || !req.notBefore) return null;
  const when = windowTime(req.notBefore, req.windowZone);
  if (req.pausedAt && req.plan) {
    const done = req.plan.steps.filter((st) => st.state === 'done').length;
    const n = req.plan.steps.length;
    return `Paused at the end of the change window · ${done} of ${n} groups switched · resumes ${when}`;
  }
  return `Approved by ${by} · scheduled for ${when}`;
}

/** The thread line when an approved request waits, or a plan pauses; null if it does not wait. */
export function waitingThreadLine(req: SoaRequest): { text: string } | null {
  if (!req.notBefore) return null;
  const paused = req.pausedAt && req.plan ? [...req.history].reverse().find((h) => h.state === 'approved') : null;
  if (paused?.note) return { text: `⏸️ Plan ${req.id} (${req.plan!.label}): ${paused.note}` };
  return {
    text:
      `Request ${req.id} for **${req.groupName}** was approved by ${req.approver?.name}` +
      `${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}; outside the change windows, ` +
      `it runs with their sign-in when the next one opens, ${windowTime(req.notBefore, req.windowZone)}.`,
  };
}
