/** Graph's permission checks: delegated scopes or application roles, then directory roles for delegated calls. */
import type { Principal } from '../identity/principal';
import { fail } from './errors';

export const GROUP_READ = [
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
];
export const GROUP_WRITE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
export const SOA_SCOPE = ['Group-OnPremisesSyncBehavior.ReadWrite.All'];
export const AUDIT_READ = ['AuditLog.Read.All'];
export const ORG_READ_DELEGATED = [
  'User.Read',
  'User.ReadWrite',
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const ORG_READ_APP = [
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const ME_READ = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
/** /me/memberOf and /me/transitiveMemberOf (delegated only). */
export const ME_MEMBERSHIP_READ = [
  'User.Read',
  'GroupMember.Read.All',
  'Group.Read.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
export const USER_READ = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

/** Scope (delegated) or app role (application) check, then directory role for delegated. */
export function requirePermission(p: Principal, delegated: string[], application: string[], roles?: string[]): void {
  if (p.kind === 'user') {
    if (!delegated.some((s) => p.scopes.has(s))) throw fail.denied();
    if (roles && !p.user.roles.some((r) => roles.includes(r))) throw fail.denied();
  } else if (!application.some((s) => p.roles.has(s))) {
    throw fail.denied();
  }
}
