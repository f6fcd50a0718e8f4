/**
 * The readiness report: an approver starts a scan (one at a time), which reads every group of
 * the tenant in hops of the job `readiness` (readiness-hop.ts) and updates its card; Cancel
 * stops it. The scan is stored after every hop, so a restarted bot goes on from there.
 */
import { isCoded } from '../../domain/errors';
import { newRequestId, type ConversationAnchor, type Person } from '../../domain/request';
import type { Scan } from '../../ports/scans';
import { standing } from './queries';
import { changeScan, firstReading, parts, RUNNING_LOOKBACK, showCard } from './readiness-records';
import type { ServicePorts } from './shared';

export { CARD_EVERY_MS, HOP_MS, HOP_PAGES, MAX_HOP_TRIES, MAX_RESTARTS, readScan, resumeScans } from './readiness-hop';

/** A reading scan not written for this long has lost its job (it is queued again when someone asks). */
export const STALLED_MS = 5 * 60_000;

export type ScanStart =
  | { outcome: 'started'; scan: Scan }
  /** A scan is already reading: its id (one at a time). */
  | { outcome: 'running'; scan: Scan }
  | { outcome: 'notApprover'; reason?: string }
  /** No group's name starts with the prefix: nothing was started. */
  | { outcome: 'noMatch'; prefix: string };

export type ScanCancel =
  | { outcome: 'cancelled'; scan: Scan }
  | { outcome: 'notRunning'; scan: Scan }
  | { outcome: 'notApprover'; reason?: string }
  | { outcome: 'notFound'; scanId: string };

/**
 * Starts a scan (approvers only; one reading scan at a time: a second ask gets the running one).
 * The caller posts the progress card and hands its activity id to `attachScanCard`.
 */
export async function startScan(
  ports: ServicePorts,
  who: Person,
  anchor: ConversationAnchor,
  prefix?: string,
): Promise<ScanStart> {
  const { scans, inventory } = parts(ports);
  const me = await standing(ports, who);
  if (!me.canApprove) return { outcome: 'notApprover', ...(me.reason ? { reason: me.reason } : {}) };
  const running = firstReading(await scans.recent(RUNNING_LOOKBACK));
  if (running) {
    await requeueIfStalled(ports, running);
    return { outcome: 'running', scan: running };
  }
  if (prefix !== undefined && !(await ports.directory.app().findGroupsByPrefix(prefix, 1)).length)
    return { outcome: 'noMatch', prefix };
  const total = await inventory.countGroups();
  const base = {
    version: 1,
    state: 'reading' as const,
    requestedBy: who,
    requestedAt: ports.clock.now().toISOString(),
    anchor: { reference: anchor.reference, conversationType: anchor.conversationType },
    ...(prefix !== undefined ? { prefix } : {}),
    total,
    groups: [],
    cloudManagedIds: [],
    tenantSyncEnabled: null,
    cursor: null,
    pagesRead: 0,
  };
  let scan: Scan | null = null;
  for (let tries = 1; !scan; tries++) {
    const next: Scan = { id: `S-${newRequestId(ports.random).slice(2)}`, ...base };
    try {
      await scans.create(next);
      scan = next;
    } catch (e) {
      // A random id already taken: another one.
      if (!isCoded(e, 'StaleVersion') || tries >= 5) throw e;
    }
  }
  // Two asks at once may both have created one: the first goes on, the other steps aside.
  const first = firstReading(await scans.recent(RUNNING_LOOKBACK));
  if (first && first.id !== scan.id) {
    await scans.update({ ...scan, version: scan.version + 1, state: 'cancelled', finishedAt: base.requestedAt });
    return { outcome: 'running', scan: first };
  }
  await ports.queue.enqueue({ kind: 'readiness', requestId: scan.id });
  ports.logger.info('readiness scan started', { scanId: scan.id, by: who.id, total: total ?? 'unknown' });
  return { outcome: 'started', scan };
}

/**
 * A scan still reading whose hops stopped (its message lost with the storage it was in, a queue
 * emptied by hand) gets its job again; a second job beside a live one is harmless (see readScan).
 */
async function requeueIfStalled(ports: ServicePorts, scan: Scan): Promise<void> {
  const last = Date.parse(scan.updatedAt ?? scan.requestedAt);
  const stall = Math.max(STALLED_MS, 3 * ports.settings.worker.visibilityMs);
  if (ports.clock.now().getTime() - last < stall) return;
  await ports.queue.enqueue({ kind: 'readiness', requestId: scan.id });
  ports.logger.warn('readiness scan stalled, queued again', { scanId: scan.id, pagesRead: scan.pagesRead });
}

/** Where the scan's card was posted; the card is brought up to date at once if the scan moved on meanwhile. */
export async function attachScanCard(ports: ServicePorts, id: string, cardActivityId: string): Promise<void> {
  const r = await changeScan(ports, id, (s) => ({ anchor: { ...s.anchor, cardActivityId } }));
  if (r && (r.scan.state !== 'reading' || r.scan.pagesRead > 0)) await showCard(ports, r.scan);
}

/** Cancel on the progress card (approvers only): the scan stops at its next hop; the card says who. */
export async function cancelScan(ports: ServicePorts, scanId: string, who: Person): Promise<ScanCancel> {
  const me = await standing(ports, who);
  if (!me.canApprove) return { outcome: 'notApprover', ...(me.reason ? { reason: me.reason } : {}) };
  const now = ports.clock.now().toISOString();
  const r = await changeScan(ports, scanId, (s) =>
    s.state === 'reading' ? { state: 'cancelled', cancelledBy: who, finishedAt: now, cursor: null } : null,
  );
  if (!r) return { outcome: 'notFound', scanId };
  if (!r.written) return { outcome: 'notRunning', scan: r.scan };
  ports.logger.info('readiness scan cancelled', { scanId, by: who.id, pagesRead: r.scan.pagesRead });
  await showCard(ports, r.scan);
  return { outcome: 'cancelled', scan: r.scan };
}

/** The scan as its requester may see it (the export checks the state itself). */
export async function getScan(ports: ServicePorts, id: string): Promise<Scan | null> {
  return parts(ports).scans.get(id);
}
