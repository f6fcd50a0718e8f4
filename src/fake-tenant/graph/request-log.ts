/** The log of Graph calls (GET /_fake/requests): who called what, and the answer's status. */
import type { Principal } from '../identity/principal';
import type { GraphRequest } from './types';

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  userId: string | null;
  appId: string | null;
  status: number;
  at: string;
  batch?: string;
  batchRequestId?: string;
}

/**
 * The newest entries kept. Large enough for the one-call-per-fact readiness baseline on a
 * 10,000-group tenant (about 30,000 requests), which the benchmark counts from this log.
 */
const MAX_ENTRIES = 100_000;

export function logRequest(
  log: RequestLogEntry[],
  req: GraphRequest,
  principal: Principal | null,
  status: number,
): void {
  log.push({
    method: req.method,
    path: req.path,
    query: req.query.toString(),
    userId: principal?.kind === 'user' ? principal.user.id : null,
    appId: principal ? principal.app.clientId : null,
    status,
    at: new Date().toISOString(),
    ...(req.batchId ? { batch: req.batchId, batchRequestId: req.batchRequestId } : {}),
  });
  if (log.length > MAX_ENTRIES) log.splice(0, log.length - MAX_ENTRIES);
}
