/**
 * Every invoke gets an answer. This is the last route: an invoke no other route took gets the
 * answer Teams expects for its name, never the 501 ("not implemented") teams-ai leaves for an
 * unrouted invoke, which Teams shows as an error.
 * - `adaptiveCard/action` the click table cannot route (no verb, a verb that is not a string,
 *   not an Action.Execute): the unknown-button message, as for an unknown verb.
 * - Features the bot does not offer (dialogs, message extensions, configuration): a message
 *   saying so, in the shape each one shows.
 * - `signin/tokenExchange` with no OAuth connection to take it: 412, so Teams shows the sign-in
 *   card instead (the answer teams-ai gives a token it cannot exchange).
 * - Anything else (file consent, connector card actions, feedback, hand-off, sign-in failure,
 *   names unknown): acknowledged with 200 and no body.
 */
import { ActivityTypes, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger';
import { CLICK } from '../views/clicks';
import { INVOKE } from '../views/invokes';

const ok = (body?: unknown): InvokeResponse => (body === undefined ? { status: 200 } : { status: 200, body });

/** A click's answer in words: Teams shows it to the clicker, the card stays as it was. */
export const clickMessage = (text: string): InvokeResponse =>
  ok({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text });

const dialog = () => ok({ task: { type: 'message', value: INVOKE.noDialogs } });
const extension = () => ok({ composeExtension: { type: 'message', text: INVOKE.noMessageExtension } });
const settings = () => ok({ responseType: 'config', config: { type: 'message', value: INVOKE.noSettings } });

/** What Teams sent as the exchange's id and connection; echoed so it can match the answer. */
function exchangeOf(ctx: TurnContext): { id?: string; connectionName?: string } {
  const v = ctx.activity.value as { id?: unknown; connectionName?: unknown } | null | undefined;
  const short = (x: unknown) => (typeof x === 'string' ? x.slice(0, 200) : undefined);
  const id = short(v?.id);
  const connectionName = short(v?.connectionName);
  return { ...(id !== undefined ? { id } : {}), ...(connectionName !== undefined ? { connectionName } : {}) };
}

/** The answer by invoke name; a name not here is acknowledged with an empty 200. */
const ANSWERS = new Map<string, (ctx: TurnContext) => InvokeResponse>([
  ['adaptiveCard/action', () => clickMessage(CLICK.unknownVerb)],
  [
    'application/search',
    () => ok({ statusCode: 200, type: 'application/vnd.microsoft.search.searchResponse', value: { results: [] } }),
  ],
  ['task/fetch', dialog],
  ['task/submit', dialog],
  ['composeExtension/fetchTask', dialog],
  ['composeExtension/query', extension],
  ['composeExtension/selectItem', extension],
  ['composeExtension/submitAction', extension],
  ['config/fetch', settings],
  ['config/submit', settings],
  ['healthCheck', () => ok({ healthResults: { success: true, messages: [INVOKE.healthy] } })],
  [
    'signin/tokenExchange',
    (ctx) => ({ status: 412, body: { ...exchangeOf(ctx), failureDetail: INVOKE.noTokenExchange } }),
  ],
]);

/** The answer to an invoke that nothing else answered. */
export function invokeAnswer(ctx: TurnContext): InvokeResponse {
  const name = ctx.activity.name;
  const answer = typeof name === 'string' ? ANSWERS.get(name) : undefined;
  return answer ? answer(ctx) : ok();
}

export async function sendInvokeAnswer(ctx: TurnContext, answer: InvokeResponse): Promise<void> {
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: answer });
}

/** Registered after every other route: invoke routes are tried first, so this sees only what they left. */
export function registerOtherInvokes(app: Application<TurnState>, logger: Logger): void {
  app.activity(ActivityTypes.Invoke, async (ctx) => {
    if (ctx.activity.name === 'signin/failure') {
      // Teams could not sign the user in silently (for example a resource that does not match the app).
      const code = (ctx.activity.value as { code?: unknown } | null | undefined)?.code;
      logger.warn('Teams reported a failed sign-in', {
        code: String(code ?? '')
          .replace(/[^\w.-]/g, '')
          .slice(0, 60),
      });
    }
    await sendInvokeAnswer(ctx, invokeAnswer(ctx));
  });
}
