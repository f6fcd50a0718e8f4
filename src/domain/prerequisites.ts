/**
 * The prerequisite checklist for a Group SOA switch or rollback, from facts read in the
 * directory. Pure: no I/O. Each row is pass / warn / fail / unknown (could not verify) /
 * ack (the approver must confirm what Graph cannot show).
 */
import type { SoaAction } from './command';
import { mailRow, restorePointRow, soaStateRow, syncedRow, syncVersionsRow, tenantSyncRow } from './checks-common';
import { childrenRow, depthRow, extensionAttributesRow, parentsRow, reconciliationRow } from './checks-move';
import { cloudEditsRow, cloudMembersRow, completesAtSyncRow } from './checks-rollback';
import type { CheckRow, SyncMinimums } from './check-row';
import { soaState, type GroupFacts } from './group-facts';

export type { CheckRow, CheckStatus, SyncMinimums } from './check-row';
export { when } from './check-row';
export {
  kindLabel,
  type GroupFacts,
  type GroupKind,
  type GroupSummary,
  type SoaState,
  type TreeNode,
} from './group-facts';

/**
 * The rows in the order the card shows them. `snapshotMaxMembers`: the restore point's cap
 * (SNAPSHOT_MAX_MEMBERS); without it, only a member count that could not be read is said.
 */
export function evaluate(
  f: GroupFacts,
  action: SoaAction,
  minimums: SyncMinimums,
  snapshotMaxMembers = Number.POSITIVE_INFINITY,
): CheckRow[] {
  const state = soaState(f);
  const rows: CheckRow[] = [tenantSyncRow(f), syncedRow(f, state)];
  if (state !== 'cloudOnly') rows.push(soaStateRow(state, action, f.group.displayName));
  if (action === 'move') rows.push(childrenRow(f), parentsRow(f), depthRow(f));
  const mail = mailRow(f, action);
  if (mail) rows.push(mail);
  if (action === 'move') rows.push(extensionAttributesRow(f), reconciliationRow());
  else rows.push(cloudMembersRow(f), cloudEditsRow(), completesAtSyncRow());
  const restore = state === 'cloudOnly' ? null : restorePointRow(f, snapshotMaxMembers);
  if (restore) rows.push(restore);
  rows.push(syncVersionsRow(minimums));
  return rows;
}

/**
 * The rows that apply to this group. A group that never came from AD (a Microsoft 365 group, or
 * one created in the cloud) has nothing to switch: only the tenant's sync and that reason apply,
 * not what a switch would change (nesting, attributes, later AD edits, sync client versions).
 * Plans keep every row of their first group: the tenant-wide ones hold for the whole plan.
 */
export function applicableRows(f: GroupFacts, rows: CheckRow[]): CheckRow[] {
  return soaState(f) === 'cloudOnly' ? rows.filter((r) => r.id === 'tenantSync' || r.id === 'synced') : rows;
}

/** The reasons a request cannot be made: the details of the failed rows. */
export function blockingReasons(rows: CheckRow[]): string[] {
  return rows.filter((r) => r.status === 'fail').map((r) => r.detail);
}

/** A failed row blocks the request; warnings and unknowns are for the approver to weigh. */
export function isBlocked(rows: CheckRow[]): boolean {
  return rows.some((r) => r.status === 'fail');
}
