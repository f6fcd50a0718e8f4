/**
 * Teams SSO through an OAuth connection (teams-ai adaptive-card and message sign-in): the
 * Application options, and what the bot says once a message sign-in completes or fails.
 */
import { MemoryStorage, tokenExchangeOperationName, verifyStateOperationName, type TurnContext } from 'botbuilder';
import type { Application, ApplicationOptions, TurnState } from '@microsoft/teams-ai';
import { parseCommand } from '../domain/command';
import { SIGN_IN } from '../views/account';
import { VERB } from '../views/verbs';
import { reportStanding } from './commands/account';
import type { Bot, BotDeps } from './deps';
import { sendError } from './failures';
import { sendText } from './reply';
import { finishAfterSignIn } from './step-up';
import { person } from './turn';

/** The teams-ai authentication setting (one: Microsoft Graph, with the user's own token). */
const GRAPH = 'graph';

/** The Action.Execute verbs that act with the clicker's own token. */
const SIGNED_IN_VERBS: string[] = [VERB.approve, VERB.reject, VERB.resume];
const SIGN_IN_INVOKES = [tokenExchangeOperationName, verifyStateOperationName];

/**
 * Only the clicks that act with the clicker's token need a sign-in; asking on every channel
 * message would be noisy (and silent SSO does not work in channels). A message asks for sign-in
 * only when it is `sign in` itself. The sign-in invokes must pass this selector too: teams-ai
 * only then tags them with the setting name its signin/tokenExchange and signin/verifyState
 * routes look for (else they get 501).
 */
async function needsSignIn(ctx: TurnContext): Promise<boolean> {
  const { type, name } = ctx.activity;
  const verb = (ctx.activity.value as { action?: { verb?: string } })?.action?.verb;
  return (
    (type === 'invoke' && name === 'adaptiveCard/action' && SIGNED_IN_VERBS.includes(String(verb))) ||
    (type === 'invoke' && SIGN_IN_INVOKES.includes(String(name))) ||
    (type === 'message' && parseCommand(ctx.activity.text ?? '').command.kind === 'signin')
  );
}

/** The Application options for sign-in; none without an OAuth connection (the local stack). */
export function signInOptions(sso: BotDeps['sso']): Partial<ApplicationOptions<TurnState>> {
  if (!sso) return {};
  return {
    // Sign-in state of the token exchange lives for the turn; the token service keeps the token.
    storage: new MemoryStorage(),
    authentication: {
      settings: {
        [GRAPH]: {
          connectionName: sso.connectionName,
          title: SIGN_IN.cardTitle,
          text: SIGN_IN.cardText,
          enableSso: true,
          tokenExchangeUri: sso.tokenExchangeUri,
        },
      },
      autoSignIn: needsSignIn,
    },
  };
}

/**
 * Message sign-in (`sign in`): Teams sends signin/tokenExchange (SSO) or signin/verifyState
 * (magic code after the sign-in card); teams-ai routes both, then calls one of these.
 */
export function registerSignIn(app: Application<TurnState>, bot: Bot): void {
  // An approval waiting for its approver's sign-in (Entra ID asked for MFA) is finished by the
  // signin/verifyState of that sign-in, before teams-ai's own sign-in routes see it.
  app.turn('beforeTurn', finishAfterSignIn(bot));
  const auth = app.authentication.get(GRAPH);
  auth.onUserSignInSuccess(async (ctx) => {
    const who = person(ctx.activity);
    if (who) await reportStanding(bot, ctx, who).catch((e) => sendError(bot, ctx, e));
  });
  auth.onUserSignInFailure(async (ctx, _state, err) => {
    bot.logger.warn('message sign-in failed', { cause: err.cause });
    await sendText(ctx, SIGN_IN.failed);
  });
}

/** Forgets the user's Graph sign-in. */
export function signOutOf(app: Application<TurnState>): NonNullable<Bot['signOut']> {
  return (ctx, state) => app.authentication.signOutUser(ctx, state, GRAPH);
}
