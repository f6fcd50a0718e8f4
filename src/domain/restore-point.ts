/**
 * A restore point: what a group looked like just before a switch or rollback, and what changed
 * in the cloud since (compared with a fresh read). Pure: no I/O.
 */

/** A directory object by id and kind (`@odata.type` without its `#microsoft.graph.` prefix). */
export interface DirectoryRef {
  id: string;
  type: string;
}

/** The parts of a snapshot read separately: any of them may fail without losing the rest. */
export type SnapshotPart = 'group' | 'extensionAttributes' | 'owners' | 'members' | 'parents' | 'sourceOfAuthority';

export interface RestorePoint {
  groupId: string;
  /** When it was read (ISO UTC). */
  readAt: string;
  displayName: string | null;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean | null;
  securityEnabled: boolean | null;
  proxyAddresses: string[];
  /** Only the attributes that hold a value. */
  extensionAttributes: Record<string, string>;
  owners: DirectoryRef[];
  members: DirectoryRef[];
  /** Set when the member list stopped at SNAPSHOT_MAX_MEMBERS: how many the group has (null: unknown). */
  membersCut?: { total: number | null };
  parents: Array<{ id: string; displayName: string }>;
  isCloudManaged: boolean | null;
  onPremisesSyncEnabled: boolean | null;
  /** The parts that could not be read: the snapshot is incomplete when any is named. */
  unread: SnapshotPart[];
}

export function isComplete(p: RestorePoint): boolean {
  return p.unread.length === 0 && !p.membersCut;
}

export interface CloudChanges {
  membersAdded: DirectoryRef[];
  membersRemoved: DirectoryRef[];
  ownersAdded: DirectoryRef[];
  ownersRemoved: DirectoryRef[];
  /** Names of the attributes whose value differs (displayName, extensionAttribute3, …). */
  attributes: string[];
  /** false: one side could not be read in full, so the lists may miss changes. */
  complete: boolean;
}

/** What a rollback request shows about the cloud edits since its group's switch. */
export interface CloudChangeReport {
  /** The move request whose restore point is the baseline; absent when none is kept. */
  since?: { requestId: string; readAt: string };
  changes?: CloudChanges;
}

function refDiff(before: DirectoryRef[], after: DirectoryRef[]): [DirectoryRef[], DirectoryRef[]] {
  const b = new Set(before.map((r) => r.id));
  const a = new Set(after.map((r) => r.id));
  return [after.filter((r) => !b.has(r.id)), before.filter((r) => !a.has(r.id))];
}

const SCALARS = ['displayName', 'description', 'mail', 'mailEnabled', 'securityEnabled'] as const;

/** What differs between a restore point and the group as read now. */
export function cloudChanges(before: RestorePoint, now: RestorePoint): CloudChanges {
  const [membersAdded, membersRemoved] = refDiff(before.members, now.members);
  const [ownersAdded, ownersRemoved] = refDiff(before.owners, now.owners);
  const attributes: string[] = SCALARS.filter((k) => before[k] !== now[k]);
  if ([...before.proxyAddresses].sort().join() !== [...now.proxyAddresses].sort().join())
    attributes.push('proxyAddresses');
  const ext = new Set([...Object.keys(before.extensionAttributes), ...Object.keys(now.extensionAttributes)]);
  for (const k of [...ext].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })))
    if (before.extensionAttributes[k] !== now.extensionAttributes[k]) attributes.push(k);
  return {
    membersAdded,
    membersRemoved,
    ownersAdded,
    ownersRemoved,
    attributes,
    complete: isComplete(before) && isComplete(now),
  };
}

/**
 * Would a rollback let AD overwrite edits made in the cloud? Yes when anything changed since the
 * move's restore point, and when that cannot be told: no restore point, or a side read in part.
 */
export function hasCloudChanges(report: CloudChangeReport | undefined): boolean {
  const c = report?.changes;
  if (!report?.since || !c || !c.complete) return true;
  const lists = [c.membersAdded, c.membersRemoved, c.ownersAdded, c.ownersRemoved, c.attributes];
  return lists.some((l) => l.length > 0);
}

/** Counts of members by kind, most common first: [['user', 3], ['group', 9]]. */
export function countByType(refs: DirectoryRef[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const r of refs) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * A restore point in one CSV cell, as data: "2026-12-01T14:05:00.000Z; members=12 (user=3,
 * group=9); owners=2; ext=extensionAttribute3; parents=2; isCloudManaged=false;
 * onPremisesSyncEnabled=true; complete" (or "incomplete: members,…").
 */
export function compactRestorePoint(p: RestorePoint | undefined): string | undefined {
  if (!p) return undefined;
  const kinds = countByType(p.members)
    .map(([t, c]) => `${t}=${c}`)
    .join(',');
  const missing = [...p.unread, ...(p.membersCut ? [`members cut of ${p.membersCut.total ?? 'unknown'}`] : [])];
  return [
    p.readAt,
    `members=${p.members.length}${kinds ? ` (${kinds})` : ''}`,
    `owners=${p.owners.length}`,
    `ext=${Object.keys(p.extensionAttributes).join(',')}`,
    `parents=${p.parents.length}`,
    `isCloudManaged=${String(p.isCloudManaged)}`,
    `onPremisesSyncEnabled=${String(p.onPremisesSyncEnabled)}`,
    missing.length ? `incomplete: ${missing.join(',')}` : 'complete',
  ].join('; ');
}
