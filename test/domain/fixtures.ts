/** Real inputs for the domain tests: a group's facts and plan graphs, with only what a test changes. */
import type { GroupGraph, NodeFacts, PlanNode } from '../../src/domain/plan';
import type { GroupFacts, GroupKind, TreeNode } from '../../src/domain/prerequisites';

type FactsChanges = Omit<Partial<GroupFacts>, 'group'> & { group?: Partial<GroupFacts['group']> };

/** SecGroup1 as the local tenant has it: a security group synced from AD, before any switch. */
export function facts(changes: FactsChanges = {}): GroupFacts {
  const { group, ...rest } = changes;
  return {
    group: {
      id: 'a1000000-0000-4000-8000-000000000001',
      displayName: 'SecGroup1',
      description: null,
      kind: 'security',
      mail: null,
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: '2026-11-28T05:59:18Z',
      onPremisesSamAccountName: 'SecGroup1',
      onPremisesSecurityIdentifier: 'S-1-5-21-1004336348-1177238915-682003330-1105',
      onPremisesDomainName: 'contoso.com',
      extensionAttributes: {},
      ...group,
    },
    isCloudManaged: false,
    tenant: { onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: '2026-11-28T05:59:18.716Z' },
    children: [],
    descendants: [],
    cycle: false,
    truncated: false,
    parents: [],
    cloudOnlyMembers: null,
    readAt: '2026-11-28T06:00:00.000Z',
    ...rest,
  };
}

/** A cloud-managed group (after a switch): what a rollback starts from. */
export function cloudManaged(changes: FactsChanges = {}): GroupFacts {
  return facts({
    isCloudManaged: true,
    cloudOnlyMembers: [],
    ...changes,
    group: { onPremisesSyncEnabled: null, ...changes.group },
  });
}

export function nested(name: string, depth: number, synced: boolean | null = true): TreeNode {
  return { id: `id-${name}`, displayName: name, onPremisesSyncEnabled: synced, depth };
}

/** A plan graph from "parent: child child" lines; every group synced security unless `nodes` says otherwise. */
export function graph(
  edges: Record<string, string[]>,
  nodes: Record<string, { kind?: GroupKind; synced?: boolean | null }> = {},
  facts?: Record<string, NodeFacts>,
): GroupGraph {
  const names = new Set([...Object.keys(edges), ...Object.values(edges).flat(), ...Object.keys(nodes)]);
  const all = new Map<string, PlanNode>();
  for (const n of names) {
    const o = nodes[n] ?? {};
    all.set(n, {
      id: n,
      displayName: n,
      kind: o.kind ?? 'security',
      onPremisesSyncEnabled: o.synced === undefined ? true : o.synced,
    });
  }
  return {
    nodes: all,
    children: new Map(Object.entries(edges)),
    truncated: false,
    ...(facts ? { facts: new Map(Object.entries(facts)) } : {}),
  };
}
