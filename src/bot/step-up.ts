/**
 * When Entra ID will not let the bot act for an approver until they sign in again (multi-factor
 * authentication, a fresh sign-in: InteractionRequired with its AADSTS code). Needs the OAuth
 * connection; the held sign-in was already ended (see the token source's signOut).
 *
 * - The click is answered with a sign-in prompt: a loginRequest without the SSO token exchange,
 *   so Teams shows Entra ID's own, interactive sign-in, where Conditional Access asks for MFA.
 *   Teams then sends the same click again with the sign-in's code, and the approval runs.
 * - A click answered before Entra ID refused (past the click-answer budget) gets the prompt in
 *   the thread instead (an OAuth card); its completion (signin/verifyState) finishes the
 *   approval remembered on the request, through the same checks as a click.
 * - A sign-in that still does not satisfy Entra ID, or does not complete, is said as such.
 */
import { TurnContext, verifyStateOperationName, CardFactory, MessageFactory, type Activity } from 'botbuilder';
import { AuthenticationConstants, type ClaimsIdentity, type UserTokenClient } from 'botframework-connector';
import { isCoded, type CodedError } from '../domain/errors';
import type { Person } from '../domain/request';
import type { Decision } from '../services/soa-service';
import { explain } from '../views/errors';
import { mentionOf, STEP_UP } from '../views/step-up';
import { VERB } from '../views/verbs';
import type { Bot } from './deps';
import { sendText } from './reply';
import { anchorFor, person } from './turn';

/** Whether Entra ID asks for an interactive sign-in (with its AADSTS code); null otherwise, or without a connection. */
function signInAsked(bot: Bot, e: unknown): { aadsts?: number } | null {
  if (!bot.sso || !isCoded(e, 'InteractionRequired')) return null;
  const code = e.details.aadsts;
  return typeof code === 'number' ? { aadsts: code } : {};
}

/** The click came right after an interactive sign-in: Teams sent it again with the sign-in's code. */
function afterSignIn(activity: Activity): boolean {
  const state = (activity.value as { state?: unknown } | undefined)?.state;
  return typeof state === 'string' && /^\d+$/.test(state);
}

const verbOf = (activity: Activity) => String((activity.value as { action?: { verb?: unknown } })?.action?.verb ?? '');
const acknowledged = (data: Record<string, unknown>) =>
  data.ackSyncVersions === 'true' || data.ackSyncVersions === true;
// The GPAD toggle of a move's card (views/gpad.ts), kept with an approval waiting for a sign-in.
const stillNeeded = (data: Record<string, unknown>) => data.stillNeededInAd === 'true' || data.stillNeededInAd === true;
const versionOf = (data: Record<string, unknown>) => Number(data.version);

function tokenClient(bot: Bot, ctx: TurnContext): UserTokenClient | undefined {
  return ctx.turnState.get<UserTokenClient | undefined>(bot.adapter.UserTokenClientKey);
}

/** Where the interactive sign-in starts, for the user of `activity`; null if the token service has none. */
async function signInLink(bot: Bot, tokens: UserTokenClient | undefined, activity: Activity): Promise<string | null> {
  if (!tokens || !bot.sso) return null;
  try {
    return (await tokens.getSignInResource(bot.sso.connectionName, activity, '')).signInLink ?? null;
  } catch (e) {
    bot.logger.warn('no sign-in link from the token service', { error: e instanceof Error ? e.message : String(e) });
    return null;
  }
}

/**
 * After the approver's interactive sign-in the decision still failed: said in the thread and
 * returned for the card, and the waiting approval forgotten. Nothing is asked again: a second
 * prompt for a sign-in that did not satisfy Entra ID would go round in circles.
 */
async function failedAfterSignIn(
  bot: Bot,
  ctx: TurnContext,
  who: Person,
  requestId: string,
  e: CodedError,
): Promise<string> {
  await bot.service.dropSignIn(requestId, who).catch(() => undefined);
  const asked = signInAsked(bot, e);
  const code = typeof e.details.aadsts === 'number' ? e.details.aadsts : undefined;
  const line = asked
    ? STEP_UP.stillAsked(who.name, requestId, asked.aadsts)
    : STEP_UP.failedAfterSignIn(who.name, requestId, explain(e), code);
  await sendText(ctx, line).catch(() => undefined);
  return line;
}

/**
 * The answer to a click Entra ID refused until the clicker signs in again: the sign-in prompt,
 * or, right after the sign-in, what still went wrong. Null when it does not apply (no OAuth
 * connection, another error, no sign-in link): the click is then answered as usual.
 */
