/**
 * The on-behalf-of grant: the bot trades the user's SSO token for a delegated Graph token,
 * checked as Entra checks it (the assertion, consented scopes, a Conditional Access stand-in).
 */
import { verifyJwt, type Claims } from '../jwt';
import type { SeedApp, User } from '../model';
import { aadError, type TokenResult } from './aad-error';
import { graphToken, type TokenContext } from './graph-token';
import { DEFAULT_USER_ROLE, GRAPH_APP_ID, GRAPH_RESOURCE } from './well-known';

export function onBehalfOf(ctx: TokenContext, app: SeedApp, scope: string, form: URLSearchParams): TokenResult {
  const asserted = assertedUser(ctx, app, form);
  if ('status' in asserted) return asserted;
  const { user, claims: c } = asserted;
  const granted = grantedScopes(ctx, app, scope);
  if (!Array.isArray(granted)) return granted;
  // Conditional Access stand-in, evaluated on the user's sign-in (the assertion's amr).
  const amr = Array.isArray(c.amr) ? (c.amr as unknown[]) : [];
  const refused = conditionalAccess(user, amr);
  if (refused) return refused;
  const { token, expiresIn } = graphToken(ctx, {
    appid: app.clientId,
    app_displayname: app.displayName,
    appidacr: '1',
    idtyp: 'user',
    amr,
    name: user.displayName,
    oid: user.id,
    sub: `graph-${user.id}`,
    upn: user.userPrincipalName,
    unique_name: user.userPrincipalName,
    scp: granted.join(' '),
    wids: [...user.roles, DEFAULT_USER_ROLE],
  });
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      scope: granted.map((s) => `${GRAPH_RESOURCE}/${s}`).join(' '),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
    },
  };
}

/** The user the assertion (the SSO token) names, once its signature, lifetime, audience and tenant hold. */
function assertedUser(
  ctx: TokenContext,
  app: SeedApp,
  form: URLSearchParams,
): { user: User; claims: Claims } | TokenResult {
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    return aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'requested_token_use' with the value 'on_behalf_of'.",
    );
  }
  const assertion = form.get('assertion');
  if (!assertion)
    return aadError(
      400,
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'assertion'.",
    );
  const checked = verifyJwt(assertion, ctx.keys);
  if (!checked.ok) {
    if (checked.problem === 'malformed')
      return aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
    return aadError(
      400,
      'invalid_grant',
      50013,
      'Assertion failed signature validation. ' +
        '[Reason - The key was not found or the token is not signed by this tenant.]',
    );
  }
  const c = checked.claims;
  const now = Math.floor(Date.now() / 1000);
  if (typeof c.exp !== 'number' || c.exp <= now || (typeof c.nbf === 'number' && c.nbf > now + 300)) {
    return aadError(
      400,
      'invalid_grant',
      500133,
      'Assertion is not within its valid time range. Ensure that the access token is not expired before ' +
        'using it for user assertion, or request a new token. ' +
        `Current time: ${iso(now)}, expiry time of assertion ${typeof c.exp === 'number' ? iso(c.exp) : 'missing'}.`,
    );
  }
  const accepted = [app.clientId, `api://botid-${app.clientId}`, `api://${app.clientId}`];
  const aud = typeof c.aud === 'string' ? c.aud : '';
  if (!accepted.includes(aud) && !aud.endsWith(`/botid-${app.clientId}`)) {
    return aadError(
      400,
      'invalid_grant',
      50013,
      'Assertion audience does not match the Client app presenting the assertion. ' +
        `The audience in the assertion was '${aud}' and the expected audience is '${app.clientId}' ` +
        'or one of the Application Id URIs of this application.',
    );
  }
  if (c.tid !== ctx.tenant.tenantId) {
    return aadError(
      400,
      'invalid_grant',
      50013,
      'Assertion failed signature validation. ' +
        `[Reason - The token was issued for tenant '${String(c.tid)}', not this tenant.]`,
    );
  }
  const user = typeof c.oid === 'string' ? ctx.tenant.users.get(c.oid) : undefined;
  if (!user)
    return aadError(
      400,
      'invalid_grant',
      50034,
      `The user account ${String(c.oid)} does not exist in the ${ctx.tenant.organization.displayName} directory.`,
    );
  if (!user.accountEnabled) return aadError(400, 'invalid_grant', 50057, 'The user account is disabled.');
  return { user, claims: c };
}

/** The Graph scopes granted: those asked for (".default" asks for everything consented), all consented. */
function grantedScopes(ctx: TokenContext, app: SeedApp, scope: string): string[] | TokenResult {
  const requested = scope
    .split(/\s+/)
    .filter((s) => s && !['openid', 'profile', 'offline_access', 'email'].includes(s));
  const graphScopes: string[] = [];
  for (const s of requested) {
    const m = /^(https:\/\/graph\.microsoft\.com|00000003-0000-0000-c000-000000000000)\/(.+)$/.exec(s);
    if (!m) {
      return aadError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${s.replace(/\/[^/]*$/, '')} was not found in the tenant named ` +
          `${ctx.tenant.organization.displayName}.`,
      );
    }
    graphScopes.push(m[2]!);
  }
  if (!graphScopes.length)
    return aadError(
      400,
      'invalid_scope',
      70011,
      "The provided request must include a 'scope' input parameter. " +
        `The provided value for scope '${scope}' is not valid.`,
    );
  const consented = app.delegatedScopes;
  const granted = graphScopes.includes('.default') ? [...consented] : graphScopes;
  if (!granted.length || granted.some((s) => !consented.includes(s))) {
    return aadError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${app.clientId}' ` +
        `named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    );
  }
  return granted;
}

/** The user's sign-in requirement: blocked, or MFA the assertion does not show. */
function conditionalAccess(user: User, amr: unknown[]): TokenResult | null {
  if (user.signIn === 'blocked') {
    return aadError(
      400,
      'invalid_grant',
      53003,
      'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      { suberror: 'message_only' },
    );
  }
  if (user.signIn === 'mfa' && !amr.includes('mfa')) {
    return aadError(
      400,
      'invalid_grant',
      50076,
      'Due to a configuration change made by your administrator, or because you moved to a new location, ' +
        `you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
      {
        suberror: 'basic_action',
        claims: JSON.stringify({
          access_token: { capolids: { essential: true, values: ['a6b1c2d3-0000-4000-8000-00000000c0a1'] } },
        }),
      },
    );
  }
  return null;
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}
