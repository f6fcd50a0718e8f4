/** The checks only a rollback to AD has: cloud-only members, cloud edits, completion at the next sync. Pure. */
import type { GroupFacts } from './group-facts';
import { list, type CheckRow } from './check-row';

/** What one group's rollback checks need, read fresh for each step of a rollback plan. */
export interface RollbackFacts {
  /** Member users not synced from AD (AD's membership replaces them); null: could not be read. */
  cloudOnlyMembers: Array<{ id: string; displayName: string }> | null;
  /** Changes made in the cloud since the group's switch (audit log activities); null: could not be read. */
  cloudEdits: Array<{ activity: string; at: string }> | null;
}

/** A rollback plan step's warnings; `f` undefined: nothing could be read for the group. */
export function rollbackWarnings(f: RollbackFacts | undefined): string[] {
  const members = f?.cloudOnlyMembers ?? null;
  const edits = f?.cloudEdits ?? null;
  const w: string[] = [];
  if (members === null) w.push('members could not be read (cloud-only members are removed when AD takes it over)');
  else if (members.length)
    w.push(`${members.length} cloud-only member(s), removed when AD takes it over: ${list(members, 3)}`);
  if (edits === null)
    w.push('cloud edits since the switch could not be read (AD values replace them at the take-over)');
  else if (edits.length) {
    const kinds = [...new Set(edits.map((e) => e.activity))].map((displayName) => ({ displayName }));
    w.push(`edited in the cloud since the switch (${list(kinds, 3)}): AD values replace these edits at the take-over`);
  }
  return w;
}

/** Whether a step's rollback facts were read in full. */
export const rollbackFactsRead = (f: RollbackFacts | undefined): f is RollbackFacts =>
  !!f && f.cloudOnlyMembers !== null && f.cloudEdits !== null;

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