export async function askToSignIn(
  bot: Bot,
  ctx: TurnContext,
  who: Person,
  data: Record<string, unknown>,
  e: unknown,
): Promise<string | null> {
  if (!bot.sso) return null;
  const requestId = String(data.requestId ?? '');
  if (afterSignIn(ctx.activity) && isCoded(e)) return failedAfterSignIn(bot, ctx, who, requestId, e);
  const asked = signInAsked(bot, e);
  if (!asked) return null;
  if (verbOf(ctx.activity) === VERB.approve)
    await bot.service
      .awaitSignIn(requestId, versionOf(data), who, acknowledged(data), asked.aadsts, stillNeeded(data))
      .catch(() => undefined);
  const link = await signInLink(bot, tokenClient(bot, ctx), ctx.activity);
  if (!link) return null;
  const text = STEP_UP.prompt(requestId, asked.aadsts);
  await ctx.sendActivity({
    type: 'invokeResponse',
    value: {
      status: 200,
      body: {
        statusCode: 401,
        type: 'application/vnd.microsoft.activity.loginRequest',
        // No tokenExchangeResource: Teams' silent SSO would bring back the same sign-in Entra ID refused.
        value: {
          text,
          connectionName: bot.sso.connectionName,
          buttons: [{ type: 'signin', title: STEP_UP.button, text: STEP_UP.button, value: link }],
        },
      },
    },
  });
  // Not shown: the loginRequest above is the click's answer.
  return text;
}

/** What a click needs to ask for the sign-in after its turn ended: taken while the turn lasts. */
export type LaterSignIn = (who: Person, data: Record<string, unknown>, e: unknown) => Promise<boolean>;

/**
 * The prompt for a click already answered ("still deciding"): the approval is remembered, and an
 * OAuth card (without the SSO exchange) asks the approver, by name, to sign in in the thread.
 * False when it does not apply: the late outcome is then said as usual.
 */
export function laterSignIn(bot: Bot, ctx: TurnContext): LaterSignIn {
  const activity = { ...ctx.activity };
  const reference = TurnContext.getConversationReference(ctx.activity);
  // The bot's app id, as the channel addressed it (none locally): proactive posts go out as it.
  const identity = ctx.turnState.get<ClaimsIdentity | undefined>(bot.adapter.BotIdentityKey);
  const botAppId = identity?.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
  const tokens = tokenClient(bot, ctx);
  return async (who, data, e) => {
    const asked = signInAsked(bot, e);
    if (!asked || verbOf(activity) !== VERB.approve || !who.channelUserId) return false;
    const requestId = String(data.requestId ?? '');
    const remembered = await bot.service.awaitSignIn(
      requestId,
      versionOf(data),
      who,
      acknowledged(data),
      asked.aadsts,
      stillNeeded(data),
    );
    const link = remembered ? await signInLink(bot, tokens, activity) : null;
    if (!link) return false;
    const at = mentionOf(who.name);
    const text = STEP_UP.promptInThread(at, requestId, asked.aadsts);
    const message = MessageFactory.attachment(
      CardFactory.oauthCard(bot.sso!.connectionName, STEP_UP.button, text, link),
    );
    message.text = text;
    message.textFormat = 'markdown';
    message.entities = [{ type: 'mention', text: at, mentioned: { id: who.channelUserId, name: who.name } }];
    await bot.adapter.continueConversationAsync(botAppId, reference, async (c) => {
      await c.sendActivity(message);
    });
    return true;
  };
}

/**
 * Before any route: a signin/verifyState from someone whose approval waits for their sign-in
 * in this conversation finishes that approval. Anything else goes on to the routes (`true`).
 */
export function finishAfterSignIn(bot: Bot) {
  return async (ctx: TurnContext): Promise<boolean> => {
    const { type, name } = ctx.activity;
    if (!bot.sso || type !== 'invoke' || name !== verifyStateOperationName) return true;
    const who = person(ctx.activity);
    const found = who ? await bot.service.pendingSignIn(who, anchorFor(ctx.activity)).catch(() => null) : null;
    if (!who || !found) return true;
    const { requestId, pending } = found;
    const code = String((ctx.activity.value as { state?: unknown } | undefined)?.state ?? '');
    const token = /^\d+$/.test(code)
      ? await tokenClient(bot, ctx)
          ?.getUserToken(ctx.activity.from.id, bot.sso.connectionName, ctx.activity.channelId, code)
          .catch(() => null)
      : null;
    if (!token?.token) {
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 404 } });
      await bot.service.dropSignIn(requestId, who).catch(() => undefined);
      await sendText(ctx, STEP_UP.notCompleted(who.name, requestId)).catch(() => undefined);
      return false;
    }
    await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200 } });
    let outcome: Decision | null = null;
    let error: unknown = null;
    try {
      outcome = await bot.service.approve(
        requestId,
        pending.cardVersion,
        who,
        pending.syncVersionsAcknowledged,
        !!pending.stillNeededInAd,
      );
    } catch (e) {
      error = e;
    }
    if (isCoded(error)) {
      await failedAfterSignIn(bot, ctx, who, requestId, error);
      return false;
    }
    if (outcome?.outcome !== 'done') await bot.service.dropSignIn(requestId, who).catch(() => undefined);
    // Approved: the card everyone sees is updated; refused or failed: said in the thread.
    await bot.service.lateDecision(outcome, who, error, requestId);
    return false;
  };
}
