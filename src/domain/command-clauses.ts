/**
 * The clauses a request may end with, after the group part, in any order:
 * - `for <TICKET>`: a change ticket, one token of letters, digits and `-` with a digit in it
 *   (`CHG0012345`, `INC-42`); whether it matches TICKET_PATTERN is the service's to say;
 * - `because <text…>`: the justification, to the end of the message;
 * - a time (`at 2026-12-05 22:00`, `on Saturday at 22:00`, `tonight at 23:00`, `in 2 hours`):
 *   only its text, read later in the change time zone;
 * - a trial (`for 7 days`, `for 12 hours`, `as a trial`, `for 3 days as a trial`): only its text,
 *   read by domain/trial.ts. `for <number> <unit>` is never a ticket: a ticket is one token.
 * Pure: no I/O. A name in double quotes is never cut; the caller keeps the whole text when what
 * is left is not a command (so a group named "Team at 22:00" can still be typed in quotes).
 */

export interface Clauses {
  ticket?: string;
  justification?: string;
  /** The time clause as typed ("on Saturday at 22:00"), not interpreted. */
  when?: string;
  /** The trial clause as typed ("for 7 days", "as a trial"), not interpreted. */
  trial?: string;
}

const TIME = String.raw`(?:\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2}|noon|midnight)`;
const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const WEEKDAY = String.raw`(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?`;
const DATES = [
  String.raw`\d{4}-\d{2}-\d{2}`,
  String.raw`\d{1,2}\/\d{1,2}(?:\/\d{2,4})?`,
  String.raw`\d{1,2}(?:st|nd|rd|th)?\s+${MONTH}(?:\s+\d{4})?`,
  String.raw`${MONTH}\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?`,
  String.raw`(?:next\s+)?${WEEKDAY}`,
].join('|');
const DATE = `(?:${DATES})`;
const PART_OF_DAY = String.raw`(?:morning|afternoon|evening|night)`;
const DAY_WORD = String.raw`(?:today|tonight|tomorrow(?:\s+${PART_OF_DAY})?|this\s+${PART_OF_DAY})`;
const UNIT = String.raw`(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d)`;
/** "on Funday at 22:00" is a time clause too (one the scheduler refuses), so any one or two words go. */
const LOOSE_DAY = String.raw`[^\s"]+(?:\s+[^\s"]+)?`;

/** Time clauses, each anchored at the end of the text (the loop peels them off from the end). */
const WHEN: RegExp[] = [
  String.raw`at\s+${DATE}\s+${TIME}`,
  String.raw`at\s+${TIME}(?:\s+(?:on\s+)?(?:${DATE}|${DAY_WORD}))?`,
  String.raw`on\s+${DATE}(?:\s+at\s+${TIME})?`,
  String.raw`on\s+${LOOSE_DAY}\s+at\s+${TIME}`,
  String.raw`(?:${DAY_WORD}|next\s+${WEEKDAY})(?:\s+at\s+${TIME})?`,
  String.raw`${WEEKDAY}\s+at\s+${TIME}`,
  String.raw`in\s+(?:\d{1,4}\s*${UNIT}|an?\s+(?:hour|minute|day)|half\s+an\s+hour)`,
].map((p) => new RegExp(String.raw`\s(${p})$`, 'i'));

/**
 * "on <one word>" alone is a time clause only right after "to cloud" / "to AD", where no group
 * name can end: "move X to cloud on Funday" is a time the scheduler refuses by name, while
 * "rollback Team on Call" keeps its name whole.
 */
const LOOSE_AFTER_CHANGE = /(?<=\bto\s+(?:the\s+)?(?:cloud|ad(?:\s+ds)?))\s(on\s+[^\s"]+)$/i;

/** `for CHG0012345`, but not "prerequisites for SecGroup1" nor "the switch for SecGroup1". */
const TICKET = /(?<!\b(?:prerequisites|switch|move|soa|authority))\s+for\s+([A-Za-z0-9-]*[0-9][A-Za-z0-9-]*)$/i;

/** `for 7 days`, `for -1 hours`, `as a trial`, `for 2 days as a trial`: the length is read (and refused) later. */
const TRIAL = /\s((?:for\s+[-+]?\d{1,6}\s*(?:days?|hours?)(?:\s+as\s+a\s+trial)?)|as\s+a\s+trial)$/i;

/** The first " because " outside double quotes: the justification is everything after it. */
function becauseAt(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') quoted = !quoted;
    else if (!quoted && /^\sbecause\s+\S/i.test(text.slice(i, i + 10))) return i;
  }
  return -1;
}

/** The text without its trailing clauses, and the clauses. Text without clauses comes back as it was. */
export function splitClauses(text: string): { rest: string; clauses: Clauses } {
  const clauses: Clauses = {};
  let rest = text.trim();
  const b = becauseAt(rest);
  if (b >= 0) {
    const justification = rest
      .slice(b)
      .replace(/^\s*because\s+/i, '')
      .trim();
    if (justification) {
      clauses.justification = justification;
      rest = rest.slice(0, b).trim();
    }
  }
  for (;;) {
    const trial = clauses.trial === undefined ? TRIAL.exec(rest) : null;
    if (trial) {
      clauses.trial = trial[1]!.replace(/\s+/g, ' ');
      rest = rest.slice(0, trial.index).trim();
      continue;
    }
    const ticket = clauses.ticket === undefined ? TICKET.exec(rest) : null;
    if (ticket) {
      clauses.ticket = ticket[1]!;
      rest = rest.slice(0, ticket.index).trim();
      continue;
    }
    const when =
      clauses.when === undefined ? longest([...WHEN, LOOSE_AFTER_CHANGE].map((re) => re.exec(rest))) : undefined;
    if (when) {
      clauses.when = when[1]!.replace(/\s+/g, ' ');
      rest = rest.slice(0, when.index).trim();
      continue;
    }
    return { rest, clauses };
  }
}

/** Of the time clauses that end the text, the one that starts first ("on Saturday at 22:00", not "at 22:00"). */
function longest(found: Array<RegExpExecArray | null>): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const m of found) if (m && (!best || m.index < best.index)) best = m;
  return best;
}

/** One token of letters, digits and dashes with a digit in it: what `for …` takes as a ticket. */
export function isTicketToken(s: string): boolean {
  return s.length <= 64 && /^[A-Za-z0-9-]*[0-9][A-Za-z0-9-]*$/.test(s);
}

export function hasClauses(c: Clauses): boolean {
  return c.ticket !== undefined || c.justification !== undefined || c.when !== undefined || c.trial !== undefined;
}
