/** `sign in` (or `who am I`) and `sign out`. */
import type { TurnContext } from 'botbuilder';
import type { Person } from '../../domain/request';
import { SIGN_IN, standingText } from '../../views/account';
import type { Bot } from '../deps';
import { sendText } from '../reply';
import type { MessageTurn } from './routes';

/** With an OAuth connection this runs once the token is there (sign-in completed earlier). */
export async function signIn(t: MessageTurn): Promise<void> {
  await reportStanding(t.bot, t.ctx, t.who);
}

export async function signOut(t: MessageTurn): Promise<void> {
  if (t.bot.signOut) await t.bot.signOut(t.ctx, t.state);
  await sendText(t.ctx, t.bot.sso ? SIGN_IN.signedOut : SIGN_IN.nothingToSignOut);
}

/** Who the user is to Entra ID, and whether their active roles let them approve. */
export async function reportStanding(bot: Bot, ctx: TurnContext, who: Person): Promise<void> {
  await sendText(ctx, standingText(await bot.service.standing(who)));
}
