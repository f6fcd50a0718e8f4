/**
 * Justification and ticket in words: the refusals, the reason card, and how a request's ticket
 * and reason are shown on its card, thread lines, the board and status. Values come from
 * people: they reach here through shownReq (text.ts), and a ticket is linked only when it is
 * one token of letters, digits and dashes.
 */
import {
  MAX_JUSTIFICATION,
  MIN_JUSTIFICATION,
  ticketUrl,
  type ChangeControlProblem,
  type ChangeControlRules,
} from '../domain/change-control';
import type { SoaAction } from '../domain/command';
import { isTicketToken } from '../domain/command-clauses';
import type { SoaRequest } from '../domain/request';
import { placeholder, type Card } from './labels';
import { shownReq } from './shown';
import { render } from './templates';
import { forCard, forMessage } from './text';

/** A reason in a thread line, on the board or in a status list: the start of it. */
const SHORT_REASON = 160;

const EXAMPLE = 'e.g. "move SecGroup1 to cloud for CHG0012345 because the HR app now reads it from Entra"';

/** Why a request with these clauses was not made. */
export function changeControlRefusal(p: ChangeControlProblem): string {
  switch (p.kind) {
    case 'ticketMissing':
      return (
        `Requests here need a change ticket matching \`${forMessage(p.pattern)}\`: ` +
        `add "for ${placeholder('ticket')}" to the request, ${EXAMPLE}. Nothing was requested.`
      );
    case 'ticketMismatch':
      return (
        `**${forMessage(p.ticket)}** is not a ticket of the form \`${forMessage(p.pattern)}\`. ` +
        "Give the ticket number as your change process writes it. If those words are part of the group's " +
        'name, put the name in double quotes. Nothing was requested.'
      );
    case 'justificationTooShort':
      return (
        `A reason needs at least ${MIN_JUSTIFICATION} characters; yours has ${p.length}. ` +
        'Say why the change is needed, in a sentence. Nothing was requested.'
      );
    case 'justificationTooLong':
      return (
        `A reason has at most ${MAX_JUSTIFICATION.toLocaleString('en-US')} characters; ` +
        `yours has ${p.length.toLocaleString('en-US')}. Nothing was requested.`
      );
  }
}

/** The ticket as Markdown: a link when a template is set, else the ticket itself. `ticket` is shown text. */
function ticketMarkdown(ticket: string, rules: ChangeControlRules): string {
  const url = isTicketToken(ticket) ? ticketUrl(rules, ticket) : undefined;
  return url ? `[${ticket}](${url})` : ticket;
}

/** The request card's rows (the request already shown through shownReq). */
export function changeControlFacts(
  req: SoaRequest,
  rules: ChangeControlRules,
): Array<{ label: string; value: string }> {
  return [
    ...(req.ticket ? [{ label: 'Ticket', value: ticketMarkdown(req.ticket, rules) }] : []),
    ...(req.justification ? [{ label: 'Reason', value: req.justification }] : []),
  ];
}

/** " · ticket CHG0012345 · because …" for a line that names the request (shown request). */
export function changeControlNote(req: SoaRequest): string {
  const reason = req.justification
    ? req.justification.length > SHORT_REASON
      ? `${req.justification.slice(0, SHORT_REASON - 1)}…`
      : req.justification
    : '';
  return `${req.ticket ? ` · ticket ${req.ticket}` : ''}${reason ? ` · because ${reason}` : ''}`;
}

/** What a reason card is for: the requester, what the request is about, its ticket. */
export interface ReasonCardFacts {
  requestId: string;
  requester: { id: string; name: string };
  /** What the request is about: its change, and the group's or the plan's name. */
  about: { action: SoaAction; name: string };
  /** The scope to request once the reason is given (bot/clicks/justify.ts reads it back), as JSON. */
  scope: string;
  ticket?: string;
  /** The time clause as typed ("on Saturday at 22:00"), read again when the reason is in. */
  when?: string;
  /** The trial clause as typed ("for 7 days"), read again when the reason is in. */
  trial?: string;
}

const changeTitle = (action: SoaAction, name: string) =>
  `${action === 'move' ? 'Move to cloud' : 'Roll back to AD'}: ${name}`;

/** The card asking for the reason, before any request exists. */
export function reasonCard(f: ReasonCardFacts): Card {
  const name = forCard(f.requester.name);
  return render('reason', {
    title: `Why is this change needed? ${changeTitle(f.about.action, forCard(f.about.name))}`,
    statusLine:
      `Requests here need a reason (at least ${MIN_JUSTIFICATION} characters). ${name}, give it below; ` +
      'the approval card follows. Nothing is requested until then.',
    facts: [
      ...(f.ticket ? [{ label: 'Ticket', value: forCard(f.ticket) }] : []),
      ...(f.when ? [{ label: 'When', value: forCard(f.when) }] : []),
      ...(f.trial ? [{ label: 'Trial', value: forCard(f.trial) }] : []),
    ],
    canGive: true,
    placeholder: 'e.g. The HR app now reads this group from Entra ID',
    errorMessage: `At least ${MIN_JUSTIFICATION} characters`,
    requestId: f.requestId,
    requesterId: f.requester.id,
    scope: f.scope,
    ticket: f.ticket ?? '',
    when: f.when ?? '',
    trial: f.trial ?? '',
  });
}

/** The reason card once its request exists: no input any more, for everyone. */
export function reasonGivenCard(raw: SoaRequest): Card {
  const req = shownReq(raw, forCard);
  return render('reason', {
    title: changeTitle(req.action, req.groupName),
    statusLine: `Reason given by ${req.requester.name}; request ${req.id} is posted below for approval.`,
    facts: [
      ...(req.ticket ? [{ label: 'Ticket', value: req.ticket }] : []),
      { label: 'Reason', value: req.justification ?? '' },
    ],
    canGive: false,
  });
}

/** The answers to the reason card's button. */
export const REASON_CLICK = {
  notRequester: 'Only the person who asked for this change can give its reason. Nothing was changed.',
  notAReasonCard: 'This card does not describe a change I can request. Nothing was changed.',
  alreadyRequested: (id: string) => `This reason was already given: the request is ${id}. Nothing else was requested.`,
  notRequested: 'Not requested: the reply in the conversation says why.',
};
