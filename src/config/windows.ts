/** The rules for change windows (CHANGE_WINDOWS, read in CHANGE_TIMEZONE): a bad part is named. */
import { isWindowProblem, parseWindows, type ChangeWindows, type WindowProblem } from '../domain/windows';
import type { EnvReader } from './env';

const FORM = "each window is '<day> <HH:MM>-[<day>] <HH:MM>', such as 'Sat 22:00-Sun 04:00', separated by ';'";

function problemText(p: WindowProblem): string {
  switch (p.kind) {
    case 'zone':
      return `CHANGE_TIMEZONE must be an IANA time zone such as Europe/Berlin, not '${p.zone}'.`;
    case 'syntax':
      return `CHANGE_WINDOWS: '${p.part}' is not a window (${FORM}).`;
    case 'day':
      return `CHANGE_WINDOWS: '${p.part}': '${p.day}' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun).`;
    case 'time':
      return `CHANGE_WINDOWS: '${p.part}': '${p.time}' is not a time of day (00:00 to 23:59; 24:00 as a closing).`;
    case 'empty':
      return `CHANGE_WINDOWS: '${p.part}' opens and closes at the same time (unset CHANGE_WINDOWS for no windows).`;
    case 'overlap':
      return `CHANGE_WINDOWS: '${p.part}' overlaps '${p.other}'; join them into one window.`;
  }
}

/**
 * The change windows, or undefined when CHANGE_WINDOWS is unset (switches run at once).
 * `zone`: CHANGE_TIMEZONE (default UTC); config/schedule.ts names a bad one, so it is not
 * named twice here.
 */
export function changeWindows(r: EnvReader, s: { windows?: string; zone?: string }): ChangeWindows | undefined {
  if (!s.windows) return undefined;
  const parsed = parseWindows(s.windows, s.zone ?? 'UTC');
  if (isWindowProblem(parsed)) {
    if (parsed.kind !== 'zone') r.problem(problemText(parsed));
    return undefined;
  }
  return parsed ?? undefined;
}
