/**
 * STAND-IN until the clause parser of the justification and ticket item lands (same file name,
 * same signature): it replaces this file. This one finds only the time clause at the end of a
 * request ("… to cloud on Saturday at 22:00"); `ticket` and `justification` are never set here.
 */

/** What may follow the group part of a move or rollback request. */
export interface Clauses {
  ticket?: string;
  justification?: string;
  /** The time clause as typed ("on Saturday at 22:00"); read in the service, in CHANGE_TIMEZONE. */
  when?: string;
}

const CLOCK = String.raw`\d{1,2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?`;
const DAY_AT = String.raw`(?:\s+at\s+${CLOCK})?`;

/** The time clause's forms, as a whole tail of the message. */
const WHEN = new RegExp(
  [
    String.raw`at\s+(?:\d{4}-\d{2}-\d{2}\s+)?${CLOCK}`,
    String.raw`on\s+\S+${DAY_AT}`,
    String.raw`(?:tonight|today|tomorrow)${DAY_AT}`,
    String.raw`in\s+\d+\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?)`,
  ]
    .map((f) => `(?:${f})`)
    .join('|'),
  'i',
);

/** The message without its clauses (`rest`), and the clauses found. */
export function splitClauses(text: string): { rest: string; clauses: Clauses } {
  // The leftmost tail that is a whole time clause: "on Site to cloud at 22:00" is not one, "at 22:00" is.
  const starts = [...text.matchAll(/\s(?=(?:at|on|tonight|today|tomorrow|in)\b)/gi)].map((m) => m.index);
  for (const i of starts) {
    const tail = text.slice(i + 1).trim();
    const m = WHEN.exec(tail);
    if (m && m.index === 0 && m[0].length === tail.length) {
      const rest = text.slice(0, i).trim();
      if (rest) return { rest, clauses: { when: tail } };
    }
  }
  return { rest: text, clauses: {} };
}
