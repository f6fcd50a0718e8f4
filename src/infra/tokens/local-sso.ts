/**
 * Local mode only: the fake tenant's stand-in for the Teams SSO token of a user. Everything
 * after this (the on-behalf-of exchange onward) is the production path.
 */
import { CodedError } from '../../domain/errors';
import type { Person } from '../../domain/request';
import type { UserTokenSource } from '../../ports/tokens';

/** Teams keeps a user's SSO token until it nears expiry; the stand-in does the same. */
const REUSE_UNTIL_MS_BEFORE_EXPIRY = 5 * 60_000;

export class LocalSsoTokenSource implements UserTokenSource {
  private readonly cache = new Map<string, { token: string; exp: number }>();

  constructor(private readonly fakeTenantUrl: string) {}

  async assertionFor(user: Person): Promise<string> {
    const hit = this.cache.get(user.id);
    if (hit && hit.exp - REUSE_UNTIL_MS_BEFORE_EXPIRY > Date.now()) return hit.token;
    const token = await this.mint(user);
    try {
      const exp = Number(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')).exp) * 1000;
      if (Number.isFinite(exp)) this.cache.set(user.id, { token, exp });
    } catch {
      // Not a JWT we can read: use it once.
    }
    return token;
  }

  /** A sign-in failure: the next call asks the tenant again (as Teams would after a new sign-in). */
  forget(user: Person): void {
    this.cache.delete(user.id);
  }

  private async mint(user: Person): Promise<string> {
    const res = await fetch(`${this.fakeTenantUrl}/_fake/sso-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oid: user.id }),
    });
    if (res.status === 404)
      throw new CodedError('Unauthorized', `The local tenant has no user ${user.name} (${user.id}).`);
    if (!res.ok)
      throw new CodedError('Unauthorized', `The local tenant did not issue a sign-in token (HTTP ${res.status}).`);
    return ((await res.json()) as { token: string }).token;
  }
}
