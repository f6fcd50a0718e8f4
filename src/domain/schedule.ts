/**
 * Reading a scheduled time ("at 2026-12-05 22:00", "on Saturday at 22:00", "in 2 hours") in
 * the change time zone. Pure: the clock's time and the zone are arguments. chrono-node reads the
 * words; luxon turns the wall-clock time into an instant in the zone (daylight saving included).
 */
import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';

/** Azure Storage Queues hide a message for at most 7 days: a later job is queued in hops of this. */
export const MAX_QUEUE_HOP_MS = 6 * 24 * 3_600_000;

/** How a wall-clock time the zone skips or repeats was read (said on the card). */
export type Adjustment =
  /** The clocks went forward over `asked` that day: read as `at` (the same time after the gap). */
  | { kind: 'gap'; asked: string; date: string }
  /** `asked` happened twice that day (the clocks went back): the first one is taken; `later` is the second. */
  | { kind: 'repeated'; asked: string; date: string; later: string };

export type WhenReading =
  | { ok: true; at: Date; adjusted?: Adjustment }
  | { ok: false; problem: 'unknown' | 'noTimeOfDay'; text: string }
  | { ok: false; problem: 'past'; text: string; at: Date }
  | { ok: false; problem: 'tooFar'; text: string; at: Date; maxDays: number }
  /** With change windows set: the time is outside every one; the next window is named. */
  | { ok: false; problem: 'outsideWindows'; text: string; at: Date; opens: Date; closes: Date };

/** Words that may stand before the time chrono reads ("at 2026-12-05 22:00"). */
const LEAD = /^(?:at|on)?\s*$/i;

/** Is `zone` an IANA time zone luxon knows ("Europe/Berlin", "UTC")? */
export function isKnownZone(zone: string): boolean {
  return DateTime.now().setZone(zone).isValid;
}

/**
 * The instant `text` names, read at `now` in `zone`; refused when it cannot be read, names no
 * time of day, is not in the future, or is more than `maxDays` ahead.
 */
export function readWhen(text: string, now: Date, zone: string, maxDays = 30): WhenReading {
  const clean = text.trim().replace(/\s+/g, ' ');
  const found = /^in\s/i.test(clean) ? relative(clean, now) : wallClock(clean, now, zone);
  if (!found.ok) return found;
  if (found.at.getTime() <= now.getTime()) return { ok: false, problem: 'past', text: clean, at: found.at };
  if (found.at.getTime() > now.getTime() + maxDays * 86_400_000)
    return { ok: false, problem: 'tooFar', text: clean, at: found.at, maxDays };
  return found;
}

/** "in 2 hours", "in 90 minutes", "in 2 days": a duration from now (elapsed time, whatever the clocks do). */
function relative(text: string, now: Date): WhenReading {
  const r = single(text, { instant: now, timezone: 0 });
  if (!r) return { ok: false, problem: 'unknown', text };
  return { ok: true, at: r.start.date() };
}

/** A wall-clock time in `zone`: chrono reads it against the zone's wall clock; luxon places it in the zone. */
function wallClock(text: string, now: Date, zone: string): WhenReading {
  const here = DateTime.fromJSDate(now).setZone(zone);
  // The zone's wall clock, written as if it were UTC: chrono then reads "tonight", "Saturday" and "22:00" in it.
  const wall = DateTime.fromObject(
    { year: here.year, month: here.month, day: here.day, hour: here.hour, minute: here.minute, second: here.second },
    { zone: 'utc' },
  );
  const r = single(text, { instant: wall.toJSDate(), timezone: 0 });
  if (!r) return { ok: false, problem: 'unknown', text };
  if (!r.start.isCertain('hour')) return { ok: false, problem: 'noTimeOfDay', text };
  const asked = {
    year: r.start.get('year')!,
    month: r.start.get('month')!,
    day: r.start.get('day')!,
    hour: r.start.get('hour')!,
    minute: r.start.get('minute') ?? 0,
  };
  const local = DateTime.fromObject(asked, { zone });
  const askedText = `${pad(asked.hour)}:${pad(asked.minute)}`;
  const date = DateTime.fromObject(asked, { zone: 'utc' }).toISODate()!;
  if (local.hour !== asked.hour || local.minute !== asked.minute)
    return { ok: true, at: local.toJSDate(), adjusted: { kind: 'gap', asked: askedText, date } };
  const both = local
    .getPossibleOffsets()
    .map((d) => d.toJSDate())
    .sort((a, b) => a.getTime() - b.getTime());
  if (both.length > 1)
    return {
      ok: true,
      at: both[0]!,
      adjusted: { kind: 'repeated', asked: askedText, date, later: both[both.length - 1]!.toISOString() },
    };
  return { ok: true, at: local.toJSDate() };
}

/** The one reading of the whole text (bar a leading "at" or "on"), or null. */
function single(text: string, ref: chrono.ParsingReference): chrono.ParsedResult | null {
  const results = chrono.parse(text, ref, { forwardDate: true });
  if (results.length !== 1) return null;
  const r = results[0]!;
  const before = text.slice(0, r.index);
  const after = text.slice(r.index + r.text.length);
  return LEAD.test(before) && !after.trim() ? r : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** When a job for `at` should be queued from `now`: at most one hop ahead (it re-queues itself for the rest). */
export function hopDelay(at: Date | string, now: Date): number {
  const left = new Date(at).getTime() - now.getTime();
  return Math.max(0, Math.min(left, MAX_QUEUE_HOP_MS));
}
