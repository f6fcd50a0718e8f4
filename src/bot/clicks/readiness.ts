/**
 * The readiness card's buttons: **Cancel** on the progress card, **Export the full list** on
 * the report (approvers only). The export link goes to the clicker alone, in their one-to-one
 * chat with the bot, as the `export` command's does.
 */
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { isScanId } from '../../domain/command';
import { READINESS_EXPORT } from '../../views/export';
import { READINESS } from '../../views/readiness-words';
import { oneToOne } from '../commands/export';
import { sendText } from '../reply';
import { anchorFor } from '../turn';
import { byPerson, type ClickHandler } from './guard';

const scanOf = (data: Record<string, unknown>): string | null => {
  const id = typeof data.scanId === 'string' ? data.scanId.trim().toUpperCase() : '';
  return isScanId(id) ? id : null;
};

/** Cancel: the scan stops at its next hop; the answer is the card as it now is. */
export const cancelReadiness: ClickHandler = byPerson(async (c) => {
  const scanId = scanOf(c.data);
  if (!scanId) return READINESS.notAScan;
  const r = await c.bot.service.cancelScan(scanId, c.who);
  switch (r.outcome) {
    case 'notApprover':
      return READINESS.approversOnly(r.reason);
    case 'notFound':
      return READINESS.notAScan;
    case 'cancelled':
    case 'notRunning':
      return c.bot.presenter.readinessCard(r.scan) as unknown as AdaptiveCard;
  }
});

/** Export the full list: a one-time, expiring link to its CSV, for the clicker alone. */
export const exportReadiness: ClickHandler = byPerson(async (c) => {
  const scanId = scanOf(c.data);
  if (!scanId) return READINESS.notAScan;
  const standing = await c.bot.service.standing(c.who);
  if (!standing.canApprove) return READINESS_EXPORT.approversOnly(standing.reason);
  const scan = await c.bot.service.getScan(scanId);
  if (!scan) return READINESS.notAScan;
  if (scan.state !== 'done' || !scan.result) return READINESS.notDone(scanId);
  const { exports } = c.bot;
  const ready = () => READINESS.exportReady(scan.result!.rows.length, exports.scanLink(scanId, c.who), exports.minutes);
  if (oneToOne(c.ctx)) {
    await sendText(c.ctx, ready());
    return READINESS_EXPORT.sentPrivately;
  }
  try {
    await c.bot.privately.postPrivately(anchorFor(c.ctx.activity), c.who, { text: ready() });
  } catch (e) {
    // The status only: a failed request's details may quote the message, link included.
    const status = (e as { statusCode?: unknown }).statusCode;
    c.bot.logger.warn('readiness link not sent privately', { by: c.who.id, ...(status ? { status } : {}) });
    return READINESS_EXPORT.notSentPrivately;
  }
  return READINESS_EXPORT.sentPrivately;
});
