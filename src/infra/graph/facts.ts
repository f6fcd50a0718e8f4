/**
 * The facts of one group's card: the group, its extension attributes, the tenant's sync state,
 * its nesting below and above, its SOA state (and its cloud-only members for a rollback), all
 * in one batched round trip.
 */
import type { SoaAction } from '../../domain/command';
import type { GroupFacts, GroupSummary, TreeNode } from '../../domain/prerequisites';
import type { Clock } from '../../ports/clock';
import type { BatchStep, StepResult } from './batch';
import { groupKind, summary } from './mapping';
import { fail, ok, type AppGraph, type Page, type WireGroup } from './wire';

const FACT_SELECT =
  'id,displayName,description,mailEnabled,securityEnabled,groupTypes,mail,onPremisesSyncEnabled,' +
  'onPremisesLastSyncDateTime,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesDomainName';
const SUMMARY_SELECT = 'id,displayName,onPremisesSyncEnabled';
/** Bounds of the nesting walk for one card. */
const MAX_TREE_GROUPS = 500;
const MAX_TREE_DEPTH = 12;

type Tenant = GroupFacts['tenant'];
interface WireOrganization {
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
}
interface WireUser {
  id: string;
  displayName: string;
  onPremisesSyncEnabled?: boolean | null;
}
type Nesting = { nodes: TreeNode[]; cycle: boolean; truncated: boolean };

const cloudManagedFilter = (groupId: string) => `id eq '${groupId}' and onPremisesSyncBehavior/isCloudManaged eq true`;

function factSteps(groupId: string, action: SoaAction, withTenant: boolean): BatchStep[] {
  const steps: BatchStep[] = [
    ...(withTenant
      ? [{ id: 'org', url: '/organization?$select=id,onPremisesSyncEnabled,onPremisesLastSyncDateTime' }]
      : []),
    { id: 'group', url: `/groups/${groupId}?$select=${FACT_SELECT}` },
    // Asked separately: a failure here must not lose the rest of the card.
    { id: 'ext', url: `/groups/${groupId}?$select=id,onPremisesExtensionAttributes` },
    { id: 'children', url: `/groups/${groupId}/members/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999` },
    // Every nested group at any depth in the same round trip (the cast on a transitive
    // relation is an advanced query: ConsistencyLevel and $count).
    {
      id: 'descendants',
      url:
        `/groups/${groupId}/transitiveMembers/microsoft.graph.group` +
        `?$select=${SUMMARY_SELECT}&$top=999&$count=true`,
      headers: { ConsistencyLevel: 'eventual' },
    },
    { id: 'parents', url: `/groups/${groupId}/memberOf/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999` },
    // How many direct members the restore point will have to keep (its cap is named on the card).
    {
      id: 'memberCount',
      url: `/groups/${groupId}/members?$count=true&$top=1&$select=id`,
      headers: { ConsistencyLevel: 'eventual' },
    },
    // isCloudManaged with read-only application permissions: the filter Entra documents for
    // reporting. GET .../onPremisesSyncBehavior itself needs the ReadWrite scope.
    {
      id: 'soa',
      url: `/groups?$filter=${encodeURIComponent(cloudManagedFilter(groupId))}&$count=true&$select=id`,
      headers: { ConsistencyLevel: 'eventual' },
    },
  ];
  if (action === 'rollback')
    steps.push({
      id: 'users',
      url: `/groups/${groupId}/members/microsoft.graph.user?$select=id,displayName,onPremisesSyncEnabled&$top=999`,
    });
  return steps;
}

function tenantOf(org: StepResult | undefined): Tenant {
  const first = ok<{ value?: WireOrganization[] }>(org) ? org.body.value?.[0] : undefined;
  return first
    ? {
        onPremisesSyncEnabled: first.onPremisesSyncEnabled ?? null,
        onPremisesLastSyncDateTime: first.onPremisesLastSyncDateTime ?? null,
      }
    : null;
}

function cloudOnlyMembers(action: SoaAction, users: StepResult | undefined): GroupFacts['cloudOnlyMembers'] {
  if (action !== 'rollback' || !ok<Page<WireUser>>(users)) return null;
  return users.body.value
    .filter((u) => u.onPremisesSyncEnabled !== true)
    .map((u) => ({ id: u.id, displayName: u.displayName }));
}

function memberCountOf(res: StepResult | undefined): number | null {
  const n = ok<Page<unknown> & { '@odata.count'?: number }>(res) ? res.body['@odata.count'] : undefined;
  return typeof n === 'number' ? n : null;
}

export class GroupFactsReader {
  /** The tenant's sync state, kept for `tenantCacheMs` (it changes once per sync cycle at most). */
  private tenantCache: { at: number; value: Tenant } | null = null;

  constructor(
    private readonly graph: AppGraph,
    private readonly clock: Clock,
    private readonly tenantCacheMs: number,
  ) {}

