/**
 * The click guard, written once. Every click is answered, an internal error included (see
 * answered in table.ts). A decision (approve, reject, resume) is taken only for a clicker known
 * to Entra ID, on the request's own card in its own conversation, at the card's version, and
 * within the click-answer budget.
 */
import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { isRequestId } from '../../domain/command';
import type { Person } from '../../domain/request';
import { boardKey } from '../../ports/boards';
import type { Decision } from '../../services/soa-service';
import { CLICK } from '../../views/clicks';
import type { Bot } from '../deps';
import { clickError } from '../failures';
import { sendText } from '../reply';
import { askToSignIn, laterSignIn } from '../step-up';
import { anchorFor, person } from '../turn';

/** What a click answers: the card that replaces the clicked one, or a message. */
export type Answer = AdaptiveCard | string;

export interface Click {
  ctx: TurnContext;
  /** The card's data and inputs, as the client sent them: checked before use. */
  data: Record<string, unknown>;
  bot: Bot;
}

/** A click by someone known to Entra ID. */
export interface PersonClick extends Click {
  who: Person;
}

/** A decision click that passed the guard: its request, in this conversation, at the card's version. */
export interface DecisionClick extends PersonClick {
  requestId: string;
  version: number;
}

export type ClickHandler = (click: Click) => Promise<Answer>;

/** Anyone may click (a refresh, a button the bot no longer knows). */
export const anyone = (handle: ClickHandler): ClickHandler => handle;

/** The clicker must carry an Entra object id. */
export function byPerson(handle: (click: PersonClick) => Promise<Answer>): ClickHandler {
  return async (click) => {
    const who = person(click.ctx.activity);
    if (!who) return CLICK.unknownClicker;
    return handle({ ...click, who });
  };
}

/**
 * A decision: `work` starts it (or refuses with a sentence); the guard checks the clicker and
 * the conversation first, and answers within the budget.
 */
export function decision(work: (click: DecisionClick) => Promise<Decision> | string): ClickHandler {
  return byPerson(async (click) => {
    const refused = await elsewhere(click);
    if (refused) return refused;
    const started = work({
      ...click,
      requestId: String(click.data.requestId ?? ''),
      version: numberOf(click.data.version),
    });
    return typeof started === 'string' ? started : decide(click, started);
  });
}

const numberOf = (v: unknown) => (typeof v === 'number' ? v : Number(v));

/**
 * A decision is taken only on the card in the request's own conversation: request ids copied
 * into a card elsewhere (or forged) are refused before anything is read from Graph.
 */
async function elsewhere({ ctx, data, bot }: Click): Promise<string | null> {
  const requestId = data.requestId;
  const req = typeof requestId === 'string' && isRequestId(requestId) ? await bot.service.get(requestId) : null;
  if (!req) return CLICK.notARequest;
  if (boardKey(req.anchor) !== boardKey(anchorFor(ctx.activity))) return CLICK.otherConversation(req.id);
  return null;
}

/**
 * Teams shows an error if a click is not answered within about 10 s, and a slow tenant (or
 * a first on-behalf-of exchange) can take seconds. A decision that takes longer than the
 * budget is answered at once; its outcome then reaches the card and the thread. When Entra ID
 * wants the clicker to sign in again first, the answer is the sign-in prompt (step-up.ts).
 */
async function decide({ ctx, who, data, bot }: PersonClick, work: Promise<Decision>): Promise<Answer> {
  const settled = work.then(
    (r) => ({ r }),
    (e: unknown) => ({ e }),
  );
  const later = laterSignIn(bot, ctx);
  const quick = await Promise.race([
    settled,
    new Promise<null>((res) => setTimeout(() => res(null), bot.clickBudgetMs ?? 700).unref()),
  ]);
  if (quick) {
    if ('e' in quick) return (await askToSignIn(bot, ctx, who, data, quick.e)) ?? clickError(bot, quick.e);
    return decisionCard(ctx, bot, quick.r);
  }
  void settled
    .then(async (late) => {
      if ('e' in late && (await later(who, data, late.e))) return;
      await bot.service.lateDecision(
        'r' in late ? late.r : null,
        who,
        'e' in late ? late.e : null,
        String(data.requestId ?? ''),
      );
    })
    .catch((e) =>
      bot.logger.warn('late decision follow-up failed', { error: e instanceof Error ? e.message : String(e) }),
    );
  return CLICK.stillDeciding;
}

/** The request's card after a decision; a refusal is said to the clicker alone. */
async function decisionCard(ctx: TurnContext, bot: Bot, r: Decision): Promise<Answer> {
  if (r.outcome === 'refused') return r.message;
  if (r.outcome === 'stale') {
    await sendText(ctx, r.message).catch(() => undefined);
  }
  return bot.presenter.requestCard(r.request) as unknown as AdaptiveCard;
}
