/** The date ranges of `export`: whole UTC days, the end day included. */
import type { Command } from './command-types';

const DAY = 86_400_000;

/**
 * `export` (the last 30 days), `export last 7 days`, `export 2026-11-01 to 2026-11-30`,
 * `export since 2026-11-01`. Dates are whole UTC days; the end day is included.
 */
export function parseExport(text: string, now: Date = new Date()): Command | null {
  const m = /^export(?:\s+(.*))?$/i.exec(text);
  if (!m) return null;
  const rest = (m[1] ?? '').trim().toLowerCase();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = (t: number) => new Date(t).toISOString();
  const day = (s: string) => {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!d) return null;
    const t = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return new Date(t).toISOString().slice(0, 10) === s ? t : null;
  };
  if (!rest) return { kind: 'export', from: iso(today - 29 * DAY), to: iso(today + DAY) };
  const last = /^(?:the\s+)?last\s+(\d{1,4})\s+days?$/.exec(rest);
  if (last) return { kind: 'export', from: iso(today - (Number(last[1]) - 1) * DAY), to: iso(today + DAY) };
  const since = /^(?:since|from)\s+(\S+)$/.exec(rest);
  if (since) {
    const f = day(since[1]!);
    return f === null ? null : { kind: 'export', from: iso(f), to: iso(today + DAY) };
  }
  const range = /^(?:from\s+)?(\S+)\s+(?:to|until|-|–)\s+(\S+)$/.exec(rest);
  if (range) {
    const f = day(range[1]!);
    const t = day(range[2]!);
    return f === null || t === null || t < f ? null : { kind: 'export', from: iso(f), to: iso(t + DAY) };
  }
  return null;
}