  async readFacts(groupId: string, action: SoaAction): Promise<GroupFacts> {
    const now = this.clock.now().getTime();
    const cachedTenant =
      this.tenantCache && now - this.tenantCache.at < this.tenantCacheMs ? this.tenantCache.value : undefined;
    const r = await this.graph.batch(factSteps(groupId, action, cachedTenant === undefined));
    const g = r.get('group');
    if (!ok<WireGroup>(g)) throw fail(g, groupId);
    const children = r.get('children');
    const parents = r.get('parents');
    const soa = r.get('soa');
    const ext = r.get('ext');
    const directChildren = ok<Page<WireGroup>>(children) ? children.body.value.map(summary) : [];
    // Two round trips for a card (the name, then this batch): the nesting below the direct
    // children is known as a set, not level by level; plans read the tree level by level.
    const direct = new Set(directChildren.map((c) => c.id));
    const desc = r.get('descendants');
    const tree: Nesting = ok<Page<WireGroup>>(desc)
      ? {
          nodes: desc.body.value
            .map(summary)
            .filter((g) => g.id !== groupId)
            .map((g) => ({ ...g, depth: direct.has(g.id) ? 1 : 2 })),
          cycle: desc.body.value.some((g) => g.id === groupId),
          truncated: !!desc.body['@odata.nextLink'],
        }
      : await walk(this.graph, groupId, directChildren);
    const body = g.body;
    return {
      group: {
        id: body.id,
        displayName: body.displayName,
        description: body.description ?? null,
        kind: groupKind(body),
        mail: body.mail ?? null,
        onPremisesSyncEnabled: body.onPremisesSyncEnabled ?? null,
        onPremisesLastSyncDateTime: body.onPremisesLastSyncDateTime ?? null,
        onPremisesSamAccountName: body.onPremisesSamAccountName ?? null,
        onPremisesSecurityIdentifier: body.onPremisesSecurityIdentifier ?? null,
        onPremisesDomainName: body.onPremisesDomainName ?? null,
        extensionAttributes: ok<WireGroup>(ext) ? (ext.body.onPremisesExtensionAttributes ?? {}) : null,
      },
      isCloudManaged:
        body.onPremisesSyncEnabled === true ? false : ok<Page<unknown>>(soa) ? soa.body.value.length > 0 : null,
      tenant: cachedTenant !== undefined ? cachedTenant : this.rememberTenant(now, tenantOf(r.get('org'))),
      children: directChildren,
      descendants: tree.nodes,
      cycle: tree.cycle,
      truncated: tree.truncated || !ok<Page<WireGroup>>(children) || !!children.body['@odata.nextLink'],
      parents: ok<Page<WireGroup>>(parents) ? parents.body.value.map(summary) : [],
      cloudOnlyMembers: cloudOnlyMembers(action, r.get('users')),
      memberCount: memberCountOf(r.get('memberCount')),
      readAt: this.clock.now().toISOString(),
    };
  }

  private rememberTenant(at: number, value: Tenant): Tenant {
    // A failed read is not cached: the next card asks again.
    if (value !== null && this.tenantCacheMs > 0) this.tenantCache = { at, value };
    return value;
  }
}

/**
 * When the transitive read fails: breadth-first, one batched round trip per level; each group
 * once (AD allows cycles).
 */
async function walk(graph: AppGraph, rootId: string, level1: GroupSummary[]): Promise<Nesting> {
  const seen = new Set<string>([rootId]);
  const nodes: TreeNode[] = [];
  let cycle = false;
  let truncated = false;
  let frontier: GroupSummary[] = [];
  for (const c of level1) {
    if (seen.has(c.id)) {
      cycle = true;
      continue;
    }
    seen.add(c.id);
    nodes.push({ ...c, depth: 1 });
    frontier.push(c);
  }
  for (let depth = 2; frontier.length && depth <= MAX_TREE_DEPTH; depth++) {
    if (nodes.length >= MAX_TREE_GROUPS) {
      truncated = true;
      break;
    }
    const results = await graph.batch(
      frontier.map((g, i) => ({
        id: String(i),
        url: `/groups/${g.id}/members/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999`,
      })),
    );
    const next: GroupSummary[] = [];
    frontier.forEach((_, i) => {
      const r = results.get(String(i));
      if (!ok<Page<WireGroup>>(r)) {
        truncated = true;
        return;
      }
      if (r.body['@odata.nextLink']) truncated = true;
      for (const c of r.body.value.map(summary)) {
        if (seen.has(c.id)) {
          // Met again: a cycle if it is the root or an ancestor; otherwise a shared child.
          if (c.id === rootId || nodes.some((n) => n.id === c.id && n.depth < depth)) cycle = true;
          continue;
        }
        seen.add(c.id);
        if (nodes.length >= MAX_TREE_GROUPS) {
          truncated = true;
          continue;
        }
        nodes.push({ ...c, depth });
        next.push(c);
      }
    });
    frontier = next;
    if (depth === MAX_TREE_DEPTH && frontier.length) truncated = true;
  }
  return { nodes, cycle, truncated };
}
