/**
 * The audit export's links. The bot hands an approver a signed link that names them (`by`),
 * carries a random link id, and expires after EXPORT_LINK_MINUTES; it is delivered to them alone.
 * The link opens a page (GET /api/exports: nothing is read or used up, so a link scanner that
 * fetches it spends nothing), whose button downloads the CSV (POST /api/exports) once: the link
 * id is recorded in the shared store at the first download, and every later one is refused. Each
 * step is logged with the approver the link was made for and the link id, never with the
 * signature. The key is derived from configuration every instance shares, so any instance serves
 * a link another one issued. A link names either a range of the request record or a readiness
 * report (`scan`): the report's full list, one row per group.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from '../domain/request';
import { linkKey, signLink, verifyLink } from '../infra/links';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { ScanStore } from '../ports/scans';
import type { RequestStore } from '../ports/store';
import { exportCsv, exportRequests } from '../services/export';
import { DOWNLOAD } from '../views/export';
import { readinessCsv } from '../views/readiness-csv';
import { READINESS } from '../views/readiness-words';
import type { Download, ExportRoutes } from './http';

type Range = { from: string; to: string };

/** What a valid link says: the range or the readiness report, who it was made for, and its id. */
type Issued = { by: string; id: string } & (Range | { scan: string });

export interface ExportLinks extends ExportRoutes {
  /** For the bot: how many requests the range holds, and a one-time link to their CSV for `by`. */
  count(range: Range): Promise<number>;
  link(range: Range, by: Person): string;
  /** A one-time link to the full list of readiness report `scanId`, for `by`. */
  scanLink(scanId: string, by: Person): string;
  /** How long a link lives. */
  minutes: number;
  /** The server's own URL, the links' base when no public URL is configured (local mode). */
  listening(url: string): void;
}

const TEXT = 'text/plain; charset=utf-8';

/** The once-only record of a used link; it never contains "|", unlike a delivery id. */
const usedMarker = (id: string) => `export-link ${id}`;

export function exportLinks(o: {
  settings: { publicUrl?: string; linkKeyMaterial: string; linkMinutes: number };
  store: RequestStore;
  /** Where readiness reports are kept (their links are refused without it). */
  scans?: ScanStore;
  clock: Clock;
  logger: Logger;
}): ExportLinks {
  const key = o.settings.linkKeyMaterial ? linkKey(o.settings.linkKeyMaterial) : randomBytes(32);
  let publicUrl = o.settings.publicUrl ?? '';

  /** The link's payload when its signature, expiry and fields hold; else the refusal (logged). */
  const check = (fields: Record<string, string>, step: 'page' | 'download'): Issued | Download => {
    const checked = verifyLink(key, fields, o.clock.now());
    const p = checked.ok ? checked.payload : {};
    const issued: Issued | null =
      p.by && p.id && p.from && p.to
        ? { from: p.from, to: p.to, by: p.by, id: p.id }
        : p.by && p.id && p.scan
          ? { scan: p.scan, by: p.by, id: p.id }
          : null;
    if (checked.ok && issued) return issued;
    const reason = checked.ok ? 'malformed' : checked.reason;
    // Only a link this service signed names an approver; anything else is logged by its reason alone.
    o.logger.warn('export link refused', { step, reason, ...(issued ? { by: issued.by, link: issued.id } : {}) });
    return reason === 'expired'
      ? { status: 410, body: DOWNLOAD.expired, contentType: TEXT }
      : { status: 403, body: DOWNLOAD.invalid, contentType: TEXT };
  };
  const isRefusal = (x: Issued | Download): x is Download => 'status' in x;
  const issue = (fields: Record<string, string>, by: Person, logged: Record<string, string>) => {
    const expires = new Date(o.clock.now().getTime() + o.settings.linkMinutes * 60_000);
    const id = randomBytes(16).toString('base64url');
    o.logger.info('export link issued', { by: by.id, link: id, ...logged, expiresAt: expires.toISOString() });
    return `${publicUrl}/api/exports?${signLink(key, { ...fields, by: by.id, id }, expires)}`;
  };
  /** The readiness list's CSV, or null when the report is not there (or not finished). */
  const scanCsv = async (scanId: string) => {
    const scan = await o.scans?.get(scanId);
    return scan?.state === 'done' && scan.result
      ? { csv: readinessCsv(scan.result), rows: scan.result.rows.length }
      : null;
  };
  /** Used up here, after the CSV is made (a failure leaves the link usable) and before it is sent. */
  const useUp = async (issued: Issued): Promise<Download | null> => {
    if (await o.store.firstDelivery(usedMarker(issued.id))) return null;
    o.logger.warn('export link refused', { step: 'download', reason: 'used', by: issued.by, link: issued.id });
    return { status: 410, body: DOWNLOAD.used, contentType: TEXT };
  };

  return {
    minutes: o.settings.linkMinutes,
    // Counting needs the listing (and its bound), not the CSV.
    count: async (range) => (await exportRequests(o.store, range)).length,
    link: (range, by) => issue({ from: range.from, to: range.to }, by, { from: range.from, to: range.to }),
    scanLink: (scanId, by) => issue({ scan: scanId }, by, { scan: scanId }),
    page: async (query) => {
      const issued = check(query, 'page');
      if (isRefusal(issued)) return issued;
      o.logger.info('export link opened', { by: issued.by, link: issued.id });
      const { p, exp, sig } = query as { p: string; exp: string; sig: string };
      const body =
        'scan' in issued ? DOWNLOAD.scanPage(issued.scan, { p, exp, sig }) : DOWNLOAD.page(issued, { p, exp, sig });
      return { status: 200, body, contentType: 'text/html; charset=utf-8' };
    },
    download: async (fields) => {
      const issued = check(fields, 'download');
      if (isRefusal(issued)) return issued;
      if ('scan' in issued) {
        const list = await scanCsv(issued.scan);
        if (!list) return { status: 404, body: DOWNLOAD.invalid, contentType: TEXT };
        const used = await useUp(issued);
        if (used) return used;
        o.logger.info('export downloaded', { by: issued.by, link: issued.id, scan: issued.scan, groups: list.rows });
        const filename = READINESS.filename(issued.scan);
        return { status: 200, body: list.csv, contentType: 'text/csv; charset=utf-8', filename };
      }
      const range = { from: issued.from, to: issued.to };
      const { csv, count } = await exportCsv(o.store, range);
      const used = await useUp(issued);
      if (used) return used;
      o.logger.info('export downloaded', { by: issued.by, link: issued.id, ...range, requests: count });
      return { status: 200, body: csv, contentType: 'text/csv; charset=utf-8', filename: DOWNLOAD.filename(range) };
    },
    listening: (url) => {
      publicUrl ||= url;
    },
  };
}
