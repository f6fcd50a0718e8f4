/** Who a bearer token presented to Graph stands for: a user through an app, or an app alone. */
import { verifyJwt, type Claims, type SigningKey } from '../jwt';
import type { SeedApp, User } from '../model';
import type { Tenant } from '../tenant';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from './well-known';

export type Principal =
  | { kind: 'user'; user: User; app: SeedApp; scopes: Set<string>; claims: Claims }
  | { kind: 'app'; app: SeedApp; roles: Set<string>; claims: Claims };

export type TokenProblem = { code: 'InvalidAuthenticationToken'; message: string };

/** Validates a bearer token presented to Graph. */
export function principalOf(
  tenant: Tenant,
  keys: SigningKey[],
  authorization: string | undefined,
): Principal | TokenProblem {
  const bad = (message: string): TokenProblem => ({ code: 'InvalidAuthenticationToken', message });
  if (!authorization || !/^Bearer\s+\S/i.test(authorization)) return bad('Access token is empty.');
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const checked = verifyJwt(token, keys);
  if (!checked.ok) {
    if (checked.problem === 'malformed')
      return bad(
        'IDX14100: JWT is not well formed, there are no dots (.). ' +
          'The token needs to be in JWS or JWE Compact Serialization Format.',
      );
    return bad('Access token validation failure. Invalid signature.');
  }
  const c = checked.claims;
  if (c.aud !== GRAPH_RESOURCE && c.aud !== GRAPH_APP_ID && c.aud !== `${GRAPH_RESOURCE}/`)
    return bad('Access token validation failure. Invalid audience.');
  if (c.tid !== tenant.tenantId) return bad('Access token validation failure. Invalid issuer.');
  const now = Math.floor(Date.now() / 1000);
  if (typeof c.exp !== 'number' || c.exp <= now) return bad('Lifetime validation failed, the token is expired.');
  const app = typeof c.appid === 'string' ? tenant.apps.get(c.appid) : undefined;
  if (!app) return bad('Access token validation failure. The application is not registered in this tenant.');
  if (c.idtyp === 'app') {
    return { kind: 'app', app, roles: new Set(Array.isArray(c.roles) ? (c.roles as string[]) : []), claims: c };
  }
  const user = typeof c.oid === 'string' ? tenant.users.get(c.oid) : undefined;
  if (!user) return bad('Access token validation failure. The user does not exist in this tenant.');
  const scopes = new Set(typeof c.scp === 'string' ? c.scp.split(' ').filter(Boolean) : []);
  return { kind: 'user', user, app, scopes, claims: c };
}
