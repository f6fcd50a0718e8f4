/** The directory over Microsoft Graph: the fewest round trips, batched, errors mapped. */
import type { Client } from '@microsoft/microsoft-graph-client';
import { createHash } from 'node:crypto';
import { isObjectId, type SoaAction } from '../../domain/command';
import { CodedError, isCoded } from '../../domain/errors';
import type { GroupFacts, GroupKind, GroupSummary, TreeNode } from '../../domain/prerequisites';
import {
  MAX_PLAN_GROUPS,
  setExtensionAttributes,
  type GroupGraph,
  type NodeFacts,
  type PlanNode,
} from '../../domain/plan';
import type { AuditConfirmation, Person } from '../../domain/request';
import type { Clock } from '../../ports/clock';
import type { AppDirectory, DirectoryFactory, GroupMatch, UserDirectory } from '../../ports/directory';
import type { UserTokenSource } from '../../ports/tokens';
import { runBatch, type BatchStep, type StepResult } from './batch';
import { appCredential, graphClient, oboCredential, type GraphEndpoint } from './client';
import { mapGraphError } from './errors';

const MATCH_SELECT =
  'id,displayName,description,mailEnabled,securityEnabled,groupTypes,onPremisesSyncEnabled,onPremisesSamAccountName';
const FACT_SELECT =
  'id,displayName,description,mailEnabled,securityEnabled,groupTypes,mail,onPremisesSyncEnabled,onPremisesLastSyncDateTime,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesDomainName';
const SUMMARY_SELECT = 'id,displayName,onPremisesSyncEnabled';
/** Bounds of the nesting walk for one card. */
const MAX_TREE_GROUPS = 500;
const MAX_TREE_DEPTH = 12;

/** Microsoft's audit activity names come in two spellings ("AD" / "AD DS"): match the stem. */
export const AUDIT_PREFIX: Record<SoaAction, string> = {
  move: 'Change Source of Authority',
  rollback: 'Undo changes to Source of Authority',
};

const odataString = (s: string) => s.replace(/'/g, "''");

export function groupKind(g: { mailEnabled?: boolean; securityEnabled?: boolean; groupTypes?: string[] }): GroupKind {
  if ((g.groupTypes ?? []).includes('Unified')) return 'unified';
  if (g.mailEnabled && g.securityEnabled) return 'mailEnabledSecurity';
  if (g.mailEnabled) return 'distribution';
  return 'security';
}

function toMatch(g: any): GroupMatch {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description ?? null,
    kind: groupKind(g),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
    onPremisesSamAccountName: g.onPremisesSamAccountName ?? null,
  };
}

function summary(g: any): GroupSummary {
  return { id: g.id, displayName: g.displayName, onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null };
}

function ok(r: StepResult | undefined): r is StepResult {
  return !!r && r.status >= 200 && r.status < 300;
}

function fail(r: StepResult | undefined, groupId?: string): CodedError {
  const body = r?.body as { error?: { code?: string; message?: string } } | undefined;
  return mapGraphError(
    { statusCode: r?.status ?? 0, code: body?.error?.code, message: body?.error?.message, headers: r?.headers },
    { groupId },
  );
}

