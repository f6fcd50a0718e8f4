/**
 * The readiness scan's card, for each state of the scan: reading (progress, with Cancel), done
 * (the summary: counts, charts with fallbacks, blockers and warnings, depth, waves, Export),
 * cancelled, failed. Teams draws Chart.Donut and Chart.VerticalBar natively (card version 1.5,
 * as in Microsoft's chart examples); a client that cannot draws each chart's FactSet fallback.
 */
import { BLOCKERS } from '../domain/readiness';
import type { ReadinessResult, ReadinessRow } from '../domain/readiness-types';
import type { Scan } from '../ports/scans';
import type { Card } from './labels';
import { time } from './labels';
import { CLASS_LABEL, count, groups, READINESS, REASON_LABEL } from './readiness-words';
import { render } from './templates';
import { forCard, forMessage } from './text';

/** The verbs of the readiness buttons (the bot routes them in bot/clicks/). */
export const READINESS_VERB = { cancel: 'cancelReadiness', export: 'exportReadiness' } as const;

/** Bars on the wave chart: later waves are summed into the last bar ("12+"). */
export const MAX_BARS = 12;
/** Blocked groups named on the card; the export lists them all. */
const NAMED_BLOCKED = 5;
/** Reasons named per line (the most frequent). */
const TOP_REASONS = 3;

const CLASS_ORDER = ['ready', 'warnings', 'blocked', 'cloud'] as const;
const CLASS_COLOR = { ready: 'good', warnings: 'warning', blocked: 'attention', cloud: 'categoricalBlue' } as const;

/** "groups starting with “FIN-”", for a slice. */
const slice = (prefix: string | undefined) => (prefix ? ` for groups starting with "${forMessage(prefix)}"` : '');

/** Who asked, when, which scan: the line under every title. */
function about(scan: Scan, extra: string[] = []): string {
  return [`Scan ${scan.id}`, `asked by ${forCard(scan.requestedBy.name)} at ${time(scan.requestedAt)}`, ...extra].join(
    ' · ',
  );
}

/** "1,200 of 10,000", or "1,200" when the tenant's count is unknown (never less than read: the count may lag). */
function progress(scan: Scan): string {
  const read = scan.groups.length;
  return scan.total === null ? count(read) : `${count(read)} of ${count(Math.max(scan.total, read))}`;
}

function progressCard(scan: Scan): Card {
  return render('readiness-progress', {
    title: `Reading groups: ${progress(scan)}${scan.total === null ? ' so far' : ''}`,
    about: about(scan, [`Readiness report${slice(scan.prefix)}`, `${count(scan.pagesRead)} pages read`]),
    resumed: scan.resumedAt
      ? `Resumed at ${time(scan.resumedAt)} after the bot restarted: reading goes on from the last page kept.`
      : '',
    scanId: scan.id,
    cancelVerb: READINESS_VERB.cancel,
  });
}

function endCard(scan: Scan): Card {
  const read = `after reading ${progress(scan)} groups`;
  if (scan.state === 'cancelled')
    return render('readiness-end', {
      title: `Readiness report cancelled${slice(scan.prefix)}`,
      about: about(scan),
      detail:
        `Cancelled${scan.cancelledBy ? ` by ${forCard(scan.cancelledBy.name)}` : ''}` +
        `${scan.finishedAt ? ` at ${time(scan.finishedAt)}` : ''} ${read}. Type "readiness" to start again.`,
    });
  return render('readiness-end', {
    title: `Readiness report failed${slice(scan.prefix)}`,
    about: about(scan),
    detail: `It stopped ${read}${scan.error ? `: ${forCard(scan.error)}` : ''}. ` + 'Type "readiness" to try again.',
  });
}

/** "an open request in the bot (3 groups), provisioning errors (1 group)". */
function reasonList(tally: ReadinessResult['blockers']): string {
  return tally
    .slice(0, TOP_REASONS)
    .map((t) => `${REASON_LABEL[t.reason]} (${groups(t.groups)})`)
    .join(', ');
}

/** The first blocked groups by name, each with its blockers. */
function blockedFirst(rows: ReadinessRow[]): string {
  const blocked = rows.filter((r) => r.class === 'blocked');
  if (!blocked.length) return '';
  const named = blocked.slice(0, NAMED_BLOCKED).map((r) => {
    const why = r.reasons
      .filter((x) => BLOCKERS.includes(x))
      .map((x) =>
        x === 'openRequest' && r.openRequestId ? `${REASON_LABEL[x]}: ${r.openRequestId}` : REASON_LABEL[x],
      );
    return `${forCard(r.displayName)} (${why.join('; ')})`;
  });
  const more = blocked.length - named.length;
  return `Blocked: ${named.join(', ')}${more > 0 ? ` and ${count(more)} more` : ''}.`;
}

