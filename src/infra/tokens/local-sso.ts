/**
 * Local mode only: the fake tenant's stand-in for the Teams SSO token of a user. Everything
 * after this (the on-behalf-of exchange onward) is the production path.
 */
import { CodedError } from '../../domain/errors';
import type { Person } from '../../domain/request';
import type { UserTokenSource } from '../../ports/tokens';

export class LocalSsoTokenSource implements UserTokenSource {
  constructor(private readonly fakeTenantUrl: string) {}

  async assertionFor(user: Person): Promise<string> {
    const res = await fetch(`${this.fakeTenantUrl}/_fake/sso-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oid: user.id }),
    });
    if (res.status === 404) throw new CodedError('Unauthorized', `The local tenant has no user ${user.name} (${user.id}).`);
    if (!res.ok) throw new CodedError('Unauthorized', `The local tenant did not issue a sign-in token (HTTP ${res.status}).`);
    return ((await res.json()) as { token: string }).token;
  }
}
