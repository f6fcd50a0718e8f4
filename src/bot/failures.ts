/**
 * When a turn fails: a coded error is explained (views/errors.ts); anything else is logged with
 * a short reference the user is given, never with the error's text.
 */
import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { isCoded } from '../domain/errors';
import type { Logger } from '../ports/logger';
import { errorTitle, explain, nextStep } from '../views/errors';
import { UNEXPECTED } from '../views/failures';
import type { Bot } from './deps';
import { clickMessage, invokeAnswer, sendInvokeAnswer } from './invokes';
import { sendCard } from './reply';

const reference = () => randomUUID().slice(0, 8);
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The answer to a click that failed. */
export function clickError(bot: Bot, e: unknown): string {
  if (isCoded(e)) return explain(e);
  const ref = reference();
  bot.logger.error('card action failed', { ref, error: messageOf(e) });
  return UNEXPECTED.click(ref);
}

/** The error card for a message that failed. */
export async function sendError(bot: Bot, ctx: TurnContext, e: unknown): Promise<void> {
  if (isCoded(e)) {
    await sendCard(ctx, bot.presenter.errorCard(errorTitle(e), explain(e), nextStep(e)));
    return;
  }
  const ref = reference();
  bot.logger.error('message handling failed', { ref, error: messageOf(e) });
  await sendCard(ctx, bot.presenter.errorCard(UNEXPECTED.messageTitle, UNEXPECTED.message(ref)));
}

/** The Application's last resort, for whatever a route did not catch. */
export function onTurnError(logger: Logger) {
  return async (ctx: TurnContext, err: unknown): Promise<void> => {
    // A proactive post (a thread line, a card update) runs as a continuation turn: its failure
    // belongs to the caller, which logs it and carries on; no apology is posted for it.
    if (ctx.activity.type === ActivityTypes.Event && ctx.activity.name === 'ContinueConversation') throw err;
    const ref = reference();
    logger.error('turn failed', { ref, error: messageOf(err) });
    // An invoke not yet answered is answered now (else the channel gets 501 and Teams shows an
    // error): a click with the apology in words, any other with the answer for its name.
    const click = ctx.activity.type === ActivityTypes.Invoke && ctx.activity.name === 'adaptiveCard/action';
    if (ctx.activity.type === ActivityTypes.Invoke && !ctx.turnState.get(INVOKE_RESPONSE_KEY)) {
      const answer = click ? clickMessage(UNEXPECTED.click(ref)) : invokeAnswer(ctx);
      await sendInvokeAnswer(ctx, answer).catch(() => undefined);
    }
    if (!click) await ctx.sendActivity(UNEXPECTED.turn(ref)).catch(() => undefined);
  };
}
