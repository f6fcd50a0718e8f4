/**
 * Justification and ticket: what a request must carry before it is stored, under the
 * change-control settings (REQUIRE_JUSTIFICATION, TICKET_PATTERN, TICKET_URL_TEMPLATE). Pure.
 */
import type { Clauses } from './command-clauses';

export interface ChangeControlRules {
  /** REQUIRE_JUSTIFICATION: every request needs a reason (inline, or on the reason card). */
  requireJustification: boolean;
  /** TICKET_PATTERN: every request names a ticket that matches it, whole (the source of a regular expression). */
  ticketPattern?: string;
  /** TICKET_URL_TEMPLATE: an https URL with `{ticket}` in it, turning a ticket into a link. */
  ticketUrlTemplate?: string;
}

export const NO_CHANGE_CONTROL: ChangeControlRules = { requireJustification: false };

/** A reason is a sentence: at least this long when one is required. */
export const MIN_JUSTIFICATION = 10;
/** And at most this long (it is shown on cards, the board and the export). */
export const MAX_JUSTIFICATION = 1000;

/** Why the clauses of a request cannot make a request (words: views/change-control.ts). */
export type ChangeControlProblem =
  | { kind: 'ticketMissing'; pattern: string }
  | { kind: 'ticketMismatch'; ticket: string; pattern: string }
  | { kind: 'justificationTooShort'; length: number }
  | { kind: 'justificationTooLong'; length: number };

/** The ticket pattern as a whole-string match; null when it does not compile. */
export function ticketRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return null;
  }
}

/**
 * The clauses checked against the rules, except a missing reason (the bot asks for it on a
 * card). `ticket` comes back as it will be stored: upper-cased when only that form matches.
 */
export function vetClauses(
  rules: ChangeControlRules,
  c: Clauses | undefined,
): { problem: ChangeControlProblem } | { ticket?: string; justification?: string } {
  const clauses = c ?? {};
  let ticket = clauses.ticket;
  if (rules.ticketPattern !== undefined) {
    const re = ticketRegex(rules.ticketPattern);
    if (ticket === undefined) return { problem: { kind: 'ticketMissing', pattern: rules.ticketPattern } };
    if (re && !re.test(ticket)) {
      if (!re.test(ticket.toUpperCase()))
        return { problem: { kind: 'ticketMismatch', ticket, pattern: rules.ticketPattern } };
      ticket = ticket.toUpperCase();
    }
  }
  const justification = clauses.justification?.trim() || undefined;
  if (justification !== undefined) {
    const p = justificationProblem(rules, justification);
    if (p) return { problem: p };
  }
  return { ...(ticket !== undefined ? { ticket } : {}), ...(justification !== undefined ? { justification } : {}) };
}

/** A reason given (inline or on the card): too short when one is required, or too long. */
export function justificationProblem(rules: ChangeControlRules, text: string): ChangeControlProblem | null {
  const length = text.trim().length;
  if (length > MAX_JUSTIFICATION) return { kind: 'justificationTooLong', length };
  if (rules.requireJustification && length < MIN_JUSTIFICATION) return { kind: 'justificationTooShort', length };
  return null;
}

/** A request still needs its reason: required, and none given. */
export function needsJustification(rules: ChangeControlRules, justification: string | undefined): boolean {
  return rules.requireJustification && !justification?.trim();
}

/** The ticket's link, or undefined without a template. */
export function ticketUrl(rules: ChangeControlRules, ticket: string): string | undefined {
  return rules.ticketUrlTemplate?.split('{ticket}').join(encodeURIComponent(ticket));
}
