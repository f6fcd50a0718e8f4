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

export function checkRows(rows: CheckRow[]) {
  return rows.map((r) => ({
    icon: ICON[r.status],
    title: r.title,
    statusLabel: STATUS_LABEL[r.status],
    detail: r.detail,
  }));
}
