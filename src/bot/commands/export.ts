/** `export`, `export last 7 days`: a signed, expiring link to the CSV of the request record. */
import { EXPORT } from '../../views/export';
import { sendText } from '../reply';
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
  await sendText(t.ctx, n ? EXPORT.ready(n, range, t.bot.exports.link(range, t.who)) : EXPORT.none(range));
}
