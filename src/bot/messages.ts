/**
 * The message route: a few small checks, each answering and stopping the turn when it must,
 * then the command table (commands/index.ts).
 */
import type { TurnContext } from 'botbuilder';
import type { TurnState } from '@microsoft/teams-ai';
import { parseCommand } from '../domain/command';
import { TURNED_AWAY } from '../views/account';
import { NOT_UNDERSTOOD } from '../views/help';
import { runCommand } from './commands';
import type { Bot } from './deps';
import { sendError } from './failures';
import { sendText } from './reply';
import { person } from './turn';

export function onMessage(bot: Bot) {
  return async (ctx: TurnContext, state: TurnState): Promise<void> => {
    const who = person(ctx.activity);
    if (!who) {
      await sendText(ctx, TURNED_AWAY.unknownSender);
      return;
    }
    try {
      if (await redelivered(bot, ctx)) return;
      if (await fromOlderCard(ctx)) return;
      const { command, unsplit } = parseCommand(ctx.activity.text ?? '');
      await runCommand({ ctx, who, bot, state, unsplit }, command);
    } catch (e) {
      await sendError(bot, ctx, e);
    }
  };
}

/** Bot Framework may deliver the same activity twice: act once. */
async function redelivered(bot: Bot, ctx: TurnContext): Promise<boolean> {
  if (!ctx.activity.id || (await bot.store.firstDelivery(`${ctx.activity.conversation?.id}|${ctx.activity.id}`)))
    return false;
  bot.logger.info('redelivered activity ignored', { activityId: ctx.activity.id });
  return true;
}

/** An Action.Submit of a card from an earlier version of the bot: a value and no text. */
async function fromOlderCard(ctx: TurnContext): Promise<boolean> {
  const value = ctx.activity.value as Record<string, unknown> | undefined;
  if (ctx.activity.text || !value) return false;
  await sendText(ctx, NOT_UNDERSTOOD.olderCardButton);
  return true;
}
