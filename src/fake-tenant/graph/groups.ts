/** /groups: the collection ($filter, $search, $orderby, $count), one group, and its sub-resources. */
import type { HttpReply } from '../http';
import type { Group } from '../model';
import type { Node } from '../odata/ast';
import type { FilterSpec } from '../odata/check';
import { evaluate } from '../odata/evaluate';
import { findGroup, groupRelation } from './directory-objects';
import { fail } from './errors';
import { groupDelta } from './group-delta';
import { addMemberRef } from './group-members';
import { patchGroup } from './group-update';
import { GROUP_READ, requirePermission } from './permissions';
import { isAdvanced, isEventual, parseChecked, project } from './query';
import { GROUP_PROPS, GROUP_SELECT_ONLY, groupJson } from './representations';
import { ok, page } from './responses';
import { syncBehavior } from './sync-behavior';
import type { Call, GraphRequest } from './types';

const GROUP_FILTER: FilterSpec = {
  resource: 'Group',
  notIsAdvanced: true,
  properties: {
    id: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    displayName: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mailNickname: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mail: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mailEnabled: { ops: ['eq'], advancedOps: ['ne'] },
    securityEnabled: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    groupTypes: { ops: ['eq'], advancedOps: ['ne'] },
    onPremisesSyncEnabled: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    onPremisesSamAccountName: { ops: ['eq', 'startswith', 'in', 'ge', 'le'], advancedOps: ['ne'] },
    onPremisesLastSyncDateTime: { ops: ['eq', 'ge', 'le', 'in'], advancedOps: ['ne'] },
    onPremisesSecurityIdentifier: { ops: ['eq'], advancedOps: ['ne'] },
    isAssignableToRole: { ops: ['eq'], advancedOps: ['ne'] },
    // Entra's SOA monitoring doc filters on this with ConsistencyLevel: eventual + $count.
    'onPremisesSyncBehavior/isCloudManaged': { ops: [], advancedOps: ['eq', 'ne'] },
  },
};

const RELATIONS = ['members', 'memberOf', 'transitiveMembers', 'transitiveMemberOf', 'owners'];

/**
 * `rest`: the path segments after /groups. Async though nothing inside waits: the extra promise
 * step decides when concurrent $batch steps finish, so it keeps the request log in its order.
 */
export async function groups(call: Call, rest: string[]): Promise<HttpReply> {
  const { req, principal: p, tenant, base } = call;
  const m = req.method;
  if (rest.length === 0) {
    if (m !== 'GET') throw fail.methodNotAllowed();
    requirePermission(p, GROUP_READ, GROUP_READ);
    return listGroups(call);
  }
  if (rest[0] === '$count' && rest.length === 1) {
    if (m !== 'GET') throw fail.methodNotAllowed();
    requirePermission(p, GROUP_READ, GROUP_READ);
    if (!isEventual(req)) throw fail.requestBadRequest('$count is not currently supported.');
    // The $count segment with ConsistencyLevel is itself an advanced query (no $count=true needed).
    const filtered = filterGroups(req, [...tenant.groups.values()], true);
    return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(filtered.length) };
  }
  // `/delta` is the short name of `/microsoft.graph.delta` (delta-query overview).
  if ((rest[0] === 'delta' || rest[0] === 'microsoft.graph.delta') && rest.length === 1) {
    if (m !== 'GET') throw fail.methodNotAllowed();
    requirePermission(p, GROUP_READ, GROUP_READ);
    return groupDelta(call);
  }
  const id = rest[0]!;
  const sub = rest[1];
  if (sub === undefined) {
    if (m === 'GET') {
      requirePermission(p, GROUP_READ, GROUP_READ);
      const g = findGroup(tenant, id);
      return ok({
        '@odata.context': `${base}/$metadata#groups/$entity`,
        ...project(groupJson(g), req.query, [...GROUP_PROPS, ...GROUP_SELECT_ONLY], GROUP_PROPS, 'group'),
      });
    }
    if (m === 'PATCH') return patchGroup(call, id);
    throw fail.methodNotAllowed();
  }
  if (sub === 'onPremisesSyncBehavior') {
    if (rest.length > 2) throw fail.segment(rest[2]!);
    return syncBehavior(call, id);
  }
  if (sub === 'members' && rest[2] === '$ref') {
    if (m !== 'POST') throw fail.methodNotAllowed();
    if (rest.length > 3) throw fail.segment(rest[3]!);
    return addMemberRef(call, id);
  }
  if (RELATIONS.includes(sub)) {
    if (m !== 'GET') throw fail.methodNotAllowed();
    if (rest.length > 3) throw fail.segment(rest[3]!);
    requirePermission(p, GROUP_READ, GROUP_READ);
    const g = findGroup(tenant, id);
    return groupRelation(call, g, sub, rest[2]);
  }
  throw fail.segment(sub);
}

