/**
 * The job `readiness`: one hop of a scan reads pages from its stored cursor, merges them and
 * stores the scan with the cursor after them; the last page classifies the groups and stores the
 * report. Every hop stores the cursor, so a scan whose process died goes on from there.
 */
import { CodedError, isCoded } from '../../domain/errors';
import { classify, mergeEntries } from '../../domain/readiness';
import type { ScanGroup } from '../../domain/readiness-types';
import { OPEN_STATES } from '../../domain/request';
import type { Scan } from '../../ports/scans';
import { changeScan, parts, RUNNING_LOOKBACK, showCard } from './readiness-records';
import type { Outcome, ServicePorts } from './shared';

/** One hop of a scan reads at most this many pages, for at most this long (then queues itself again). */
export const HOP_PAGES = 20;
export const HOP_MS = 3_000;
/** The progress card is updated at most this often. */
export const CARD_EVERY_MS = 2_000;
/** A hop that keeps failing (Graph down, a page that cannot be read) fails the scan after this many tries. */
export const MAX_HOP_TRIES = 5;
/** Graph expiring the page token sends the scan back to the first page at most this many times. */
export const MAX_RESTARTS = 2;

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
  const scan = await parts(ports).scans.get(id);
  if (!scan || scan.state !== 'reading') return 'done';
  // A message handed out again after its worker died on the last try.
  if (dequeueCount > MAX_HOP_TRIES)
    return failScan(ports, scan, new CodedError('ServiceUnavailable', 'The directory could not be read.'));
  try {
    return await hop(ports, scan, dequeueCount);
  } catch (e) {
    if (isCoded(e) && e.details.restartScan === true && (scan.restarts ?? 0) < MAX_RESTARTS)
      return restart(ports, scan);
    // Left for the message to come back (a page read again from the stored cursor), until the last try.
    if (dequeueCount < MAX_HOP_TRIES) throw e;
    return failScan(ports, scan, e);
  }
}

async function hop(ports: ServicePorts, scan: Scan, dequeueCount: number): Promise<Outcome> {
  const { inventory } = parts(ports);
  const { clock } = ports;
  const id = scan.id;
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

/** Graph no longer knows the scan's page token: everything read is dropped and the scan reads from the first page. */
async function restart(ports: ServicePorts, scan: Scan): Promise<Outcome> {
  const r = await changeScan(ports, scan.id, (s) =>
    s.state !== 'reading' || s.pagesRead !== scan.pagesRead
      ? null
      : { groups: [], cloudManagedIds: [], cursor: null, pagesRead: 0, restarts: (s.restarts ?? 0) + 1 },
  );
  if (!r?.written) return 'done';
  ports.logger.info('readiness scan started again', { scanId: scan.id, pagesRead: scan.pagesRead });
  await showCard(ports, r.scan);
  return { afterMs: 0 };
}

/** The scan stops for good: its card says why, in a scan's words (views/readiness-words.ts). */
async function failScan(ports: ServicePorts, scan: Scan, e: unknown): Promise<Outcome> {
  const now = ports.clock.now().toISOString();
  const error = ports.presenter.notice({ kind: 'scanFailed', error: e });
  const r = await changeScan(ports, scan.id, (s) =>
    s.state === 'reading' ? { state: 'failed', error, finishedAt: now } : null,
  );
  ports.logger.warn('readiness scan failed', {
    scanId: scan.id,
    pagesRead: scan.pagesRead,
    code: isCoded(e) ? e.code : 'unexpected',
  });
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
