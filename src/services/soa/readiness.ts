/**
 * The readiness report: a scan reads every group of the tenant a page at a time (the job
 * `readiness`, a few seconds per hop), merges the pages, and at the last page classifies the
 * groups and stores the report. Every hop stores the scan with the cursor after its last page,
 * so a scan whose process died goes on from there when the queue hands its job out again.
 */
import { isCoded } from '../../domain/errors';
import { classify, mergeEntries } from '../../domain/readiness';
import type { ScanGroup } from '../../domain/readiness-types';
import { newRequestId, OPEN_STATES, type ConversationAnchor, type Person } from '../../domain/request';
import type { Scan, ScanStore } from '../../ports/scans';
import type { Inventory } from '../../ports/inventory';
import { standing } from './queries';
import { errorText, type Outcome, type ServicePorts } from './shared';

/** One hop of a scan reads at most this many pages, for at most this long (then queues itself again). */
export const HOP_PAGES = 20;
export const HOP_MS = 3_000;
/** The progress card is updated at most this often. */
export const CARD_EVERY_MS = 2_000;
/** A hop that keeps failing (Graph down, a page that cannot be read) fails the scan after this many tries. */
export const MAX_HOP_TRIES = 5;
/** A reading scan not written for this long has lost its job (it is queued again when someone asks). */
export const STALLED_MS = 5 * 60_000;
/** Scans looked at for one still reading. */
const RUNNING_LOOKBACK = 20;

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

function parts(ports: ServicePorts): { scans: ScanStore; inventory: Inventory } {
  // Both are wired by the composition root; only use-case tests of other features leave them out.
  if (!ports.scans || !ports.inventory) throw new Error('The readiness report needs a scan store and an inventory.');
  return { scans: ports.scans, inventory: ports.inventory };
}

/** The first of the scans still reading (by when they were asked, then id): the one that goes on. */
function firstReading(scans: Scan[]): Scan | undefined {
  return scans
    .filter((s) => s.state === 'reading')
    .sort((a, b) =>
      a.requestedAt === b.requestedAt ? a.id.localeCompare(b.id) : a.requestedAt < b.requestedAt ? -1 : 1,
    )[0];
}

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

/**
 * Writes `change` over the stored scan, re-read on each try; `change` returns null when there is
 * nothing to write (then the scan as read is answered). Null when there is no scan.
 */
