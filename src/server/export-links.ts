/**
 * The audit export's links: the bot hands out a signed, expiring link (never logged), and
 * GET /api/exports checks it and answers with the CSV. The key is derived from configuration
 * every instance shares, so any instance serves a link another one issued.
 */
import { randomBytes } from 'node:crypto';
import type { Person } from '../domain/request';
import { linkKey, signLink, verifyLink } from '../infra/links';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { RequestStore } from '../ports/store';
import { exportCsv, exportRequests } from '../services/export';
import { DOWNLOAD } from '../views/export';
import type { Download } from './http';

type Range = { from: string; to: string };

export interface ExportLinks {
  /** For the bot: how many requests the range holds, and the user's link to their CSV. */
  count(range: Range): Promise<number>;
  link(range: Range, by: Person): string;
  /** For the server: what a link answers. */
  downloads(query: Record<string, string>): Promise<Download>;
  /** The server's own URL, the links' base when no public URL is configured. */
  listening(url: string): void;
}

export function exportLinks(o: {
  settings: { publicUrl?: string; linkKeyMaterial: string; linkMinutes: number };
  store: RequestStore;
  clock: Clock;
  logger: Logger;
}): ExportLinks {
  const key = o.settings.linkKeyMaterial ? linkKey(o.settings.linkKeyMaterial) : randomBytes(32);
  let publicUrl = o.settings.publicUrl ?? '';
  return {
    // Counting needs the listing (and its bound), not the CSV.
    count: async (range) => (await exportRequests(o.store, range)).length,
    link: (range, by) => {
      const expires = new Date(o.clock.now().getTime() + o.settings.linkMinutes * 60_000);
      return `${publicUrl}/api/exports?${signLink(key, { from: range.from, to: range.to, by: by.id }, expires)}`;
    },
    downloads: async (query) => {
      const check = verifyLink(key, query, o.clock.now());
      if (!check.ok)
        return {
          status: check.reason === 'expired' ? 410 : 403,
          body: check.reason === 'expired' ? DOWNLOAD.expired : DOWNLOAD.invalid,
          contentType: 'text/plain; charset=utf-8',
        };
      const range = { from: check.payload.from!, to: check.payload.to! };
      const { csv, count } = await exportCsv(o.store, range);
      o.logger.info('export downloaded', { by: check.payload.by, from: range.from, to: range.to, requests: count });
      return { status: 200, body: csv, contentType: 'text/csv; charset=utf-8', filename: DOWNLOAD.filename(range) };
    },
    listening: (url) => {
      publicUrl ||= url;
    },
  };
}