/** The wave chart's bars: one per wave up to MAX_BARS, later waves summed into the last. */
export function waveBars(waves: number[]): Array<{ x: string; y: number }> {
  if (waves.length <= MAX_BARS) return waves.map((y, i) => ({ x: String(i + 1), y }));
  const head = waves.slice(0, MAX_BARS - 1).map((y, i) => ({ x: String(i + 1), y }));
  const rest = waves.slice(MAX_BARS - 1).reduce((a, b) => a + b, 0);
  return [...head, { x: `${MAX_BARS}+`, y: rest }];
}

function depthLine(result: ReadinessResult): string {
  if (result.maxDepth === 0) return 'Nesting: none of these groups has child groups.';
  const deepest = result.rows.find((r) => r.depth === result.maxDepth)!;
  const levels = `${count(result.maxDepth)} level${result.maxDepth === 1 ? '' : 's'}`;
  return `Deepest nesting: ${levels} of groups below ${forCard(deepest.displayName)}.`;
}

function wavesLine(result: ReadinessResult): string {
  const n = result.waves.length;
  if (n === 0) return 'Every group here is already cloud-managed.';
  return (
    `Moving bottom-up takes ${count(n)} wave${n === 1 ? '' : 's'}: wave 1 holds the groups with no child group ` +
    'still managed in AD, each later wave waits for the one before, and a nesting cycle moves in one wave.'
  );
}

/** The summary of a finished scan; the sentence instead when nothing is in scope. */
export function summaryCard(scan: Scan, result: ReadinessResult): Card {
  const rows = result.rows.length;
  const hasRows = rows > 0;
  const nothing = hasRows
    ? ''
    : result.prefix
      ? READINESS.sliceEmpty(result.prefix, result.groupsRead)
      : READINESS.noSyncedGroups(result.groupsRead);
  const { counts } = result;
  const perClass = (bold: string) =>
    CLASS_ORDER.map((c) => `${bold}${count(counts[c])}${bold} ${CLASS_LABEL[c].toLowerCase()}`);
  const totals = perClass('**').join(' · ');
  const bars = hasRows ? waveBars(result.waves) : [];
  const lines = hasRows
    ? [
        wavesLine(result),
        depthLine(result),
        result.blockers.length ? `**Blockers**: ${reasonList(result.blockers)}.` : 'No group is blocked.',
        blockedFirst(result.rows),
        result.warnings.length ? `**Warnings**: ${reasonList(result.warnings)}.` : '',
      ].filter(Boolean)
    : [];
  const finished = scan.finishedAt ? [`finished ${time(scan.finishedAt)}`] : [];
  const summary = hasRows
    ? `Readiness report${slice(result.prefix)}: ${perClass('').join(', ')}; ` +
      `${count(result.waves.length)} wave${result.waves.length === 1 ? '' : 's'}.`
    : `Readiness report${slice(result.prefix)}: ${nothing}`;
  return render(
    'readiness',
    {
      title: `Readiness report${slice(result.prefix)}`,
      about: about(scan, [`${groups(rows)} synced from AD of ${count(result.groupsRead)} read`, ...finished]),
      nothing,
      hasRows,
      totals,
      donut: CLASS_ORDER.filter((c) => counts[c] > 0).map((c) => ({
        legend: CLASS_LABEL[c],
        value: counts[c],
        color: CLASS_COLOR[c],
      })),
      classFacts: CLASS_ORDER.map((c) => ({ title: CLASS_LABEL[c], value: groups(counts[c]) })),
      bars,
      waveFacts: bars.map((b) => ({ title: `Wave ${b.x}`, value: groups(b.y) })),
      lines,
      scanId: scan.id,
      exportVerb: READINESS_VERB.export,
    },
    summary,
  );
}

/** The card for the scan's state: reading → progress; done → summary; cancelled; failed. */
export function readinessCard(scan: Scan): Card {
  switch (scan.state) {
    case 'reading':
      return progressCard(scan);
    case 'done':
      return scan.result
        ? summaryCard(scan, scan.result)
        : endCard({ ...scan, state: 'failed', error: scan.error ?? 'the scan finished without a report' });
    case 'cancelled':
    case 'failed':
      return endCard(scan);
  }
}