async function changeScan(
  ports: ServicePorts,
  id: string,
  change: (s: Scan) => Partial<Scan> | null,
): Promise<{ scan: Scan; written: boolean } | null> {
  const { scans } = parts(ports);
  for (let round = 1; ; round++) {
    const current = await scans.get(id);
    if (!current) return null;
    const fields = change(current);
    if (!fields) return { scan: current, written: false };
    const next: Scan = {
      ...current,
      ...fields,
      version: current.version + 1,
      updatedAt: ports.clock.now().toISOString(),
    };
    try {
      await scans.update(next);
      return { scan: next, written: true };
    } catch (e) {
      if (!isCoded(e, 'StaleVersion') || round >= 10) throw e;
    }
  }
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

/**
 * Replaces the scan's card for everyone; failures are logged. Before the card's id is stored
 * nothing is shown: `attachScanCard` brings the card up to date then (a fast scan may finish
 * before the bot has posted its card).
 */
async function showCard(ports: ServicePorts, scan: Scan): Promise<void> {
  if (!scan.anchor.cardActivityId) return;
  try {
    await ports.notifier.updateCard(scan.anchor, ports.presenter.readinessCard(scan));
  } catch (e) {
    ports.logger.warn('readiness card update failed', { scanId: scan.id, error: errorText(e) });
  }
}

/** The open requests of the bot, by group (each step of an open plan counts). */
async function openRequests(ports: ServicePorts): Promise<Map<string, string>> {
  const open = await ports.store.list({ states: OPEN_STATES, limit: 1000 });
  const byGroup = new Map<string, string>();
  for (const r of open) for (const g of r.plan ? r.plan.steps.map((s) => s.groupId) : [r.groupId]) byGroup.set(g, r.id);
  return byGroup;
}

/**
 * One hop of the job `readiness`: pages read from the stored cursor (HOP_PAGES, HOP_MS), merged
 * and stored with the cursor after them; the last page classifies and stores the report. A
 * message handed out again (`dequeueCount` > 1: its worker died, or the hop failed) resumes.
 */
export async function readScan(ports: ServicePorts, id: string, dequeueCount = 1): Promise<Outcome> {
  const { inventory, clock } = { ...parts(ports), clock: ports.clock };
  const scan = await getScan(ports, id);
  if (!scan || scan.state !== 'reading') return 'done';
  if (dequeueCount > MAX_HOP_TRIES) return failScan(ports, scan, 'the directory could not be read');
  const started = clock.now().getTime();
  const groups = new Map<string, ScanGroup>(scan.groups.map((g) => [g.id, g]));
  let { cursor, pagesRead, cloudManagedIds, tenantSyncEnabled } = scan;
  if (pagesRead === 0)
    [cloudManagedIds, tenantSyncEnabled] = await Promise.all([
      inventory.cloudManagedIds(),
      inventory.tenantSyncEnabled(),
    ]);
  let last = false;
  for (let n = 0; n < HOP_PAGES; n++) {
    const page = await inventory.readPage(cursor);
    mergeEntries(groups, page.entries);
    pagesRead++;
    cursor = page.next;
    if (!page.next) {
      last = true;
      break;
    }
    if (clock.now().getTime() - started >= HOP_MS) break;
  }
  const now = clock.now();
  const result = last
    ? classify({
        groups: groups.values(),
        cloudManaged: new Set(cloudManagedIds),
        tenantSyncEnabled,
        openRequests: await openRequests(ports),
        ...(scan.prefix !== undefined ? { prefix: scan.prefix } : {}),
      })
    : undefined;
  const resumed = dequeueCount > 1;
  const lastCard = scan.cardAt ? Date.parse(scan.cardAt) : 0;
  const card = last || resumed || now.getTime() - lastCard >= CARD_EVERY_MS;
  const r = await changeScan(ports, id, (s) =>
    // Cancelled meanwhile, or another delivery of this job got further: this hop's pages are dropped.
    s.state !== 'reading' || s.pagesRead !== scan.pagesRead
      ? null
      : {
          groups: [...groups.values()],
          cloudManagedIds,
          tenantSyncEnabled,
          cursor: last ? null : cursor,
          pagesRead,
          ...(card ? { cardAt: now.toISOString() } : {}),
          ...(resumed ? { resumedAt: now.toISOString(), resumes: (s.resumes ?? 0) + 1 } : {}),
          ...(result ? { state: 'done' as const, result, finishedAt: now.toISOString() } : {}),
        },
  );
  if (!r?.written) return 'done';
  if (resumed) ports.logger.info('readiness scan resumed', { scanId: id, pagesRead: scan.pagesRead });
  if (card) await showCard(ports, r.scan);
  if (!last) return { afterMs: 0 };
  ports.logger.info('readiness scan done', { scanId: id, pagesRead, groups: groups.size, rows: result?.rows.length });
  return 'done';
}

async function failScan(ports: ServicePorts, scan: Scan, why: string): Promise<Outcome> {
  const now = ports.clock.now().toISOString();
  const r = await changeScan(ports, scan.id, (s) =>
    s.state === 'reading' ? { state: 'failed', error: why, finishedAt: now } : null,
  );
  ports.logger.warn('readiness scan failed', { scanId: scan.id, pagesRead: scan.pagesRead });
  if (r?.written) await showCard(ports, r.scan);
  return 'done';
}

/**
 * On start: every scan still reading goes on from its stored cursor (its card says it resumed).
 * The job of the process that died may reappear too; two hops never both store (see readScan).
 */
export async function resumeScans(ports: ServicePorts): Promise<number> {
  if (!ports.scans) return 0;
  const reading = (await ports.scans.recent(RUNNING_LOOKBACK)).filter((s) => s.state === 'reading');
  for (const s of reading) {
    const now = ports.clock.now().toISOString();
    const r = await changeScan(ports, s.id, (c) =>
      c.state === 'reading' ? { resumedAt: now, resumes: (c.resumes ?? 0) + 1, cardAt: now } : null,
    );
    if (!r?.written) continue;
    await ports.queue.enqueue({ kind: 'readiness', requestId: s.id });
    ports.logger.info('readiness scan resumed', { scanId: s.id, pagesRead: r.scan.pagesRead });
    await showCard(ports, r.scan);
  }
  return reading.length;
}
