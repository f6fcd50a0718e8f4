/** Restore points in words: the summary on `status` and the card, and a rollback's cloud edits since its move. */
import type { SoaRequest } from '../domain/request';
import {
  countByType,
  isComplete,
  type CloudChanges,
  type DirectoryRef,
  type RestorePoint,
  type SnapshotPart,
} from '../domain/restore-point';
import { time } from './labels';
import { forCard } from './text';

/** Parents and changed members named on a line; the rest counted. */
const NAMED = 3;

const PART: Record<SnapshotPart, string> = {
  group: 'the group’s properties',
  extensionAttributes: 'the extension attributes',
  owners: 'the owners',
  members: 'the members',
  parents: 'the parent groups',
  sourceOfAuthority: 'the source of authority',
};

const n = (count: number) => count.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

function named(names: string[]): string {
  const shown = names.slice(0, NAMED).map((x) => forCard(x));
  return names.length > NAMED ? `${shown.join(', ')} and ${n(names.length - NAMED)} more` : shown.join(', ');
}

/** What is missing from an incomplete point, in words ('' when complete). */
export function incompleteNote(p: RestorePoint): string {
  const notes: string[] = [];
  if (p.unread.length) notes.push(`${p.unread.map((u) => PART[u]).join(', ')} could not be read`);
  if (p.membersCut)
    notes.push(
      `only the first ${plural(p.members.length, 'member')} ${p.members.length === 1 ? 'was' : 'were'} kept ` +
        '(SNAPSHOT_MAX_MEMBERS)' +
        (p.membersCut.total !== null ? `, of ${n(p.membersCut.total)}` : ''),
    );
  return notes.length ? `incomplete: ${notes.join('; ')}` : '';
}

function members(p: RestorePoint): string {
  if (p.unread.includes('members')) return 'members unread';
  const kinds = countByType(p.members).map(([type, c]) => plural(c, forCard(type)));
  const total = plural(p.membersCut?.total ?? p.members.length, 'member');
  return kinds.length > 1 ? `${total} (${kinds.join(', ')})` : total;
}

/** "12 members (3 users, 9 groups), 2 owners, extensionAttribute3 set, parents: AppAccess-Parent". */
export function restorePointSummary(p: RestorePoint): string {
  const ext = Object.keys(p.extensionAttributes);
  const parts = [
    members(p),
    plural(p.owners.length, 'owner'),
    ...(ext.length ? [`${ext.join(', ')} set`] : []),
    ...(p.mailEnabled ? [`mail-enabled${p.mail ? ` (${forCard(p.mail)})` : ''}`] : []),
    p.parents.length ? `parents: ${named(p.parents.map((x) => x.displayName))}` : 'no parent groups',
  ];
  const note = incompleteNote(p);
  return `${parts.join(', ')}${note ? ` (${note})` : ''}`;
}

/** One line for `status` and the card: the single group's point, or a plan's count. */
export function restoreLine(req: SoaRequest): string | undefined {
  const points = req.restorePoints ?? [];
  if (!points.length) return undefined;
  if (!req.plan) return `Restore point ${time(points[0]!.readAt)}: ${restorePointSummary(points[0]!)}`;
  const incomplete = points.filter((p) => !isComplete(p));
  const names = new Map(req.plan.steps.map((s) => [s.groupId, s.groupName]));
  return (
    `Restore points: ${plural(points.length, 'group')} read before their switch` +
    (incomplete.length
      ? `, ${n(incomplete.length)} incomplete (${named(incomplete.map((p) => names.get(p.groupId) ?? p.groupId))})`
      : ', all complete')
  );
}

function refs(list: DirectoryRef[]): string {
  const kinds = countByType(list).map(([type, c]) => plural(c, forCard(type)));
  return kinds.join(', ');
}

function changesText(c: CloudChanges): string {
  const parts: string[] = [];
  if (c.membersAdded.length) parts.push(`members added: ${refs(c.membersAdded)}`);
  if (c.membersRemoved.length) parts.push(`members removed: ${refs(c.membersRemoved)}`);
  if (c.ownersAdded.length || c.ownersRemoved.length)
    parts.push(`owners: ${n(c.ownersAdded.length)} added, ${n(c.ownersRemoved.length)} removed`);
  if (c.attributes.length) parts.push(`edited: ${c.attributes.join(', ')}`);
  return parts.join('; ');
}

/** The card's rows about restore points, and on a rollback the cloud edits AD will overwrite. */
export function restoreRows(req: SoaRequest): Array<{ label: string; value: string }> {
  const rows: Array<{ label: string; value: string }> = [];
  const line = restoreLine(req);
  if (line)
    rows.push({ label: req.plan ? 'Restore points' : 'Restore point', value: line.replace(/^Restore points?:? /, '') });
  const report = req.cloudChanges;
  if (req.action !== 'rollback' || !report) return rows;
  const label = 'Cloud edits since the move';
  if (!report.since || !report.changes) {
    rows.push({ label, value: 'Not compared: no restore point was kept when this group was moved.' });
    return rows;
  }
  const text = changesText(report.changes);
  const since = `the restore point of ${report.since.requestId} (${time(report.since.readAt)})`;
  const incomplete = report.changes.complete
    ? ''
    : ' Incomplete: the restore point or the fresh read missed some parts, so edits may be missing.';
  rows.push({
    label,
    value:
      (text
        ? `Compared with ${since}: ${text}. AD overwrites these at the first sync after the rollback.`
        : `None found compared with ${since}.`) + incomplete,
  });
  return rows;
}
