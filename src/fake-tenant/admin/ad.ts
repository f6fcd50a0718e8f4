/**
 * /_fake/ad/groups/{id}: the on-premises Active Directory copy of a synced group, read or edited
 * the way an AD administrator would (the next sync cycle carries, or skips, the change).
 */
import { jsonReply, type HttpReply } from '../http';
import { adminError, type AdminContext, type AdminInput } from './context';

const ALLOWED = ['displayName', 'description', 'addMembers', 'removeMembers', 'extensionAttributes'];

/** `rawId`: the id as it appears in the path. Answers GET and PATCH. */
export function adGroup(ctx: AdminContext, input: AdminInput, rawId: string, method: string): HttpReply {
  const tenant = ctx.tenant();
  const id = decodeURIComponent(rawId);
  const g = tenant.groups.get(id);
  if (!g) return adminError(404, `No group with id '${id}'.`);
  if (!g.ad) return adminError(409, `Group '${g.displayName}' is cloud-only: it has no Active Directory object.`);
  if (method === 'GET') return jsonReply(200, g.ad);
  if (method !== 'PATCH') return adminError(405, 'Use GET or PATCH.');
  const edit = input ?? {};
  const unknown = Object.keys(edit).filter((k) => !ALLOWED.includes(k));
  if (unknown.length)
    return adminError(400, `Unknown AD attribute(s): ${unknown.join(', ')}. Allowed: ${ALLOWED.join(', ')}.`);
  if (edit.displayName !== undefined && (typeof edit.displayName !== 'string' || !edit.displayName.trim()))
    return adminError(400, "'displayName' must be a non-empty string.");
  if (edit.description !== undefined && edit.description !== null && typeof edit.description !== 'string')
    return adminError(400, "'description' must be a string or null.");
  for (const k of ['addMembers', 'removeMembers'] as const) {
    const v = edit[k];
    if (
      v !== undefined &&
      (!Array.isArray(v) || v.some((m) => typeof m !== 'string' || !(tenant.users.has(m) || tenant.groups.has(m))))
    ) {
      return adminError(400, `'${k}' must be an array of existing user or group ids.`);
    }
  }
  if (
    edit.extensionAttributes !== undefined &&
    (typeof edit.extensionAttributes !== 'object' || edit.extensionAttributes === null)
  )
    return adminError(400, "'extensionAttributes' must be an object.");
  if (typeof edit.displayName === 'string') g.ad.displayName = edit.displayName;
  if (edit.description !== undefined) g.ad.description = edit.description as string | null;
  for (const m of (edit.addMembers as string[] | undefined) ?? []) if (!g.ad.members.includes(m)) g.ad.members.push(m);
  g.ad.members = g.ad.members.filter((m) => !((edit.removeMembers as string[] | undefined) ?? []).includes(m));
  if (edit.extensionAttributes) Object.assign(g.ad.extensionAttributes, edit.extensionAttributes);
  return jsonReply(200, g.ad);
}
