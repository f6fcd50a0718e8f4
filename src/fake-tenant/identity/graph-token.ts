/** Access tokens for Microsoft Graph, as both grants issue them. */
import { randomUUID } from 'node:crypto';
import { signJwt, type Claims, type SigningKey } from '../jwt';
import type { Settings } from '../model';
import type { Tenant } from '../tenant';
import { GRAPH_RESOURCE } from './well-known';

/** What the token endpoint works with for one request. */
export interface TokenContext {
  /** The https origin the caller used. */
  base: string;
  tenant: Tenant;
  settings: Settings;
  /** The tenant's signing keys; the first one signs. */
  keys: SigningKey[];
}

export function graphToken(ctx: TokenContext, claims: Claims): { token: string; expiresIn: number } {
  const lifetime = ctx.settings.accessTokenLifetimeSeconds;
  const now = Math.floor(Date.now() / 1000);
  const token = signJwt(ctx.keys[0]!, {
    aud: GRAPH_RESOURCE,
    iss: `${ctx.base}/${ctx.tenant.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    tid: ctx.tenant.tenantId,
    uti: randomUUID(),
    ver: '1.0',
    ...claims,
  });
  return { token, expiresIn: lifetime };
}
