/** The change-control settings of requests: a required reason, a ticket and its link. */
import { ticketRegex, type ChangeControlRules } from '../domain/change-control';
import type { EnvReader } from './env';

export function changeControlConfig(r: EnvReader): ChangeControlRules {
  const requireJustification = r.bool('REQUIRE_JUSTIFICATION', false);
  const ticketPattern = r.str('TICKET_PATTERN');
  const ticketUrlTemplate = r.str('TICKET_URL_TEMPLATE');
  if (ticketPattern !== undefined && !ticketRegex(ticketPattern))
    r.problem(`TICKET_PATTERN is not a valid regular expression: '${ticketPattern}'.`);
  if (ticketUrlTemplate !== undefined) {
    if (!/^https:\/\/[^\s/]+/.test(ticketUrlTemplate))
      r.problem(`TICKET_URL_TEMPLATE must be an https URL, not '${ticketUrlTemplate}'.`);
    else if (!ticketUrlTemplate.includes('{ticket}'))
      r.problem(`TICKET_URL_TEMPLATE must contain {ticket}, where the ticket number goes: '${ticketUrlTemplate}'.`);
  }
  return {
    requireJustification,
    ...(ticketPattern !== undefined ? { ticketPattern } : {}),
    ...(ticketUrlTemplate !== undefined ? { ticketUrlTemplate } : {}),
  };
}
