/** What every decision click goes through: the gate before it, and the write that records it. */
import { isCoded } from '../../domain/errors';
import { cardVersion, type SoaRequest } from '../../domain/request';
import { expire } from './expiry';
import { mustGet, type ServicePorts } from './shared';

export type Decision =
  | { outcome: 'done'; request: SoaRequest }
  | { outcome: 'refused'; request: SoaRequest; message: string }
  | { outcome: 'stale'; request: SoaRequest; message: string };

/** Common gate for a click: current version, still open, not expired. */
export async function gate(ports: ServicePorts, id: string, version: number): Promise<{ req: SoaRequest } | Decision> {
  const { notice } = ports.presenter;
  let req = await mustGet(ports, id);
  if (req.state === 'awaiting_approval' && req.expiresAt <= ports.clock.now().toISOString()) {
    req = await expire(ports, req);
    return { outcome: 'stale', request: req, message: notice({ kind: 'expiredBeforeDecision', request: req }) };
  }
  if (req.state !== 'awaiting_approval') {
    return { outcome: 'stale', request: req, message: notice({ kind: 'alreadyDecided', request: req }) };
  }
  if (cardVersion(req) !== version) {
    // The card was out of date (for example a second card). Show the current one; act only on a fresh click.
    return {
      outcome: 'stale',
      request: req,
      message: notice({ kind: 'staleCard', requestId: req.id, what: 'request' }),
    };
  }
  return { req };
}

/**
 * Writes a decision made on `start`. A bookkeeping write in between (a reminder sent, audit
 * entries found) does not change the state or the card: the decision is made again on the
 * fresh copy. Another decision in between wins, and the loser is shown the current state.
 */
export async function commitDecision(
  ports: ServicePorts,
  start: SoaRequest,
  make: (r: SoaRequest) => SoaRequest,
): Promise<{ saved: SoaRequest } | Decision> {
  let current = start;
  for (let attempt = 0; attempt < 5; attempt++) {
    const next = make(current);
    try {
      await ports.store.update(next);
      return { saved: next };
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      const fresh = await mustGet(ports, start.id);
      if (fresh.state !== start.state || cardVersion(fresh) !== cardVersion(start)) {
        return {
          outcome: 'stale',
          request: fresh,
          message: ports.presenter.notice({ kind: 'decidedByOther', request: fresh }),
        };
      }
      current = fresh;
    }
  }
  const fresh = await mustGet(ports, start.id);
  return {
    outcome: 'stale',
    request: fresh,
    message: ports.presenter.notice({ kind: 'keptChanging', requestId: start.id }),
  };
}
