/**
 * What the readiness use cases share: the scan store and inventory, the scan that goes on when
 * several read, versioned writes of a scan, and its card.
 */
import { isCoded } from '../../domain/errors';
import type { Inventory } from '../../ports/inventory';
import type { Scan, ScanStore } from '../../ports/scans';
import { errorText, type ServicePorts } from './shared';

/** Scans looked at for one still reading. */
export const RUNNING_LOOKBACK = 20;

export function parts(ports: ServicePorts): { scans: ScanStore; inventory: Inventory } {
  // Both are wired by the composition root; only use-case tests of other features leave them out.
  if (!ports.scans || !ports.inventory) throw new Error('The readiness report needs a scan store and an inventory.');
  return { scans: ports.scans, inventory: ports.inventory };
}

/** The first of the scans still reading (by when they were asked, then id): the one that goes on. */
export function firstReading(scans: Scan[]): Scan | undefined {
  return scans
    .filter((s) => s.state === 'reading')
    .sort((a, b) =>
      a.requestedAt === b.requestedAt ? a.id.localeCompare(b.id) : a.requestedAt < b.requestedAt ? -1 : 1,
    )[0];
}

/**
 * Writes `change` over the stored scan, re-read on each try; `change` returns null when there is
 * nothing to write (then the scan as read is answered). Null when there is no scan.
 */
export async function changeScan(
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

/**
 * Replaces the scan's card for everyone; failures are logged. Before the card's id is stored
 * nothing is shown: `attachScanCard` brings the card up to date then (a fast scan may finish
 * before the bot has posted its card).
 */
export async function showCard(ports: ServicePorts, scan: Scan): Promise<void> {
  if (!scan.anchor.cardActivityId) return;
  try {
    await ports.notifier.updateCard(scan.anchor, ports.presenter.readinessCard(scan));
  } catch (e) {
    ports.logger.warn('readiness card update failed', { scanId: scan.id, error: errorText(e) });
  }
}
