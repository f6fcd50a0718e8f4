/**
 * `readiness`, `readiness groups starting with "FIN-"`: the tenant readiness report (approvers
 * only). The progress card is posted here; the scan runs in the background and updates it.
 */
import { noGroupStartsWith } from '../../views/lookups';
import { READINESS } from '../../views/readiness-words';
import { sendCard, sendText } from '../reply';
import { anchorFor } from '../turn';
import type { MessageTurn, RouteCommands } from './routes';

export async function readiness(t: MessageTurn, c: RouteCommands['readiness']): Promise<void> {
  const r = await t.bot.service.startScan(t.who, anchorFor(t.ctx.activity), c.prefix);
  switch (r.outcome) {
    case 'notApprover':
      return void (await sendText(t.ctx, READINESS.approversOnly(r.reason)));
    case 'running':
      return void (await sendText(t.ctx, READINESS.alreadyRunning(r.scan.id)));
    case 'noMatch':
      return void (await sendText(t.ctx, noGroupStartsWith(r.prefix)));
    case 'started': {
      const sent = await sendCard(t.ctx, t.bot.presenter.readinessCard(r.scan));
      if (sent?.id) await t.bot.service.attachScanCard(r.scan.id, sent.id);
    }
  }
}
