/**
 * The reason card's button: the requester's reason, then the request it was asked for, with
 * the same checks as a typed request. The card carries the id the request gets, so a second
 * click (or a second client) finds the request made by the first and makes no other.
 */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { MIN_JUSTIFICATION } from '../../domain/change-control';
import { isRequestId } from '../../domain/command';
import { isTicketToken } from '../../domain/command-clauses';
import { isCoded } from '../../domain/errors';
import type { SoaRequest } from '../../domain/request';
import { REASON_CLICK } from '../../views/change-control';
import { namedGroupsPlanLabel, prefixPlanLabel } from '../../views/plan-card';
import { submit, submitPlan, submitPlanRollback } from '../commands/submit';
import { reasonScopeOf, type ReasonScope } from '../commands/reasons';
import { clickError, sendError } from '../failures';
import { byPerson, type Answer, type PersonClick } from './guard';

export const justify = byPerson(async (c: PersonClick): Promise<Answer> => {
  const requestId = typeof c.data.requestId === 'string' ? c.data.requestId.toUpperCase() : '';
  const scope = reasonScopeOf(c.data.scope);
  const ticket = typeof c.data.ticket === 'string' && c.data.ticket ? c.data.ticket : undefined;
  const when = typeof c.data.when === 'string' && c.data.when ? c.data.when.slice(0, 200) : undefined;
  const trial = typeof c.data.trial === 'string' && c.data.trial ? c.data.trial.slice(0, 100) : undefined;
  if (!isRequestId(requestId) || !scope || (ticket !== undefined && !isTicketToken(ticket)))
    return REASON_CLICK.notAReasonCard;
  if (c.data.requesterId !== c.who.id) return REASON_CLICK.notRequester;
  const justification = typeof c.data.justification === 'string' ? c.data.justification.trim() : '';
  if (justification.length < MIN_JUSTIFICATION)
    return c.bot.presenter.changeControlRefusal({ kind: 'justificationTooShort', length: justification.length });
  const existing = await c.bot.service.get(requestId);
  if (existing) return REASON_CLICK.alreadyRequested(existing.id);
  try {
    const control = {
      justification,
      requestId,
      ...(ticket ? { ticket } : {}),
      ...(when ? { when } : {}),
      ...(trial ? { trial } : {}),
    };
    const req = await request(c, scope, control);
    return req ? (c.bot.presenter.reasonGivenCard(req) as unknown as AdaptiveCard) : REASON_CLICK.notRequested;
  } catch (e) {
    // Two clicks at once: the other one stored the request with this id first.
    if (isCoded(e, 'StaleVersion') && (await c.bot.service.get(requestId)))
      return REASON_CLICK.alreadyRequested(requestId);
    // Said in the conversation too, as for a typed command.
    await sendError(c.bot, c.ctx, e).catch(() => undefined);
    return clickError(c.bot, e);
  }
});

async function request(
  c: PersonClick,
  scope: ReasonScope,
  control: { justification: string; requestId: string; ticket?: string; when?: string; trial?: string },
): Promise<SoaRequest | undefined> {
  switch (scope.kind) {
    case 'group':
      return submit(c, scope.groupId, scope.action, control);
    case 'tree':
      return submitPlan(c, { kind: 'tree', rootId: scope.rootId }, scope, control);
    case 'groups':
      return submitPlan(
        c,
        { kind: 'wave', label: namedGroupsPlanLabel(scope.groupIds.length), groupIds: scope.groupIds },
        scope,
        control,
      );
    case 'prefix': {
      // The groups as they are now, as when the wave was typed.
      const groups = await c.bot.service.groupsByPrefix(scope.prefix);
      const spec = { kind: 'wave' as const, label: prefixPlanLabel(scope.prefix), groupIds: groups.map((g) => g.id) };
      return submitPlan(c, spec, scope, control);
    }
    case 'rollbackPlan':
      return submitPlanRollback(c, scope.sourceId, control);
  }
}
