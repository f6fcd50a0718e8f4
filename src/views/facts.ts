/** The group's facts and the prerequisite checks, as rows of the request card template. */
import { kindLabel, type CheckRow, type CheckStatus, type GroupFacts } from '../domain/prerequisites';
import { time } from './labels';

const ICON: Record<CheckStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', unknown: '❔', ack: '☑️' };
const STATUS_LABEL: Record<CheckStatus, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'blocking',
  unknown: 'could not verify',
  ack: 'approver must confirm',
};

export function groupFacts(f: GroupFacts): Array<{ label: string; value: string }> {
  const g = f.group;
  const rows = [
    { label: 'Group', value: g.displayName },
    { label: 'Object id', value: g.id },
    { label: 'Type', value: kindLabel(g.kind) },
  ];
  if (g.onPremisesSamAccountName)
    rows.push({
      label: 'On-prem name',
      value: `${g.onPremisesDomainName ? `${g.onPremisesDomainName}\\` : ''}${g.onPremisesSamAccountName}`,
    });
  if (g.onPremisesSecurityIdentifier) rows.push({ label: 'SID', value: g.onPremisesSecurityIdentifier });
  rows.push({ label: 'Last sync', value: time(g.onPremisesLastSyncDateTime) });
  if (g.description) rows.push({ label: 'Description', value: g.description });
  return rows;
}

export function checkRows(rows: CheckRow[], labels: Partial<Record<CheckStatus, string>> = {}) {
  return rows.map((r) => ({
    icon: ICON[r.status],
    title: r.title,
    statusLabel: labels[r.status] ?? STATUS_LABEL[r.status],
    detail: r.detail,
  }));
}

/** Blocking rows first, then warnings, what could not be verified, what the approver confirms. */
const SEVERITY: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, ack: 3, pass: 4 };

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The prerequisites as an approver reads them: what needs their attention first, in words
 * (not only an icon or a colour), and the rows that pass folded behind "Show all N checks".
 * `fold` also folds the rows with those statuses (an acknowledgement already given).
 */
export function checkSections(
  rows: CheckRow[],
  opts: { fold?: CheckStatus[]; labels?: Partial<Record<CheckStatus, string>> } = {},
) {
  const folded = (r: CheckRow) => r.status === 'pass' || (opts.fold ?? []).includes(r.status);
  const open = rows.filter((r) => !folded(r)).sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
  const rest = rows.filter(folded);
  const n = (s: CheckStatus) => rows.filter((r) => r.status === s).length;
  const counts = [
    n('fail') && count(n('fail'), 'blocking'),
    n('warn') && count(n('warn'), 'warning'),
    n('unknown') && `${n('unknown')} could not be verified`,
    n('ack') && `${n('ack')} ${opts.labels?.ack ?? 'for the approver to confirm'}`,
    n('pass') && `${n('pass')} pass`,
  ].filter(Boolean);
  return {
    checksHeading: `Prerequisites: ${counts.join(' · ')}`,
    checks: checkRows(open, opts.labels),
    folded: checkRows(rest, opts.labels),
    allClear: 'No check blocks or warns.',
    showAll: `Show all ${count(rows.length, 'check')}`,
    hideFolded: open.length ? 'Hide the passing checks' : 'Hide the checks',
  };
}