export class GraphAppDirectory implements AppDirectory {
  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
    private readonly batching = true,
    private readonly tenantCacheMs = 0,
  ) {}

  private async batch(steps: BatchStep[]): Promise<Map<string, StepResult>> {
    try {
      return await runBatch(this.client, steps, this.clock, this.batching);
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  async findGroups(names: string[]): Promise<Map<string, GroupMatch[]>> {
    const unique = [...new Set(names)];
    const steps = unique.map((name, i) => ({
      id: String(i),
      url: isObjectId(name)
        ? `/groups/${name}?$select=${MATCH_SELECT}`
        : `/groups?$filter=${encodeURIComponent(`displayName eq '${odataString(name)}'`)}&$select=${MATCH_SELECT}&$top=50`,
    }));
    const results = await this.batch(steps);
    const out = new Map<string, GroupMatch[]>();
    unique.forEach((name, i) => {
      const r = results.get(String(i));
      if (ok(r)) out.set(name, isObjectId(name) ? [toMatch(r.body)] : (r.body.value as any[]).map(toMatch));
      else if ((r as StepResult | undefined)?.status === 404) out.set(name, []);
      else throw fail(r);
    });
    return out;
  }

  async suggestGroups(name: string): Promise<GroupMatch[]> {
    const word = name.trim().split(/\s+/)[0]!.slice(0, 40);
    const stem = word.slice(0, Math.max(3, Math.min(word.length - 1, 6)));
    try {
      const res = await this.client
        .api('/groups')
        .header('ConsistencyLevel', 'eventual')
        .query({ $count: 'true' })
        .search(`"displayName:${word.replace(/"/g, '')}"`)
        .select(MATCH_SELECT)
        .top(10)
        .get();
      const found = (res.value as any[]).map(toMatch);
      if (found.length) return found;
      const prefix = await this.client
        .api('/groups')
        .filter(`startswith(displayName,'${odataString(stem)}')`)
        .select(MATCH_SELECT)
        .top(10)
        .get();
      return (prefix.value as any[]).map(toMatch);
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  /** The tenant's sync state, kept for `tenantCacheMs` (it changes once per sync cycle at most). */
  private tenantCache: { at: number; value: GroupFacts['tenant'] } | null = null;

  async readFacts(groupId: string, action: SoaAction): Promise<GroupFacts> {
    const now = this.clock.now().getTime();
    const cachedTenant =
      this.tenantCache && now - this.tenantCache.at < this.tenantCacheMs ? this.tenantCache.value : undefined;
    const steps: BatchStep[] = [
      ...(cachedTenant === undefined
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
        url: `/groups/${groupId}/transitiveMembers/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999&$count=true`,
        headers: { ConsistencyLevel: 'eventual' },
      },
      { id: 'parents', url: `/groups/${groupId}/memberOf/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999` },
      // isCloudManaged with read-only application permissions: the filter Entra documents for
      // reporting. GET .../onPremisesSyncBehavior itself needs the ReadWrite scope.
      {
        id: 'soa',
        url: `/groups?$filter=${encodeURIComponent(`id eq '${groupId}' and onPremisesSyncBehavior/isCloudManaged eq true`)}&$count=true&$select=id`,
        headers: { ConsistencyLevel: 'eventual' },
      },
    ];
    if (action === 'rollback')
      steps.push({
        id: 'users',
        url: `/groups/${groupId}/members/microsoft.graph.user?$select=id,displayName,onPremisesSyncEnabled&$top=999`,
      });
    const r = await this.batch(steps);
    const g = r.get('group');
    if (!ok(g)) throw fail(g, groupId);
    const org = r.get('org');
    const children = r.get('children');
    const parents = r.get('parents');
    const soa = r.get('soa');
    const users = r.get('users');
    const ext = r.get('ext');
    const directChildren = ok(children) ? (children.body.value as any[]).map(summary) : [];
    // Two round trips for a card (the name, then this batch): the nesting below the direct
    // children is known as a set, not level by level; plans read the tree level by level.
    const direct = new Set(directChildren.map((c) => c.id));
    const desc = r.get('descendants');
    const tree = ok(desc)
      ? {
          nodes: (desc.body.value as any[])
            .map(summary)
            .filter((g) => g.id !== groupId)
            .map((g) => ({ ...g, depth: direct.has(g.id) ? 1 : 2 })),
          cycle: (desc.body.value as any[]).some((g) => g.id === groupId),
          truncated: !!desc.body['@odata.nextLink'],
        }
      : await this.walk(groupId, directChildren);
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
        extensionAttributes: ok(ext) ? (ext.body.onPremisesExtensionAttributes ?? {}) : null,
      },
      isCloudManaged:
        body.onPremisesSyncEnabled === true ? false : ok(soa) ? (soa.body.value as unknown[]).length > 0 : null,
      tenant:
        cachedTenant !== undefined
          ? cachedTenant
          : this.rememberTenant(
              now,
              ok(org) && org.body.value?.[0]
                ? {
                    onPremisesSyncEnabled: org.body.value[0].onPremisesSyncEnabled ?? null,
                    onPremisesLastSyncDateTime: org.body.value[0].onPremisesLastSyncDateTime ?? null,
                  }
                : null,
            ),
      children: directChildren,
      descendants: tree.nodes,
      cycle: tree.cycle,
      truncated: tree.truncated || !ok(children) || !!children.body['@odata.nextLink'],
      parents: ok(parents) ? (parents.body.value as any[]).map(summary) : [],
      cloudOnlyMembers:
        action === 'rollback'
          ? ok(users)
            ? (users.body.value as any[])
                .filter((u) => u.onPremisesSyncEnabled !== true)
                .map((u) => ({ id: u.id, displayName: u.displayName }))
            : null
          : null,
      readAt: this.clock.now().toISOString(),
    };
  }

  private rememberTenant(at: number, value: GroupFacts['tenant']): GroupFacts['tenant'] {
    // A failed read is not cached: the next card asks again.
    if (value !== null && this.tenantCacheMs > 0) this.tenantCache = { at, value };
    return value;
  }

  /** Breadth-first, one batched round trip per level; each group once (AD allows cycles). */
  private async walk(
    rootId: string,
    level1: GroupSummary[],
  ): Promise<{ nodes: TreeNode[]; cycle: boolean; truncated: boolean }> {
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
      const results = await this.batch(
        frontier.map((g, i) => ({
          id: String(i),
          url: `/groups/${g.id}/members/microsoft.graph.group?$select=${SUMMARY_SELECT}&$top=999`,
        })),
      );
      const next: GroupSummary[] = [];
      frontier.forEach((_, i) => {
        const r = results.get(String(i));
        if (!ok(r)) {
          truncated = true;
          return;
        }
        if (r.body['@odata.nextLink']) truncated = true;
        for (const c of (r.body.value as any[]).map(summary)) {
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

  async findSoaAudit(groupId: string, action: SoaAction, since: string): Promise<AuditConfirmation | null> {
    try {
      const res = await this.client
        .api('/auditLogs/directoryAudits')
        .filter(
          `startswith(activityDisplayName,'${AUDIT_PREFIX[action]}') and targetResources/any(t:t/id eq '${groupId}') and activityDateTime ge ${since}`,
        )
        .orderby('activityDateTime desc')
        .top(1)
        .get();
      const a = (res.value as any[])[0];
      if (!a) return null;
      const by = a.initiatedBy?.user
        ? `${a.initiatedBy.user.displayName ?? ''} (${a.initiatedBy.user.userPrincipalName ?? a.initiatedBy.user.id})`.trim()
        : (a.initiatedBy?.app?.displayName ?? 'unknown');
      return {
        id: a.id,
        activityDisplayName: a.activityDisplayName,
        activityDateTime: a.activityDateTime,
        initiatedBy: by,
        result: a.result,
        correlationId: a.correlationId,
      };
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  async readSyncStates(
    groupIds: string[],
  ): Promise<Map<string, { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }>> {
    const r = await this.batch(
      groupIds.map((id, i) => ({
        id: String(i),
        url: `/groups/${id}?$select=id,onPremisesSyncEnabled,onPremisesLastSyncDateTime`,
      })),
    );
    const out = new Map<string, { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }>();
    groupIds.forEach((id, i) => {
      const x = r.get(String(i));
      if (ok(x))
        out.set(id, {
          onPremisesSyncEnabled: x.body.onPremisesSyncEnabled ?? null,
          onPremisesLastSyncDateTime: x.body.onPremisesLastSyncDateTime ?? null,
        });
      else if ((x as StepResult | undefined)?.status !== 404) throw fail(x, id);
    });
    return out;
  }

  /**
   * One level of a plan walk: for each id its child groups, its parent groups and its
   * extension attributes (what a single-group card checks), in batches of 20 sent together:
   * one round trip per call.
   */
  private async levelOf(ids: string[]): Promise<{ kids: Map<string, PlanNode[]>; facts: Map<string, NodeFacts> }> {
    const r = await this.batch(ids.flatMap((id, i) => levelSteps(id, i)));
    const kids = new Map<string, PlanNode[]>();
    const facts = new Map<string, NodeFacts>();
    for (const [i, id] of ids.entries()) {
      kids.set(id, await this.childList(r.get(`k${i}`), id));
      facts.set(id, nodeFacts(r.get(`x${i}`), r.get(`p${i}`)));
    }
    return { kids, facts };
  }

  private async childList(x: StepResult | undefined, id: string): Promise<PlanNode[]> {
    if (!ok(x)) throw fail(x, id);
    const first = (x.body.value as any[]).map(planNode);
    // Rare (over 999 child groups): the rest comes page by page.
    const rest = x.body['@odata.nextLink']
      ? (
          await allPages(this.client, { value: [], '@odata.nextLink': x.body['@odata.nextLink'] }, MAX_PLAN_GROUPS)
        ).items.map(planNode)
      : [];
    return [...first, ...rest];
  }

  async readTree(rootId: string, maxGroups: number): Promise<GroupGraph> {
    // The root, its children and its prerequisites in one round trip; then one round trip per level.
    const first = await this.batch([
      { id: 'root', url: `/groups/${rootId}?$select=${PLAN_SELECT}` },
      ...levelSteps(rootId, 0),
    ]);
    const root = first.get('root');
    if (!ok(root)) throw fail(root, rootId);
    const nodes = new Map<string, PlanNode>([[rootId, planNode(root.body)]]);
    const facts = new Map<string, NodeFacts>([[rootId, nodeFacts(first.get('x0'), first.get('p0'))]]);
    const children = new Map<string, string[]>();
    let frontier = [rootId];
    let truncated = false;
    let known: Map<string, PlanNode[]> | null = new Map([[rootId, await this.childList(first.get('k0'), rootId)]]);
    while (frontier.length) {
      let kids: Map<string, PlanNode[]>;
      if (known) kids = known;
      else {
        const level = await this.levelOf(frontier);
        kids = level.kids;
        for (const [id, f] of level.facts) facts.set(id, f);
      }
      known = null;
      const next: string[] = [];
      for (const [parent, list] of kids) {
        children.set(
          parent,
          list.map((c) => c.id),
        );
        for (const c of list) {
          if (nodes.has(c.id)) continue;
          if (nodes.size >= maxGroups) {
            truncated = true;
            continue;
          }
          nodes.set(c.id, c);
          next.push(c.id);
        }
      }
      frontier = next;
    }
    return { nodes, children, truncated, facts };
  }

  async readSet(groupIds: string[], maxGroups: number): Promise<GroupGraph> {
    const ids = [...new Set(groupIds)].slice(0, maxGroups);
    const r = await this.batch(ids.map((id, i) => ({ id: String(i), url: `/groups/${id}?$select=${PLAN_SELECT}` })));
    const nodes = new Map<string, PlanNode>();
    ids.forEach((id, i) => {
      const x = r.get(String(i));
      if (ok(x)) nodes.set(id, planNode(x.body));
      else if ((x as StepResult | undefined)?.status !== 404) throw fail(x, id);
    });
    const { kids, facts } = await this.levelOf([...nodes.keys()]);
    const children = new Map<string, string[]>();
    for (const [parent, list] of kids)
      children.set(
        parent,
        list.map((c) => c.id).filter((c) => nodes.has(c)),
      );
    return { nodes, children, truncated: groupIds.length > maxGroups, facts };
  }

  async findGroupsByPrefix(prefix: string, maxGroups: number): Promise<GroupMatch[]> {
    try {
      const first = await this.client
        .api('/groups')
        .filter(`startswith(displayName,'${odataString(prefix)}')`)
        .select(MATCH_SELECT)
        .top(999)
        .get();
      return (await allPages(this.client, first, maxGroups + 1)).items.map(toMatch);
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  async readTenantLastSync(): Promise<string | null> {
    try {
      const r = await this.client.api('/organization').select('id,onPremisesLastSyncDateTime').get();
      return (r.value as any[])[0]?.onPremisesLastSyncDateTime ?? null;
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  async findSkippedAdEdits(
    groupIds: string[],
    since: string,
  ): Promise<{ visible: boolean; edits: Array<{ groupId: string; at: string; changes: string[] }> }> {
    const ids = new Set(groupIds);
    try {
      const first = await this.client
        .api('/auditLogs/provisioning')
        .filter(`activityDateTime ge ${since}`)
        .top(999)
        .get();
      const { items } = await allPages(this.client, first, 50_000);
      const edits = items
        .filter((e) => ids.has(e.targetIdentity?.id) && e.provisioningStatusInfo?.status === 'skipped')
        .map((e) => ({
          groupId: e.targetIdentity.id as string,
          at: e.activityDateTime as string,
          changes: ((e.modifiedProperties ?? []) as Array<{ displayName?: string }>)
            .map((m) => m.displayName ?? '')
            .filter(Boolean),
        }));
      return { visible: true, edits };
    } catch (e) {
      const mapped = mapGraphError(e);
      // No provisioning log (Connect Sync only, or no licence for it): not visible, not an error.
      if (isCoded(mapped, 'PermissionDenied', 'BadRequest', 'GroupNotFound')) return { visible: false, edits: [] };
      throw mapped;
    }
  }

  async findSoaAudits(action: SoaAction, since: string): Promise<Array<AuditConfirmation & { groupId: string }>> {
    try {
      const first = await this.client
        .api('/auditLogs/directoryAudits')
        .filter(`startswith(activityDisplayName,'${AUDIT_PREFIX[action]}') and activityDateTime ge ${since}`)
        .orderby('activityDateTime asc')
        .top(999)
        .get();
      const { items } = await allPages(this.client, first, 50_000);
      return items.flatMap((a) =>
        ((a.targetResources ?? []) as Array<{ id?: string; type?: string }>)
          .filter((t) => t.id && (t.type ?? 'Group') === 'Group')
          .slice(0, 1)
          .map((t) => ({ ...auditOf(a), groupId: t.id! })),
      );
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  async readSyncState(
    groupId: string,
  ): Promise<{ onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }> {
    try {
      const g = await this.client
        .api(`/groups/${groupId}`)
        .select('id,onPremisesSyncEnabled,onPremisesLastSyncDateTime')
        .get();
      return {
        onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
        onPremisesLastSyncDateTime: g.onPremisesLastSyncDateTime ?? null,
      };
    } catch (e) {
      throw mapGraphError(e, { groupId });
    }
  }
}

const PLAN_SELECT = 'id,displayName,mailEnabled,securityEnabled,groupTypes,onPremisesSyncEnabled';

const PARENT_SELECT = 'id,displayName,onPremisesSyncEnabled';

/** The requests one group adds to a level batch: children, extension attributes, parents. */
function levelSteps(id: string, i: number): BatchStep[] {
  return [
    { id: `k${i}`, url: `/groups/${id}/members/microsoft.graph.group?$select=${PLAN_SELECT}&$top=999` },
    // Asked by itself, as on the single-group card: Graph's support for this property on
    // groups is recent and documented as limited, so a refusal costs only this fact.
    { id: `x${i}`, url: `/groups/${id}?$select=id,onPremisesExtensionAttributes` },
    { id: `p${i}`, url: `/groups/${id}/memberOf/microsoft.graph.group?$select=${PARENT_SELECT}&$top=999` },
  ];
}

/** A failed read becomes null (shown as "could not be read"), never a failed plan. */
function nodeFacts(ext: StepResult | undefined, parents: StepResult | undefined): NodeFacts {
  return {
    extensionAttributes: ok(ext) ? setExtensionAttributes(ext.body.onPremisesExtensionAttributes) : null,
    // Over 999 direct parents: the first page is what a card can show anyway.
    parents: ok(parents)
      ? (parents.body.value as any[]).map((p) => ({
          id: p.id,
          displayName: p.displayName,
          onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
        }))
      : null,
  };
}

function planNode(g: any): PlanNode {
  return {
    id: g.id,
    displayName: g.displayName,
    kind: groupKind(g),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
  };
}

/** Follows @odata.nextLink until the collection ends or `max` items are in hand. */
async function allPages(
  client: Client,
  first: { value: any[]; '@odata.nextLink'?: string },
  max: number,
): Promise<{ items: any[]; truncated: boolean }> {
  const items = [...first.value];
  let next = first['@odata.nextLink'];
  while (next && items.length < max) {
    const page = await client.api(next).get();
    items.push(...(page.value as any[]));
    next = page['@odata.nextLink'];
  }
  return { items: items.slice(0, max), truncated: !!next || items.length > max };
}

/** The `oid` claim of a JWT, read without checking it (Entra checks it at the exchange); null if absent. */
function assertionOid(assertion: string): string | null {
  try {
    const oid = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')).oid;
    return typeof oid === 'string' ? oid.toLowerCase() : null;
  } catch {
    return null;
  }
}

function auditOf(a: any): AuditConfirmation {
  const by = a.initiatedBy?.user
    ? `${a.initiatedBy.user.displayName ?? ''} (${a.initiatedBy.user.userPrincipalName ?? a.initiatedBy.user.id})`.trim()
    : (a.initiatedBy?.app?.displayName ?? 'unknown');
  return {
    id: a.id,
    activityDisplayName: a.activityDisplayName,
    activityDateTime: a.activityDateTime,
    initiatedBy: by,
    result: a.result,
    correlationId: a.correlationId,
  };
}

export class GraphUserDirectory implements UserDirectory {
  private client: Promise<Client> | null = null;
  private assertion: string | null = null;

  constructor(
    private readonly endpoint: GraphEndpoint,
    private readonly tokens: UserTokenSource,
    private readonly user: Person,
    private readonly clock: Clock,
    /** The client for an assertion: one on-behalf-of credential per assertion, shared. */
    private readonly clients: { get(assertion: string): Client; forget(assertion: string): void },
    private readonly batching = true,
  ) {}

  /** A refused sign-in: forget the cached assertion and client, so the next try starts afresh. */
  private failed(e: CodedError): CodedError {
    if (
      isCoded(e, 'Unauthorized', 'TokenExpired', 'InteractionRequired', 'BlockedByConditionalAccess', 'ConsentRequired')
    ) {
      this.tokens.forget?.(this.user);
      if (this.assertion) this.clients.forget(this.assertion);
      this.client = null;
    }
    return e;
  }

  private graph(): Promise<Client> {
    this.client ??= this.tokens.assertionFor(this.user).then((assertion) => {
      // The acting user is the activity's Entra user; the token must be theirs. Entra checks
      // the token's signature at the exchange, so its oid is the user Graph will act as.
      if (assertionOid(assertion) !== this.user.id.toLowerCase()) {
        this.tokens.forget?.(this.user);
        throw new CodedError(
          'Unauthorized',
          'The sign-in the bot holds for your Teams account belongs to another Entra user, so nothing was done. Type `sign out`, then sign in again as yourself.',
          { identityMismatch: true },
        );
      }
      this.assertion = assertion;
      return this.clients.get(assertion);
    });
    return this.client;
  }

  async whoAmI() {
    try {
      const r = await runBatch(
        await this.graph(),
        [
          { id: 'me', url: '/me?$select=id,displayName' },
          { id: 'of', url: '/me/transitiveMemberOf?$select=id,roleTemplateId&$top=999' },
        ],
        this.clock,
        this.batching,
      );
      const me = r.get('me');
      const of = r.get('of');
      if (!ok(me)) throw fail(me);
      if (!ok(of)) throw fail(of);
      const items = of.body.value as Array<{ '@odata.type'?: string; id: string; roleTemplateId?: string }>;
      return {
        id: me.body.id as string,
        name: me.body.displayName as string,
        roles: items
          .filter((i) => i['@odata.type'] === '#microsoft.graph.directoryRole' && i.roleTemplateId)
          .map((i) => i.roleTemplateId!),
        groupIds: items.filter((i) => i['@odata.type'] === '#microsoft.graph.group').map((i) => i.id),
      };
    } catch (e) {
      throw this.failed(mapGraphError(e, { consent: this.endpoint }));
    }
  }

  async readIsCloudManaged(groupId: string): Promise<boolean> {
    try {
      const body = await (
        await this.graph()
      )
        .api(`/groups/${groupId}/onPremisesSyncBehavior`)
        .select('isCloudManaged')
        .get();
      // One doc example wraps the entity in "value"; accept both shapes.
      const v = body?.isCloudManaged ?? body?.value?.isCloudManaged;
      if (typeof v !== 'boolean')
        throw new CodedError('DirectoryError', 'Microsoft Graph answered without isCloudManaged.');
      return v;
    } catch (e) {
      throw this.failed(mapGraphError(e, { groupId, consent: this.endpoint }));
    }
  }

  async setIsCloudManaged(groupId: string, value: boolean): Promise<void> {
    try {
      // Docs disagree on the answer (204 No Content now, 200 with the object before): both
      // are success, and the caller reads the value back to verify.
      await (await this.graph()).api(`/groups/${groupId}/onPremisesSyncBehavior`).patch({ isCloudManaged: value });
    } catch (e) {
      throw this.failed(mapGraphError(e, { groupId, consent: this.endpoint }));
    }
  }
}

export class GraphDirectoryFactory implements DirectoryFactory {
  private readonly appDirectory: GraphAppDirectory;

  constructor(
    private readonly endpoint: GraphEndpoint,
    private readonly tokens: UserTokenSource,
    private readonly clock: Clock,
    private readonly batching = true,
    tenantCacheMs = 0,
  ) {
    this.appDirectory = new GraphAppDirectory(
      graphClient(endpoint, appCredential(endpoint)),
      clock,
      batching,
      tenantCacheMs,
    );
  }

  app(): AppDirectory {
    return this.appDirectory;
  }

  /**
   * On-behalf-of clients by assertion (its SHA-256, never the token itself): the credential
   * caches the Graph token it got, so a user's calls reuse one exchange until the assertion
   * changes (Teams renews it before it expires). Evicts expired assertions as it goes.
   */
  private readonly obo = new Map<string, { client: Client; exp: number }>();

  private keyOf(assertion: string): string {
    return createHash('sha256').update(assertion).digest('base64url');
  }

  private clientFor(assertion: string): Client {
    const key = this.keyOf(assertion);
    const now = this.clock.now().getTime();
    const hit = this.obo.get(key);
    if (hit && hit.exp > now) return hit.client;
    for (const [k, v] of this.obo) if (v.exp <= now) this.obo.delete(k);
    let exp = now + 3_600_000;
    try {
      exp =
        Number(JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')).exp) * 1000 || exp;
    } catch {
      // Opaque assertion: keep the default lifetime.
    }
    const client = graphClient(this.endpoint, oboCredential(this.endpoint, assertion));
    if (this.obo.size < 10_000) this.obo.set(key, { client, exp });
    return client;
  }

  forUser(user: Person): UserDirectory {
    return new GraphUserDirectory(
      this.endpoint,
      this.tokens,
      user,
      this.clock,
      { get: (a) => this.clientFor(a), forget: (a) => void this.obo.delete(this.keyOf(a)) },
      this.batching,
    );
  }
}
