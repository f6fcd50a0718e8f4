/**
 * Change windows (CHANGE_WINDOWS): weekly wall-clock spans in one IANA zone, such as
 * `Sat 22:00-Sun 04:00; Wed 20:00-22:00`, during which switches may run. Pure: every zone and
 * daylight-saving step is luxon's.
 *
 * A boundary (an opening or a closing) is the first instant at which the zone's wall clock
 * shows that day and time or later: inside the hour skipped in spring it is the jump itself
 * (02:30 on the last Sunday of March in Europe/Berlin is 03:00 CEST); inside the hour repeated
 * in autumn it is the first time the clock shows it (02:30 CEST, not 02:30 CET). A window that
 * falls wholly inside a skipped hour does not happen that week. Windows that touch (one closes
 * as the next opens) are one continuous window.
 */
import { DateTime, FixedOffsetZone, IANAZone } from 'luxon';

/** A time of the week: luxon's weekday (1 = Monday … 7 = Sunday) and the minute of that day. */
export interface WeekTime {
  weekday: number;
  minute: number;
}

export interface ChangeWindow {
  /** As written in the setting (trimmed), to name it. */
  text: string;
  opens: WeekTime;
  closes: WeekTime;
  /** Calendar days from the opening's date to the closing's (0 to 7). */
  days: number;
}

export interface ChangeWindows {
  zone: string;
  windows: ChangeWindow[];
}

/** Why a part of the setting is not a window. `part` is the part as written; `other` the window it overlaps. */
export type WindowProblem =
  | { kind: 'syntax'; part: string }
  | { kind: 'day'; part: string; day: string }
  | { kind: 'time'; part: string; time: string }
  | { kind: 'empty'; part: string }
  | { kind: 'overlap'; part: string; other: string }
  | { kind: 'zone'; zone: string };

const DAYS: Record<string, number> = {
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
  sun: 7,
  sunday: 7,
};

const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const PART = /^([a-z]+)\s+(\d{1,2}:\d{2})\s*[-–—]\s*(?:([a-z]+)\s+)?(\d{1,2}:\d{2})$/i;

/** `H:MM` or `HH:MM` as minutes of the day; 24:00 only where `end` (a closing). */
function minuteOf(time: string, end: boolean): number | null {
  const [h, m] = time.split(':').map(Number) as [number, number];
  if (end && h === 24 && m === 0) return DAY_MINUTES;
  return h < 24 && m < 60 ? h * 60 + m : null;
}

function parsePart(part: string): ChangeWindow | WindowProblem {
  const m = PART.exec(part);
  if (!m) return { kind: 'syntax', part };
  const [, openDay, openTime, closeDay, closeTime] = m as unknown as [
    string,
    string,
    string,
    string | undefined,
    string,
  ];
  const ow = DAYS[openDay.toLowerCase()];
  if (!ow) return { kind: 'day', part, day: openDay };
  const cw = closeDay === undefined ? undefined : DAYS[closeDay.toLowerCase()];
  if (closeDay !== undefined && !cw) return { kind: 'day', part, day: closeDay };
  const om = minuteOf(openTime, false);
  if (om === null) return { kind: 'time', part, time: openTime };
  const cm = minuteOf(closeTime, true);
  if (cm === null) return { kind: 'time', part, time: closeTime };
  // The closing is the first such time after the opening: without a day, the same day or the next.
  let days = cw === undefined ? (cm < om ? 1 : 0) : (cw - ow + 7) % 7;
  if (cw !== undefined && days === 0 && cm < om) days = 7;
  if (days === 0 && cm === om) return { kind: 'empty', part };
  const closes = cm === DAY_MINUTES ? { days: days + 1, minute: 0 } : { days, minute: cm };
  return {
    text: part,
    opens: { weekday: ow, minute: om },
    closes: { weekday: ((ow - 1 + closes.days) % 7) + 1, minute: closes.minute },
    days: closes.days,
  };
}

/** Where a window sits in the week, in wall-clock minutes from Monday 00:00, and how long it lasts. */
function span(w: ChangeWindow): { start: number; length: number } {
  const start = (w.opens.weekday - 1) * DAY_MINUTES + w.opens.minute;
  return { start, length: w.days * DAY_MINUTES + w.closes.minute - w.opens.minute };
}

function overlaps(a: ChangeWindow, b: ChangeWindow): boolean {
  const x = span(a);
  const y = span(b);
  const mod = (n: number) => ((n % WEEK_MINUTES) + WEEK_MINUTES) % WEEK_MINUTES;
  return mod(y.start - x.start) < x.length || mod(x.start - y.start) < y.length;
}

/**
 * Reads the setting: windows separated by `;`, each `<day> <HH:MM>-[<day>] <HH:MM>` (Mon…Sun,
 * short or long, any case; a closing without a day is the same day, or the next when it is
 * earlier than the opening; 24:00 closes at midnight). Refused, naming the part: a part that does
 * not read, an unknown day or time, a window that opens and closes at once, windows that
 * overlap. null: no windows (blank).
 */
