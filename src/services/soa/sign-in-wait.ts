/**
 * Approvals waiting for the approver's interactive sign-in: Entra ID refused to act for them
 * until they sign in again (multi-factor authentication, a fresh sign-in). The approval is
 * remembered on the request (durably, with the card version the approver clicked), so the
 * sign-in's completion can finish it, through the same checks as a click.
 */
import { isCoded } from '../../domain/errors';
import {
  cardVersion,
  type ConversationAnchor,
  type PendingSignIn,
  type Person,
  type SoaRequest,
} from '../../domain/request';
import { boardKey } from '../../ports/boards';
import type { ServicePorts } from './shared';

/** How many waiting requests are searched for someone's pending sign-in (the newest first). */
const SEARCH_LIMIT = 500;
const WRITE_TRIES = 3;

/**
 * A bookkeeping write (state and card unchanged), tried again on a concurrent write; false when
 * the request is gone or `change` declines (null).
 */
async function rewrite(
  ports: ServicePorts,
  id: string,
  change: (req: SoaRequest) => PendingSignIn[] | null,
): Promise<boolean> {
  for (let attempt = 0; attempt < WRITE_TRIES; attempt++) {
    const req = await ports.store.get(id);
    if (!req) return false;
    const pending = change(req);
    if (!pending) return false;
    const next: SoaRequest = { ...req, version: req.version + 1, signInsPending: pending };
    if (!pending.length) delete next.signInsPending;
    try {
      await ports.store.update(next);
      return true;
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
    }
  }
  return false;
}

/**
 * Remembers that `approver` approved request `id` at card `version` and must sign in first.
 * Nothing is remembered for a request no longer waiting, or whose card changed since.
 */
export function awaitSignIn(
  ports: ServicePorts,
  id: string,
  version: number,
  approver: Person,
  syncVersionsAcknowledged: boolean,
  aadsts?: number,
  stillNeededInAd = false,
): Promise<boolean> {
  const entry: PendingSignIn = {
    approver,
    cardVersion: version,
    syncVersionsAcknowledged,
    ...(stillNeededInAd ? { stillNeededInAd } : {}),
    ...(aadsts !== undefined ? { aadsts } : {}),
    askedAt: ports.clock.now().toISOString(),
  };
  return rewrite(ports, id, (req) =>
    req.state === 'awaiting_approval' && cardVersion(req) === version
      ? [...(req.signInsPending ?? []).filter((p) => p.approver.id !== approver.id), entry]
      : null,
  );
}

/** The newest approval `who` left waiting for their sign-in in this conversation, if any. */
export async function pendingSignIn(
  ports: ServicePorts,
  who: Person,
  here: ConversationAnchor,
): Promise<{ requestId: string; pending: PendingSignIn } | null> {
  const key = boardKey(here);
  const waiting = await ports.store.list({ states: ['awaiting_approval'], limit: SEARCH_LIMIT });
  let found: { requestId: string; pending: PendingSignIn } | null = null;
  for (const req of waiting) {
    if (boardKey(req.anchor) !== key) continue;
    const pending = req.signInsPending?.find((p) => p.approver.id === who.id);
    if (pending && (!found || pending.askedAt > found.pending.askedAt)) found = { requestId: req.id, pending };
  }
  return found;
}

/** Forgets `who`'s waiting approval of request `id` (the sign-in failed or was not completed). */
export async function dropSignIn(ports: ServicePorts, id: string, who: Person): Promise<void> {
  await rewrite(ports, id, (req) =>
    req.signInsPending?.some((p) => p.approver.id === who.id)
      ? req.signInsPending.filter((p) => p.approver.id !== who.id)
      : null,
  );
}
