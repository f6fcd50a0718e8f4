/** The checks only a rollback to AD has: cloud-only members, cloud edits, completion at the next sync. Pure. */
import type { GroupFacts } from './group-facts';
import { list, type CheckRow } from './check-row';

export function cloudMembersRow(f: GroupFacts): CheckRow {
  const cloudMembers = f.cloudOnlyMembers;
  const title = 'Cloud-only members';
  if (cloudMembers === null)
    return {
      id: 'cloudMembers',
      title,
      status: 'unknown',
      detail: 'Could not read the members. Remove cloud-only members before a rollback: AD membership replaces them.',
    };
  if (cloudMembers.length)
    return {
      id: 'cloudMembers',
      title,
      status: 'warn',
      detail:
        `${cloudMembers.length} member(s) exist only in the cloud and will be removed when AD takes the group ` +
        `over: ${list(cloudMembers)}.`,
    };
  return { id: 'cloudMembers', title, status: 'pass', detail: 'All members come from AD.' };
}

export function cloudEditsRow(): CheckRow {
  return {
    id: 'cloudEdits',
    title: 'Cloud edits',
    status: 'warn',
    detail:
      'Changes made in the cloud while the group was cloud-managed are overwritten by the AD values at the next ' +
      'sync. Remove the group from access packages first.',
  };
}

export function completesAtSyncRow(): CheckRow {
  return {
    id: 'completesAtSync',
    title: 'Completes at the next sync',
    status: 'warn',
    detail:
      'The rollback only completes when the next sync cycle takes the group over; until then it stays editable ' +
      'in the cloud.',
  };
}
