/**
 * The card clicks, keyed by their Action.Execute verb (views/verbs.ts; the card templates in
 * cards/ use the same names). A verb without a handler here does not compile.
 */
import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard, Application, TurnState } from '@microsoft/teams-ai';
import { isObjectId, type SoaAction } from '../../domain/command';
import { CLICK, MAX_REASON_LENGTH } from '../../views/clicks';
import { NOT_REQUESTED } from '../../views/request-replies';
import type { Verb } from '../../views/verbs';
import { askReason } from '../commands/reasons';
import { checkGroup, postRequest, submit } from '../commands/submit';
import type { Bot } from '../deps';
import { clickError, sendError } from '../failures';
import { anchorFor } from '../turn';
import { justify } from './justify';
import { cancelReadiness, exportReadiness } from './readiness';
import { anyone, byPerson, decision, type Answer, type ClickHandler, type PersonClick } from './guard';

/** Every verb, and `*` for any other (a button of a card from an older version of the bot). */
export const CLICKS: { [V in Verb]: ClickHandler } & { '*': ClickHandler } = {
  approve: decision((c) =>
    c.bot.service.approve(
      c.requestId,
      c.version,
      c.who,
      c.data.ackSyncVersions === 'true' || c.data.ackSyncVersions === true,
      c.data.stillNeededInAd === 'true' || c.data.stillNeededInAd === true,
    ),
  ),
  reject: decision((c) => {
    const reason = String(c.data.rejectReason ?? '');
    if (reason.length > MAX_REASON_LENGTH) return CLICK.reasonTooLong(reason.length);
    return c.bot.service.reject(c.requestId, c.version, c.who, reason);
  }),
  // A stopped plan: an approver resumes it at the failed step, with their own token.
  resume: decision((c) => c.bot.service.resumePlan(c.requestId, c.version, c.who)),
  // A trial's reminder (approvers only): keep the group in the cloud, or roll it back now with the clicker's token.
  trialKeep: decision((c) => c.bot.service.keepTrial(c.requestId, c.who)),
  trialRollback: decision((c) => c.bot.service.rollbackTrialNow(c.requestId, c.who)),
  // A finished or stopped move plan: request the rollback of what it switched (a new approval).
  rollbackPlan: byPerson(async (c) => {
    const sourceId = String(c.data.requestId ?? '');
    const r = await c.bot.service.requestPlanRollback(sourceId, c.who, anchorFor(c.ctx.activity));
    if (r.needsJustification) {
      await askReason(
        c,
        r.needsJustification.requestId,
        { kind: 'rollbackPlan', sourceId },
        {
          action: 'rollback',
          name: sourceId,
        },
      );
      return CLICK.reasonAsked;
    }
    if (!r.request) return r.message ?? NOT_REQUESTED.noPlanRollback;
    await postRequest(c, r.request);
    return CLICK.rollbackRequested(r.request.id);
  }),
  // The reason card: the reason, then the request it was asked for.
  justify,
  request: byPerson((c) => groupClick(c, 'request')),
  check: byPerson((c) => groupClick(c, 'check')),
  // Refresh on the board card: its current content, for everyone.
  board: anyone(async (c) => (await c.bot.boards.card(anchorFor(c.ctx.activity))) as unknown as AdaptiveCard),
  // The readiness card: Cancel while it reads, Export the full list once done (approvers only).
  cancelReadiness,
  exportReadiness,
  '*': anyone(async () => CLICK.unknownVerb),
};

/** From a check card or a pick list: the group id is only a choice; everything is re-read. */
async function groupClick(c: PersonClick, verb: 'request' | 'check'): Promise<Answer> {
  const action: SoaAction = c.data.action === 'rollback' ? 'rollback' : 'move';
  const groupId = String(c.data.groupId ?? '');
  // The id goes into a Graph URL path: only an object id, never anything that could change the path.
  if (!isObjectId(groupId)) return CLICK.notAGroup;
  try {
    if (verb === 'check') await checkGroup(c, groupId, action);
    else await submit(c, groupId, action);
    return verb === 'check' ? CLICK.checkPosted : CLICK.requestPosted;
  } catch (e) {
    // Said in the conversation too, as for a typed command.
    await sendError(c.bot, c.ctx, e).catch(() => undefined);
    return clickError(c.bot, e);
  }
}

export function registerClicks(app: Application<TurnState>, bot: Bot): void {
  const { '*': other, ...verbs } = CLICKS;
  for (const [verb, handle] of Object.entries(verbs)) app.adaptiveCards.actionExecute(verb, answered(bot, handle));
  app.adaptiveCards.actionExecute(/.*/, answered(bot, other));
}

/** Whatever fails inside a click handler (storage, Graph, a bug), the click is answered. */
function answered(bot: Bot, handle: ClickHandler) {
  return async (ctx: TurnContext, _state: TurnState, data: Record<string, unknown>) => {
    try {
      return await handle({ ctx, data: data ?? {}, bot });
    } catch (e) {
      return clickError(bot, e);
    }
  };
}