export function parseWindows(text: string, zone: string): ChangeWindows | WindowProblem | null {
  if (!IANAZone.isValidZone(zone)) return { kind: 'zone', zone };
  const parts = text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const windows: ChangeWindow[] = [];
  for (const part of parts) {
    const w = parsePart(part);
    if ('kind' in w) return w;
    const other = windows.find((x) => overlaps(x, w));
    if (other) return { kind: 'overlap', part, other: other.text };
    windows.push(w);
  }
  return { zone, windows };
}

export function isWindowProblem(x: ChangeWindows | WindowProblem | null): x is WindowProblem {
  return !!x && 'kind' in x;
}

/** The instant of a boundary: the first at which the wall clock shows `date` at `minute` or later. */
function boundary(date: DateTime, minute: number, zone: string): number {
  const wall = {
    year: date.year,
    month: date.month,
    day: date.day,
    hour: Math.floor(minute / 60),
    minute: minute % 60,
  };
  const guess = DateTime.fromObject(wall, { zone });
  const tz = IANAZone.create(zone);
  // The offsets a day either side: a time repeated in autumn exists under both, a skipped one under neither.
  const offsets = [...new Set([-1, 1].map((d) => tz.offset(guess.plus({ days: d }).toMillis())))];
  const shown = offsets
    .map((o) => DateTime.fromObject(wall, { zone: FixedOffsetZone.instance(o) }).toMillis())
    .filter((ms) => {
      const w = DateTime.fromMillis(ms, { zone });
      return w.hour === wall.hour && w.minute === wall.minute && w.day === wall.day;
    });
  if (shown.length) return Math.min(...shown);
  // Skipped: the jump is where the offset changes, between the two readings of the wall time.
  const readings = offsets
    .map((o) => DateTime.fromObject(wall, { zone: FixedOffsetZone.instance(o) }).toMillis())
    .sort((a, b) => a - b);
  let lo = readings[0]!;
  let hi = readings[readings.length - 1]!;
  const after = tz.offset(hi);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (tz.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}

type Span = { from: number; to: number };

/** Spans already worked out, per windows and local day: a plan asks before every step. */
const known = new WeakMap<ChangeWindows, Map<number, readonly Span[]>>();

/** The windows' real spans around `at` (a week and more either side), in order, touching ones joined. */
function spansAround(w: ChangeWindows, at: Date): readonly Span[] {
  const today = DateTime.fromJSDate(at, { zone: w.zone }).startOf('day');
  let days = known.get(w);
  if (!days) known.set(w, (days = new Map()));
  const seen = days.get(today.toMillis());
  if (seen) return seen;
  const out: Span[] = [];
  for (let d = -8; d <= 15; d++) {
    const date = today.plus({ days: d });
    for (const win of w.windows) {
      if (win.opens.weekday !== date.weekday) continue;
      const from = boundary(date, win.opens.minute, w.zone);
      const to = boundary(date.plus({ days: win.days }), win.closes.minute, w.zone);
      if (to > from) out.push({ from, to });
    }
  }
  out.sort((a, b) => a.from - b.from);
  const joined: Span[] = [];
  for (const s of out) {
    const last = joined[joined.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else joined.push({ ...s });
  }
  if (days.size >= 32) days.clear();
  days.set(today.toMillis(), joined);
  return joined;
}

/** Whether `at` is inside a window (an opening is inside, a closing is not). */
export function isInside(w: ChangeWindows, at: Date): boolean {
  return currentWindowEnd(w, at) !== null;
}

/** When the window `at` is inside closes; null outside every window. */
export function currentWindowEnd(w: ChangeWindows, at: Date): Date | null {
  const t = at.getTime();
  const s = spansAround(w, at).find((x) => x.from <= t && t < x.to);
  return s ? new Date(s.to) : null;
}

/** The next time a window opens after `at` (inside a window: the opening after this one). */
export function nextOpening(w: ChangeWindows, at: Date): Date {
  const t = at.getTime();
  const s = spansAround(w, at).find((x) => x.from > t);
  // Every window happens at least once in any eight days; only one wholly in a skipped hour could miss.
  return new Date(s ? s.from : nextOpening(w, new Date(t + 7 * 86_400_000)).getTime());
}

/** When something asked for at `from` may run: `from` itself inside a window (or with none), else the next opening. */
export function startAt(w: ChangeWindows | undefined, from: Date): Date {
  return !w || isInside(w, from) ? from : nextOpening(w, from);
}

/**
 * A scheduled time outside every window is refused: null when `scheduledFor` is inside one (or
 * there are none), else the next window, to name in the refusal.
 */
export function windowRefusal(scheduledFor: Date, w: ChangeWindows | undefined): { opens: Date; closes: Date } | null {
  if (!w || isInside(w, scheduledFor)) return null;
  const opens = nextOpening(w, scheduledFor);
  return { opens, closes: currentWindowEnd(w, opens)! };
}
