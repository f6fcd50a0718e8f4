/** Cloud directory objects changed behind Graph's back: users' roles and sign-in, app consent, groups. */
import { X509Certificate } from 'node:crypto';
import { jsonReply, noContent, type HttpReply } from '../http';
import { adminError, type AdminContext, type AdminInput } from './context';

const APP_FIELDS = ['delegatedScopes', 'applicationPermissions', 'certificates'] as const;

/** PATCH /_fake/users/{id}: roles, sign-in requirement (Conditional Access stand-in), enabled. */
export function patchUser(ctx: AdminContext, input: AdminInput, rawId: string): HttpReply {
  const u = ctx.tenant().users.get(decodeURIComponent(rawId));
  if (!u) return adminError(404, `No user with id '${rawId}'.`);
  const edit = input ?? {};
  const unknown = Object.keys(edit).filter((k) => !['roles', 'signIn', 'accountEnabled'].includes(k));
  if (unknown.length)
    return adminError(400, `Unknown user field(s): ${unknown.join(', ')}. Allowed: roles, signIn, accountEnabled.`);
  if (edit.roles !== undefined && (!Array.isArray(edit.roles) || edit.roles.some((r) => typeof r !== 'string')))
    return adminError(400, "'roles' must be an array of role template ids.");
  if (edit.signIn !== undefined && !['none', 'mfa', 'blocked'].includes(edit.signIn as string))
    return adminError(400, "'signIn' must be none, mfa or blocked.");
  if (edit.accountEnabled !== undefined && typeof edit.accountEnabled !== 'boolean')
    return adminError(400, "'accountEnabled' must be a boolean.");
  if (edit.roles) u.roles = [...(edit.roles as string[])];
  if (edit.signIn) u.signIn = edit.signIn as typeof u.signIn;
  if (typeof edit.accountEnabled === 'boolean') u.accountEnabled = edit.accountEnabled;
  return jsonReply(200, u);
}

/** PATCH /_fake/apps/{clientId}: consented scopes, application permissions, certificates. */
export function patchApp(ctx: AdminContext, input: AdminInput, rawId: string): HttpReply {
  const a = ctx.tenant().apps.get(decodeURIComponent(rawId));
  if (!a) return adminError(404, `No app with client id '${rawId}'.`);
  const edit = input ?? {};
  const unknown = Object.keys(edit).filter((k) => !(APP_FIELDS as readonly string[]).includes(k));
  if (unknown.length)
    return adminError(400, `Unknown app field(s): ${unknown.join(', ')}. Allowed: ${APP_FIELDS.join(', ')}.`);
  for (const k of APP_FIELDS) {
    const v = edit[k];
    if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
      return adminError(400, `'${k}' must be an array of strings.`);
  }
  if (edit.delegatedScopes) a.delegatedScopes = [...(edit.delegatedScopes as string[])];
  if (edit.applicationPermissions) a.applicationPermissions = [...(edit.applicationPermissions as string[])];
  if (edit.certificates) {
    const pems = edit.certificates as string[];
    try {
      for (const pem of pems) new X509Certificate(pem);
    } catch {
      return adminError(400, "'certificates' must be PEM-encoded X.509 certificates.");
    }
    a.certificates = [...pems];
  }
  return jsonReply(200, {
    clientId: a.clientId,
    delegatedScopes: a.delegatedScopes,
    applicationPermissions: a.applicationPermissions,
  });
}

/** DELETE /_fake/groups/{id}: the group is gone from Entra (deleted in AD and synced, or in the cloud). */
export function deleteGroup(ctx: AdminContext, _input: AdminInput, rawId: string): HttpReply {
  const tenant = ctx.tenant();
  const id = decodeURIComponent(rawId);
  if (!tenant.deleteGroup(id)) return adminError(404, `No group with id '${id}'.`);
  return noContent();
}

/** GET /_fake/groups/{id}: the group as the tenant holds it, AD side included. */
export function getGroup(ctx: AdminContext, _input: AdminInput, rawId: string): HttpReply {
  const g = ctx.tenant().groups.get(decodeURIComponent(rawId));
  if (!g) return adminError(404, `No group with id '${rawId}'.`);
  return jsonReply(200, g);
}

/** GET /_fake/groups: a summary of every group. */
export function listGroups(ctx: AdminContext): HttpReply {
  return jsonReply(
    200,
    [...ctx.tenant().groups.values()].map((g) => ({
      id: g.id,
      displayName: g.displayName,
      onPremisesSyncEnabled: g.onPremisesSyncEnabled,
      isCloudManaged: g.isCloudManaged,
    })),
  );
}
