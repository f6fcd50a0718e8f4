/** How the in-memory directory answers a restore-point read: built from its groups. */
import type { RestorePoint } from '../../src/domain/restore-point';
import type { FakeGroup } from './fake-directory';

/** Extra facts a test can give a group for its restore point. */
export interface FakeGroupExtras {
  description?: string | null;
  extensionAttributes?: Record<string, string>;
  owners?: string[];
}

export function fakeRestorePoint(
  groups: Map<string, FakeGroup & FakeGroupExtras>,
  groupId: string,
  maxMembers: number,
  readAt: string,
  membersUnreadable: boolean,
): RestorePoint {
  const g = groups.get(groupId);
  if (!g) throw new Error(`no group ${groupId}`);
  const all = [
    ...g.cloudOnlyMembers.map((u) => ({ id: u.id, type: 'user' })),
    ...g.children.map((id) => ({ id, type: 'group' })),
  ];
  const parents = [...groups.values()]
    .filter((p) => p.children.includes(groupId))
    .map((p) => ({ id: p.id, displayName: p.displayName }));
  return {
    groupId,
    readAt,
    displayName: g.displayName,
    description: g.description ?? null,
    mail: null,
    mailEnabled: g.kind !== 'security',
    securityEnabled: g.kind !== 'distribution',
    proxyAddresses: [],
    extensionAttributes: { ...(g.extensionAttributes ?? {}) },
    owners: (g.owners ?? []).map((id) => ({ id, type: 'user' })),
    members: membersUnreadable ? [] : all.slice(0, maxMembers),
    ...(all.length > maxMembers && !membersUnreadable ? { membersCut: { total: all.length } } : {}),
    parents,
    isCloudManaged: g.isCloudManaged,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled,
    unread: membersUnreadable ? ['members'] : [],
  };
}
