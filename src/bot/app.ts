/**
 * The teams-ai Application: it is built here and its routes registered, nothing more.
 * - Messages: a few checks, then one command table keyed by the user's word (messages.ts,
 *   commands/index.ts; each command in commands/<family>.ts calls the service).
 * - Card clicks: one table keyed by verb, behind one click guard (clicks/table.ts, clicks/guard.ts).
 * - Sign-in with an OAuth connection (sign-in.ts). Words and cards come from views/.
 * - Every other invoke (a click without a usable verb, features the bot does not offer): the
 *   answer Teams expects for its name (invokes.ts), registered last.
 */
import { ActivityTypes } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, type TurnState } from '@microsoft/teams-ai';
import { registerClicks } from './clicks/table';
import type { Bot, BotDeps } from './deps';
import { onTurnError } from './failures';
import { registerOtherInvokes } from './invokes';
import { onMessage } from './messages';
import { registerSignIn, signInOptions, signOutOf } from './sign-in';

export type { BotDeps } from './deps';

/**
 * teams-ai 1.7 starts its typing timer on every message turn whatever `startTypingTimer` says,
 * and keeps the timer on the Application, shared by concurrent turns: one turn's reply stops
 * another's timer and leaves its own running, so "typing" could follow the answer. The bot
 * answers messages at once and shows long work on its cards, so it sends no typing at all.
 */
class SoaApplication extends Application<TurnState> {
  override startTypingTimer(): void {}
}

export function createBot(d: BotDeps): Application<TurnState> {
  const app = new SoaApplication({
    adapter: d.adapter,
    removeRecipientMention: true,
    startTypingTimer: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_ALL },
    ...signInOptions(d.sso),
  });
  const bot: Bot = d.sso ? { ...d, signOut: signOutOf(app) } : d;
  if (d.sso) registerSignIn(app, bot);
  app.activity(ActivityTypes.Message, onMessage(bot));
  registerClicks(app, bot);
  registerOtherInvokes(app, bot.logger);
  app.error(onTurnError(bot.logger));
  return app;
}
