/**
 * `export`, `export last 7 days`: a signed, one-time, expiring link to the CSV of the request
 * record, for the approver who asked and nobody else. In a channel or group chat the link goes
 * to their one-to-one chat with the bot, and the shared conversation only hears that it did.
 */
import type { TurnContext } from 'botbuilder';
import { EXPORT } from '../../views/export';
import { sendText } from '../reply';
import { anchorFor } from '../turn';
import type { MessageTurn, RouteCommands } from './routes';

export async function exportRecord(t: MessageTurn, c: RouteCommands['export']): Promise<void> {
  // The record names requesters and approvers: approvers only, by their active roles now.
  const standing = await t.bot.service.standing(t.who);
  if (!standing.canApprove) {
    await sendText(t.ctx, EXPORT.approversOnly(standing.reason));
    return;
  }
  const range = { from: c.from, to: c.to };
  const n = await t.bot.exports.count(range);
  if (!n) {
    await sendText(t.ctx, EXPORT.none(range));
    return;
  }
  const ready = () => EXPORT.ready(n, range, t.bot.exports.link(range, t.who), t.bot.exports.minutes);
  if (oneToOne(t.ctx)) {
    await sendText(t.ctx, ready());
    return;
  }
  try {
    await t.bot.privately.postPrivately(anchorFor(t.ctx.activity), t.who, { text: ready() });
  } catch (e) {
    // The status only: a failed request's details may quote the message, link included.
    const status = (e as { statusCode?: unknown }).statusCode;
    t.bot.logger.warn('export link not sent privately', { by: t.who.id, ...(status ? { status } : {}) });
    await sendText(t.ctx, EXPORT.notSentPrivately);
    return;
  }
  await sendText(t.ctx, EXPORT.sentPrivately);
}

/** Only the person and the bot are in it; a conversation that does not say so is treated as shared. */
export function oneToOne(ctx: TurnContext): boolean {
  const c = ctx.activity.conversation;
  return c?.conversationType === 'personal' && c.isGroup !== true;
}
