/**
 * Directory objects and the relations between them: a group's members and the groups it belongs
 * to, direct or transitive (nesting may hold cycles and diamonds), listed as mixed collections.
 */
import type { HttpReply } from '../http';
import type { Group, User } from '../model';
import type { FilterSpec } from '../odata/check';
import { evaluate } from '../odata/evaluate';
import { isObjectId } from '../object-id';
import type { Tenant } from '../tenant';
import { fail } from './errors';
import { isAdvanced, parseChecked } from './query';
import {
  GROUP_PROPS,
  GROUP_SELECT_ONLY,
  groupJson,
  isGroup,
  USER_DEFAULT,
  USER_PROPS,
  userJson,
} from './representations';
import { page } from './responses';
import type { Call, GraphRequest } from './types';

const MEMBER_FILTER: FilterSpec = {
  resource: 'DirectoryObject',
  notIsAdvanced: true,
  properties: {
    displayName: { ops: [], advancedOps: ['eq', 'startswith', 'ne', 'in'] },
    id: { ops: [], advancedOps: ['eq', 'in'] },
    onPremisesSyncEnabled: { ops: [], advancedOps: ['eq', 'ne'] },
  },
};

export function findGroup(tenant: Tenant, id: string): Group {
  if (!isObjectId(id)) throw fail.invalidId(id);
  const g = tenant.groups.get(id.toLowerCase()) ?? tenant.groups.get(id);
  if (!g) throw fail.notFound(id);
  return g;
}

/** GET /groups/{id}/{rel}[/{cast}], rel one of members, memberOf, transitiveMembers, transitiveMemberOf, owners. */
export function groupRelation(call: Call, g: Group, rel: string, cast: string | undefined): HttpReply {
  const objects = relation(call.tenant, g, rel);
  return listDirectoryObjects(call.req, objects, cast, `${call.base}/$metadata#directoryObjects`);
}

function relation(t: Tenant, g: Group, rel: string): Array<Group | User> {
  const resolve = (id: string) => t.groups.get(id) ?? t.users.get(id);
  const parentsOf = (id: string) => [...t.groups.values()].filter((x) => x.members.includes(id));
  if (rel === 'members') return g.members.map(resolve).filter((x): x is Group | User => !!x);
  if (rel === 'memberOf') return parentsOf(g.id);
  if (rel === 'owners') return (g.owners ?? []).map(resolve).filter((x): x is Group | User => !!x);
  const seen = new Set<string>([g.id]);
  const out: Array<Group | User> = [];
  const queue = [g];
  while (queue.length) {
    const cur = queue.shift()!;
    const next =
      rel === 'transitiveMembers' ? cur.members.map(resolve).filter((x): x is Group | User => !!x) : parentsOf(cur.id);
    for (const o of next) {
      if (seen.has(o.id)) continue; // cycles and diamonds appear once
      seen.add(o.id);
      out.push(o);
      if (isGroup(o)) queue.push(o);
    }
  }
  return out;
}

/** The groups that hold `direct` groups, at any depth, each once, starting with `direct`. */
export function transitiveParents(t: Tenant, direct: Group[]): Group[] {
  const seen = new Set<string>();
  const out: Group[] = [];
  const queue = [...direct];
  while (queue.length) {
    const g = queue.shift()!;
    if (seen.has(g.id)) continue;
    seen.add(g.id);
    out.push(g);
    queue.push(...[...t.groups.values()].filter((x) => x.members.includes(g.id)));
  }
  return out;
}

function listDirectoryObjects(
  req: GraphRequest,
  objects: Array<Group | User>,
  cast: string | undefined,
  context: string,
): HttpReply {
  let list = objects;
  if (cast !== undefined) {
    if (cast === 'microsoft.graph.group') list = list.filter(isGroup);
    else if (cast === 'microsoft.graph.user') list = list.filter((o) => !isGroup(o));
    else throw fail.segment(cast);
  }
  const filter = req.query.get('$filter');
  let items = list.map((o) =>
    isGroup(o)
      ? { '@odata.type': '#microsoft.graph.group', ...groupJson(o) }
      : { '@odata.type': '#microsoft.graph.user', ...userJson(o) },
  );
  if (filter !== null) {
    const tree = parseChecked(filter, MEMBER_FILTER, isAdvanced(req));
    items = items.filter((o) => evaluate(tree, o));
  }
  const isGroupCast = cast === 'microsoft.graph.group';
  const props = isGroupCast
    ? [...GROUP_PROPS, ...GROUP_SELECT_ONLY]
    : cast === 'microsoft.graph.user'
      ? USER_PROPS
      : [...new Set([...GROUP_PROPS, ...GROUP_SELECT_ONLY, ...USER_PROPS])];
  const defaults = isGroupCast
    ? GROUP_PROPS
    : cast === 'microsoft.graph.user'
      ? USER_DEFAULT
      : [...new Set([...GROUP_PROPS, ...USER_DEFAULT])];
  return page(
    req,
    items,
    isGroupCast ? context.replace('directoryObjects', 'groups') : context,
    props,
    defaults,
    isGroupCast ? 'group' : 'directoryObject',
    100,
    999,
  );
}
