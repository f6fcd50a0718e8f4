/** PATCH /groups/{id}: the writable properties, and why synced or mail-enabled groups refuse writes. */
import { noContent, type HttpReply } from '../http';
import type { Principal } from '../identity/principal';
import type { SeedApp, User } from '../model';
import { findGroup } from './directory-objects';
import { fail } from './errors';
import { GROUP_WRITE, requirePermission } from './permissions';
import { parseJsonObject } from './responses';
import type { Call } from './types';

const WRITABLE: Record<string, 'string' | 'nullableString'> = {
  displayName: 'string',
  description: 'nullableString',
  mailNickname: 'string',
};
const READ_ONLY = [
  'id',
  'mail',
  'mailEnabled',
  'securityEnabled',
  'proxyAddresses',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'onPremisesSecurityIdentifier',
  'onPremisesSamAccountName',
  'createdDateTime',
  'groupTypes',
];

/** Who made a change, as the audit log names them: the user (through the app), or the app alone. */
export function actorOf(p: Principal): { user: User | null; app: SeedApp } {
  return { user: p.kind === 'user' ? p.user : null, app: p.app };
}

export function patchGroup(call: Call, id: string): HttpReply {
  const { req, principal: p, tenant } = call;
  requirePermission(p, GROUP_WRITE, GROUP_WRITE, tenant.policy.groupWriteRoles);
  const g = findGroup(tenant, id);
  const body = parseJsonObject(req.body);
  const updates: Record<string, string | null> = {};
  for (const [rawKey, value] of Object.entries(body)) {
    if (rawKey.startsWith('@odata.')) continue;
    // Property names in request bodies are matched without regard to case (Entra's own
    // walkthrough PATCHes "DisplayName").
    const key = [...Object.keys(WRITABLE), ...READ_ONLY].find((k) => k.toLowerCase() === rawKey.toLowerCase());
    if (!key) {
      throw fail.badRequest(
        `Property '${rawKey}' does not exist on type 'microsoft.graph.group'. ` +
          'Make sure to only use property names that are defined by the type or mark the type as open type.',
      );
    }
    if (READ_ONLY.includes(key)) throw fail.requestBadRequest(`Property '${key}' is read-only and cannot be set.`);
    const kind = WRITABLE[key]!;
    const okValue =
      typeof value === 'string'
        ? value.trim().length > 0 && value.length <= 256
        : kind === 'nullableString' && value === null;
    if (!okValue) throw fail.requestBadRequest(`Invalid value specified for property '${key}' of resource 'Group'.`);
    updates[key] = value as string | null;
  }
  // Mail-enabled groups are mastered by Exchange: their error differs from synced ones.
  if (g.kind === 'distribution' || g.kind === 'mailEnabledSecurity') {
    throw fail.requestBadRequest(
      'The service does not currently support writes of mail-enabled groups. ' +
        'Please ensure that the mail-enablement property is unset and the security-enablement property is set.',
    );
  }
  if (tenant.isAdManaged(g)) {
    throw fail.requestBadRequest(
      'Unable to update the specified properties for on-premises mastered Directory Sync objects ' +
        'or objects currently undergoing migration.',
    );
  }
  const modified = Object.entries(updates).map(([k, v]) => ({
    displayName: k[0]!.toUpperCase() + k.slice(1),
    oldValue: JSON.stringify([g[k as 'displayName' | 'description' | 'mailNickname']]),
    newValue: JSON.stringify([v]),
  }));
  if (updates.displayName !== undefined) g.displayName = updates.displayName!;
  if (updates.description !== undefined) g.description = updates.description;
  if (updates.mailNickname !== undefined) g.mailNickname = updates.mailNickname!;
  if (modified.length)
    tenant.audit({ activityDisplayName: 'Update group', group: g, actor: actorOf(p), modified }, call.settings);
  return noContent();
}
