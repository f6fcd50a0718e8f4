/** Where requests stand: `status` (mine, a request, a group), `pending`, and the `board` card. */
import { isRequestId, type Target } from '../../domain/command';
import { isOpen } from '../../domain/request';
import { GROUP_STATUS, MY_STATUS, PENDING, REQUEST_STATUS } from '../../views/status';
import { sendCard, sendText } from '../reply';
import { anchorFor } from '../turn';
import type { MessageTurn, RouteCommands } from './routes';

/** `status`, `status R-…`, `status SecGroup1`. */
export async function status(t: MessageTurn, c: RouteCommands['status']): Promise<void> {
  if (!c.target) await myStatus(t);
  else if (isRequestId(c.target.name)) await requestStatus(t, c.target.name);
  else await groupStatus(t, c.target);
}

/** Open requests first; finished ones only when nothing is open. */
async function myStatus(t: MessageTurn): Promise<void> {
  const { presenter } = t.bot;
  const mine = await t.bot.service.mine(t.who.id);
  const open = mine.filter((r) => isOpen(r.state));
  if (open.length) await sendCard(t.ctx, presenter.statusCard(MY_STATUS.openTitle(open.length), open, '', false));
  else await sendCard(t.ctx, presenter.statusCard(MY_STATUS.latestTitle, mine.slice(0, 5), MY_STATUS.none, false));
}

async function requestStatus(t: MessageTurn, id: string): Promise<void> {
  const req = await t.bot.service.get(id);
  if (!req) await sendText(t.ctx, REQUEST_STATUS.unknown(id));
  else await sendCard(t.ctx, t.bot.presenter.statusCard(REQUEST_STATUS.title(req.id), [req], '', true));
}

/** Every group of that name (several when the name is ambiguous), each with its requests. */
async function groupStatus(t: MessageTurn, target: Target): Promise<void> {
  const res = await t.bot.service.resolve([target]);
  const groups = [...res.resolved, ...res.ambiguous.flatMap((a) => a.matches)];
  if (!groups.length) {
    await sendText(t.ctx, GROUP_STATUS.noGroup(target.name));
    return;
  }
  for (const g of groups) {
    const reqs = await t.bot.service.forGroup(g.id);
    const title = GROUP_STATUS.title(g.displayName);
    await sendCard(t.ctx, t.bot.presenter.statusCard(title, reqs, GROUP_STATUS.none(g.displayName, g.id), true));
  }
}

/** `pending`: what waits for the user's decision (nothing, with why, when they cannot approve). */
export async function pending(t: MessageTurn): Promise<void> {
  const p = await t.bot.service.pendingFor(t.who);
  // Several approvals: one card per stage (and what you approved that waits for others).
  if (p.stages) {
    for (const card of t.bot.presenter.pendingCards(p.stages, PENDING.empty(p.reason))) await sendCard(t.ctx, card);
    return;
  }
  await sendCard(t.ctx, t.bot.presenter.statusCard(PENDING.title, p.requests, PENDING.empty(p.reason), false));
}

/** `board`: posts the conversation's tracking card, which is then kept up to date. */
export async function board(t: MessageTurn): Promise<void> {
  const anchor = anchorFor(t.ctx.activity);
  const sent = await sendCard(t.ctx, await t.bot.boards.card(anchor));
  if (sent?.id) await t.bot.boards.posted({ ...anchor, cardActivityId: sent.id }, t.who.name);
}
