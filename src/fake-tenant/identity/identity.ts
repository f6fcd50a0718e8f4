/**
 * The Microsoft identity platform side of the fake tenant: OpenID metadata, signing keys, the
 * v2.0 token endpoint (on-behalf-of and client credentials), SSO tokens as Teams would hand them
 * to the bot, and the check of bearer tokens presented to Graph.
 */
import { randomUUID } from 'node:crypto';
import { jwk, newSigningKey, signJwt, type SigningKey } from '../jwt';
import type { Settings } from '../model';
import type { Tenant } from '../tenant';
import type { TokenResult } from './aad-error';
import type { TokenContext } from './graph-token';
import { openIdConfiguration } from './metadata';
import { principalOf, type Principal, type TokenProblem } from './principal';
import { tokenRequest } from './token';
import { TEAMS_CLIENT_ID } from './well-known';

export class Identity {
  readonly keys: SigningKey[] = [newSigningKey()];

  constructor(
    private readonly getTenant: () => Tenant,
    private readonly getSettings: () => Settings,
  ) {}

  private get tenant(): Tenant {
    return this.getTenant();
  }

  issuer(base: string): string {
    return `${base}/${this.tenant.tenantId}/v2.0`;
  }

  /** OpenID Connect discovery document; `base` is the https origin the caller used. */
  metadata(base: string, tenantSegment: string): Record<string, unknown> {
    return openIdConfiguration(base, tenantSegment, this.tenant.tenantId);
  }

  jwks(): Record<string, unknown> {
    return { keys: this.keys.map(jwk) };
  }

  /**
   * The stand-in for the token Teams SSO gives the bot: audience = the bot's app id,
   * scope access_as_user. `lifetimeSeconds` may be negative to mint an expired one.
   */
  ssoToken(
    base: string,
    oid: string,
    opts: { lifetimeSeconds?: number; mfa?: boolean; audience?: string } = {},
  ): string {
    const user = this.tenant.users.get(oid);
    if (!user) throw new Error(`No user with id '${oid}'.`);
    const bot = [...this.tenant.apps.values()][0];
    if (!bot) throw new Error('The tenant has no app registration.');
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (opts.lifetimeSeconds ?? 3600);
    return signJwt(this.keys[0]!, {
      aud: opts.audience ?? bot.clientId,
      iss: this.issuer(base),
      iat: Math.min(now, exp - 1),
      nbf: Math.min(now, exp - 1),
      exp,
      azp: TEAMS_CLIENT_ID,
      azpacr: '0',
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      scp: 'access_as_user',
      sub: `sub-${user.id}`,
      tid: this.tenant.tenantId,
      amr: opts.mfa ? ['pwd', 'mfa'] : ['pwd'],
      uti: randomUUID(),
      ver: '2.0',
    });
  }

  /** POST /{tenant}/oauth2/v2.0/token */
  token(base: string, tenantSegment: string, form: URLSearchParams, authorization: string | undefined): TokenResult {
    const ctx: TokenContext = { base, tenant: this.tenant, settings: this.getSettings(), keys: this.keys };
    return tokenRequest(ctx, tenantSegment, form, authorization);
  }

  /** Validates a bearer token presented to Graph. */
  principal(authorization: string | undefined): Principal | TokenProblem {
    return principalOf(this.tenant, this.keys, authorization);
  }
}
