/** The readiness report's full list as CSV: one row per group, in the report's order (by wave, then name). */
import { toCsv } from '../domain/csv';
import { kindLabel } from '../domain/group-facts';
import type { ReadinessResult } from '../domain/readiness-types';
import { CLASS_LABEL, REASON_LABEL } from './readiness-words';

export const READINESS_CSV_HEADER = [
  'Group id',
  'Group name',
  'Kind',
  'Class',
  'Reasons',
  'Nesting depth',
  'Wave',
  'AD child groups',
  'AD parent groups',
  'Open request',
];

/** Reasons in words, separated by "; "; the wave is empty for a group already cloud-managed. */
export function readinessCsv(result: ReadinessResult): string {
  return toCsv(
    READINESS_CSV_HEADER,
    result.rows.map((r) => [
      r.id,
      r.displayName,
      kindLabel(r.kind),
      CLASS_LABEL[r.class],
      r.reasons.map((x) => REASON_LABEL[x]).join('; '),
      r.depth,
      r.wave,
      r.adChildren,
      r.adParents,
      r.openRequestId,
    ]),
  );
}
