/** Checks a seed before the tenant is built from it (POST /_fake/reset answers the problems, up to 20). */
import type { Seed } from './model';
import { isObjectId } from './object-id';

export class SeedError extends Error {}

export function validateSeed(seed: Seed): void {
  const problems: string[] = [];
  if (!seed || typeof seed !== 'object') throw new SeedError('The seed must be a JSON object.');
  if (typeof seed.tenantId !== 'string' || !isObjectId(seed.tenantId)) problems.push('tenantId must be a GUID');
  if (!seed.organization || typeof seed.organization.displayName !== 'string')
    problems.push('organization.displayName is required');
  for (const [name, list] of [
    ['users', seed.users],
    ['apps', seed.apps],
    ['groups', seed.groups],
  ] as const) {
    if (!Array.isArray(list)) problems.push(`${name} must be an array`);
  }
  if (problems.length) throw new SeedError(problems.join('; '));
  const ids = new Set<string>();
  for (const u of seed.users) {
    if (typeof u.id !== 'string' || !isObjectId(u.id)) problems.push(`user id '${u?.id}' is not a GUID`);
    if (ids.has(u.id)) problems.push(`duplicate id ${u.id}`);
    ids.add(u.id);
    if (!Array.isArray(u.roles)) problems.push(`user ${u.id}: roles must be an array`);
  }
  for (const g of seed.groups) {
    if (typeof g.id !== 'string' || !isObjectId(g.id)) problems.push(`group id '${g?.id}' is not a GUID`);
    if (ids.has(g.id)) problems.push(`duplicate id ${g.id}`);
    ids.add(g.id);
    if (typeof g.displayName !== 'string' || !g.displayName) problems.push(`group ${g.id}: displayName is required`);
    if (!['security', 'mailEnabledSecurity', 'distribution', 'unified'].includes(g.kind))
      problems.push(`group ${g.id}: unknown kind '${g.kind}'`);
    if (g.kind === 'unified' && g.ad) problems.push(`group ${g.id}: Microsoft 365 groups are not synced from AD`);
    if (!Array.isArray(g.members)) problems.push(`group ${g.id}: members must be an array`);
  }
  for (const g of seed.groups)
    for (const m of g.members ?? []) if (!ids.has(m)) problems.push(`group ${g.id}: unknown member ${m}`);
  for (const a of seed.apps) {
    if (typeof a.clientId !== 'string' || !isObjectId(a.clientId))
      problems.push(`app clientId '${a?.clientId}' is not a GUID`);
    if (!Array.isArray(a.secrets) || !Array.isArray(a.delegatedScopes) || !Array.isArray(a.applicationPermissions)) {
      problems.push(`app ${a.clientId}: secrets, delegatedScopes and applicationPermissions must be arrays`);
    }
  }
  if (problems.length) throw new SeedError(problems.slice(0, 20).join('; '));
}