/** The id an `id eq '…'` comparison (alone or and-ed at the top) pins, or null. */
function idOf(n: Node): string | null {
  if (n.type === 'and') return idOf(n.left) ?? idOf(n.right);
  if (n.type === 'cmp' && n.op === 'eq' && n.left.type === 'path' && n.left.path.join('/') === 'id')
    return n.right.type === 'lit' && typeof n.right.value === 'string' ? n.right.value.toLowerCase() : null;
  return null;
}

function filterGroups(req: GraphRequest, groups: Group[], advanced = isAdvanced(req)): Group[] {
  const filter = req.query.get('$filter');
  let list = groups;
  if (filter !== null) {
    const tree = parseChecked(filter, GROUP_FILTER, advanced);
    // Only the group an `id eq` conjunct names can match: skip the scan of every group.
    const id = idOf(tree);
    if (id !== null) list = list.filter((g) => g.id.toLowerCase() === id);
    list = list.filter((g) =>
      evaluate(tree, { ...groupJson(g), onPremisesSyncBehavior: { isCloudManaged: g.isCloudManaged } }),
    );
  }
  const search = req.query.get('$search');
  if (search !== null) {
    if (!isEventual(req)) {
      throw fail.unsupportedQuery(
        'Request with $search query parameter only works through MSGraph with a special request header: ' +
          "'ConsistencyLevel: eventual'",
      );
    }
    const m = /^"(displayName|description):(.*)"$/i.exec(search.trim());
    if (!m) throw fail.badRequest(`Invalid search clause: ${search}`);
    const needle = m[2]!.toLowerCase();
    const field = m[1]!.toLowerCase() === 'description' ? 'description' : 'displayName';
    list = list.filter(
      (g) =>
        String(g[field] ?? '')
          .toLowerCase()
          .split(/[\s\-_.]+/)
          .some((w) => w.startsWith(needle)) ||
        String(g[field] ?? '')
          .toLowerCase()
          .startsWith(needle),
    );
  }
  return list;
}

function listGroups(call: Call): HttpReply {
  const { req, tenant, base } = call;
  let list = filterGroups(req, [...tenant.groups.values()]);
  const orderby = req.query.get('$orderby');
  if (orderby !== null) {
    const m = /^displayName(\s+(asc|desc))?$/i.exec(orderby.trim());
    if (!m) throw fail.unsupportedQuery(`Sorting by '${orderby}' is not supported.`);
    if (req.query.has('$filter') && !isAdvanced(req)) {
      throw fail.unsupportedQuery(
        'Sorting not supported for current query. ' +
          'Try adding $count=true query parameter and ConsistencyLevel:eventual header.',
      );
    }
    const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
    list = [...list].sort((a, b) => dir * a.displayName.localeCompare(b.displayName));
  }
  const items = list.map((g) => groupJson(g));
  return page(
    req,
    items,
    `${base}/$metadata#groups`,
    [...GROUP_PROPS, ...GROUP_SELECT_ONLY],
    GROUP_PROPS,
    'group',
    100,
    999,
  );
}
