/** /users/{id or UPN} and /me, with the signed-in user's group and role memberships. */
import type { HttpReply } from '../http';
import { isObjectId } from '../object-id';
import { transitiveParents } from './directory-objects';
import { fail } from './errors';
import { ME_MEMBERSHIP_READ, ME_READ, requirePermission, USER_READ } from './permissions';
import { project } from './query';
import { GROUP_PROPS, groupJson, ROLE_PROPS, roleJson, USER_DEFAULT, USER_PROPS, userJson } from './representations';
import { ok, page } from './responses';
import type { Call, Json } from './types';

/** `rest`: the path segments after /users. */
export function users(call: Call, rest: string[]): HttpReply {
  const { req, principal: p, tenant, base } = call;
  if (req.method !== 'GET') throw fail.methodNotAllowed();
  requirePermission(p, USER_READ, USER_READ);
  const id = rest[0];
  if (!id || rest.length > 1) throw fail.segment(rest[1] ?? 'users');
  const user = [...tenant.users.values()].find(
    (u) => u.id === id || u.userPrincipalName.toLowerCase() === id.toLowerCase(),
  );
  if (!user) {
    if (!isObjectId(id) && !id.includes('@')) throw fail.invalidId(id);
    throw fail.notFound(id);
  }
  return ok({
    '@odata.context': `${base}/$metadata#users/$entity`,
    ...project(userJson(user), req.query, USER_PROPS, USER_DEFAULT, 'user'),
  });
}

/** `rest`: the path segments after /me. */
export function me(call: Call, rest: string[]): HttpReply {
  const { req, principal: p, tenant, base } = call;
  if (p.kind !== 'user') throw fail.badRequest('/me request is only valid with delegated authentication flow.');
  if (req.method !== 'GET') throw fail.methodNotAllowed();
  const user = p.user;
  if (rest.length === 0) {
    requirePermission(p, ME_READ, []);
    return ok({
      '@odata.context': `${base}/$metadata#users/$entity`,
      ...project(userJson(user), req.query, USER_PROPS, USER_DEFAULT, 'user'),
    });
  }
  const rel = rest[0]!;
  if (rel !== 'memberOf' && rel !== 'transitiveMemberOf') throw fail.segment(rel);
  if (rest.length > 2) throw fail.segment(rest[2]!);
  requirePermission(p, ME_MEMBERSHIP_READ, []);
  const cast = rest[1];
  const roles = user.roles.map((r) => ({ '@odata.type': '#microsoft.graph.directoryRole', ...roleJson(r) }));
  const direct = [...tenant.groups.values()].filter((g) => g.members.includes(user.id));
  const groups = rel === 'memberOf' ? direct : transitiveParents(tenant, direct);
  const groupItems = groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g) }));
  let items: Json[];
  let context = `${base}/$metadata#directoryObjects`;
  if (cast === undefined) items = [...roles, ...groupItems];
  else if (cast === 'microsoft.graph.directoryRole') {
    items = roles;
    context = `${base}/$metadata#directoryRoles`;
  } else if (cast === 'microsoft.graph.group') {
    items = groupItems;
    context = `${base}/$metadata#groups`;
  } else throw fail.segment(cast);
  const props = [...new Set([...ROLE_PROPS, ...GROUP_PROPS])];
  return page(req, items, context, props, props, 'directoryObject', 100, 999);
}
