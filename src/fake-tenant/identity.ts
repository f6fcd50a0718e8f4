/**
 * The Microsoft identity platform side of the fake tenant: OpenID metadata, signing keys and
 * the v2.0 token endpoint (on-behalf-of and client credentials), answering errors the way
 * Entra ID does (`error`, `error_description` starting with AADSTSnnnn, `error_codes`, …).
 */
import { constants, randomUUID, verify, X509Certificate } from 'node:crypto';
import { jwk, newSigningKey, signJwt, verifyJwt, type Claims, type SigningKey } from './jwt';
import type { SeedApp, Settings, User } from './model';
import type { Tenant } from './tenant';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Teams desktop/web client ids; the SSO token's `azp` in production. */
export const TEAMS_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
const DEFAULT_USER_ROLE = 'b79fbf4d-3ef9-4689-8143-76b194e85509';

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export type Principal =
  | { kind: 'user'; user: User; app: SeedApp; scopes: Set<string>; claims: Claims }
  | { kind: 'app'; app: SeedApp; roles: Set<string>; claims: Claims };

export type TokenProblem = { code: 'InvalidAuthenticationToken'; message: string };

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
    const t = tenantSegment;
    return {
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/${this.tenant.tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'localhost',
      cloud_graph_host_name: 'localhost',
      msgraph_host: 'localhost',
    };
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

  private graphToken(base: string, claims: Claims): { token: string; expiresIn: number } {
    const lifetime = this.getSettings().accessTokenLifetimeSeconds;
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(this.keys[0]!, {
      aud: GRAPH_RESOURCE,
      iss: `${base}/${this.tenant.tenantId}/`,
      iat: now,
      nbf: now,
      exp: now + lifetime,
      tid: this.tenant.tenantId,
      uti: randomUUID(),
      ver: '1.0',
      ...claims,
    });
    return { token, expiresIn: lifetime };
  }

  /** POST /{tenant}/oauth2/v2.0/token */
  token(base: string, tenantSegment: string, form: URLSearchParams, authorization: string | undefined): TokenResult {
    const tenant = this.tenant;
    if (![tenant.tenantId, 'organizations', 'common'].includes(tenantSegment)) {
      return aadError(
        400,
        'invalid_request',
        90002,
        `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
      );
    }
    // client_secret_basic is allowed too.
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    if (authorization?.startsWith('Basic ')) {
      const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
      clientId = clientId ?? decodeURIComponent(id ?? '');
      secret = secret ?? decodeURIComponent(pw ?? '');
    }
    const grantType = form.get('grant_type');
    if (!grantType)
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'grant_type'.",
      );
    if (!clientId)
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_id'.",
      );
    const app = tenant.apps.get(clientId);
    if (!app) {
      return aadError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.organization.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
      );
    }
    const assertion = form.get('client_assertion');
    if (assertion) {
      const problem = this.checkClientAssertion(
        `${base}/${tenantSegment}/oauth2/v2.0/token`,
        app,
        assertion,
        form.get('client_assertion_type'),
      );
      if (problem) return problem;
    } else if (!secret)
      return aadError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      );
    if (!assertion && !app.secrets.includes(secret!)) {
      return aadError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (grantType === 'client_credentials') return this.clientCredentials(base, app, scope);
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.onBehalfOf(base, app, scope, form);
    return aadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    );
  }

  /**
   * A certificate credential: an RS256 (x5t, SHA-1 thumbprint) or PS256 (x5t#S256) JWT signed
   * with the key of a certificate registered on the app, for this token endpoint, not expired.
   */
  private checkClientAssertion(
    endpoint: string,
    app: SeedApp,
    assertion: string,
    type: string | null,
  ): TokenResult | null {
    const bad = (code: number, message: string) => aadError(401, 'invalid_client', code, message);
    if (type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return aadError(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_assertion_type' with the value 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
      );
    const [h, p, sig] = assertion.split('.');
    let header: Record<string, unknown>;
    let claims: Claims;
    try {
      header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8'));
    } catch {
      return bad(700025, 'Client assertion is not a valid JWT.');
    }
    const wanted = header['x5t#S256'] ?? header.x5t;
    const cert = (app.certificates ?? [])
      .map((pem) => new X509Certificate(pem))
      .find((c) => {
        const hex = (header['x5t#S256'] ? c.fingerprint256 : c.fingerprint).replace(/:/g, '');
        return Buffer.from(hex, 'hex').toString('base64url') === wanted;
      });
    if (!cert)
      return bad(
        700027,
        `Client assertion failed signature validation: no certificate with thumbprint '${String(wanted)}' is registered for app '${app.clientId}'.`,
      );
    const data = Buffer.from(`${h}.${p}`);
    const signature = Buffer.from(sig ?? '', 'base64url');
    const ok =
      header.alg === 'RS256'
        ? verify('sha256', data, cert.publicKey, signature)
        : header.alg === 'PS256'
          ? verify(
              'sha256',
              data,
              {
                key: cert.publicKey,
                padding: constants.RSA_PKCS1_PSS_PADDING,
                saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
              },
              signature,
            )
          : false;
    if (!ok) return bad(700027, 'Client assertion failed signature validation.');
    if (claims.iss !== app.clientId || claims.sub !== app.clientId)
      return bad(700023, 'Client assertion issuer and subject must be the client id.');
    if (claims.aud !== endpoint)
      return bad(700027, `Client assertion audience '${String(claims.aud)}' is not this token endpoint.`);
    const now = Math.floor(Date.now() / 1000);
    if (
      typeof claims.exp !== 'number' ||
      claims.exp < now ||
      (typeof claims.nbf === 'number' && claims.nbf > now + 300)
    )
      return bad(700024, 'Client assertion is not within its valid time range.');
    return null;
  }

  private clientCredentials(base: string, app: SeedApp, scope: string): TokenResult {
    const scopes = scope.split(/\s+/).filter(Boolean);
    if (scopes.length !== 1 || !scopes[0]!.endsWith('/.default')) {
      return aadError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const resource = scopes[0]!.slice(0, -'/.default'.length).replace(/\/$/, '');
    if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
      return aadError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${this.tenant.organization.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    const claims: Claims = {
      appid: app.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: app.servicePrincipalId,
      sub: app.servicePrincipalId,
      app_displayname: app.displayName,
    };
    if (app.applicationPermissions.length) claims.roles = [...app.applicationPermissions];
    const { token, expiresIn } = this.graphToken(base, claims);
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
    };
  }

  private onBehalfOf(base: string, app: SeedApp, scope: string, form: URLSearchParams): TokenResult {
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
    const checked = verifyJwt(assertion, this.keys);
    if (!checked.ok) {
      if (checked.problem === 'malformed')
        return aadError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.');
      return aadError(
        400,
        'invalid_grant',
        50013,
        'Assertion failed signature validation. [Reason - The key was not found or the token is not signed by this tenant.]',
      );
    }
    const c = checked.claims;
    const now = Math.floor(Date.now() / 1000);
    if (typeof c.exp !== 'number' || c.exp <= now || (typeof c.nbf === 'number' && c.nbf > now + 300)) {
      return aadError(
        400,
        'invalid_grant',
        500133,
        `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${iso(now)}, expiry time of assertion ${typeof c.exp === 'number' ? iso(c.exp) : 'missing'}.`,
      );
    }
    const accepted = [app.clientId, `api://botid-${app.clientId}`, `api://${app.clientId}`];
    const aud = typeof c.aud === 'string' ? c.aud : '';
    if (!accepted.includes(aud) && !aud.endsWith(`/botid-${app.clientId}`)) {
      return aadError(
        400,
        'invalid_grant',
        50013,
        `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${app.clientId}' or one of the Application Id URIs of this application.`,
      );
    }
    if (c.tid !== this.tenant.tenantId) {
      return aadError(
        400,
        'invalid_grant',
        50013,
        `Assertion failed signature validation. [Reason - The token was issued for tenant '${String(c.tid)}', not this tenant.]`,
      );
    }
    const user = typeof c.oid === 'string' ? this.tenant.users.get(c.oid) : undefined;
    if (!user)
      return aadError(
        400,
        'invalid_grant',
        50034,
        `The user account ${String(c.oid)} does not exist in the ${this.tenant.organization.displayName} directory.`,
      );
    if (!user.accountEnabled) return aadError(400, 'invalid_grant', 50057, 'The user account is disabled.');

    // Requested Graph scopes: ".default" asks for everything consented.
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
          `The resource principal named ${s.replace(/\/[^/]*$/, '')} was not found in the tenant named ${this.tenant.organization.displayName}.`,
        );
      }
      graphScopes.push(m[2]!);
    }
    if (!graphScopes.length)
      return aadError(
        400,
        'invalid_scope',
        70011,
        `The provided request must include a 'scope' input parameter. The provided value for scope '${scope}' is not valid.`,
      );
    const consented = app.delegatedScopes;
    const granted = graphScopes.includes('.default') ? [...consented] : graphScopes;
    if (!granted.length || granted.some((s) => !consented.includes(s))) {
      return aadError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`,
        { suberror: 'consent_required' },
      );
    }
    // Conditional Access stand-in, evaluated on the user's sign-in (the assertion's amr).
    const amr = Array.isArray(c.amr) ? (c.amr as unknown[]) : [];
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
        `Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`,
        {
          suberror: 'basic_action',
          claims: JSON.stringify({
            access_token: { capolids: { essential: true, values: ['a6b1c2d3-0000-4000-8000-00000000c0a1'] } },
          }),
        },
      );
    }
    const { token, expiresIn } = this.graphToken(base, {
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

  /** Validates a bearer token presented to Graph. */
  principal(authorization: string | undefined): Principal | TokenProblem {
    const bad = (message: string): TokenProblem => ({ code: 'InvalidAuthenticationToken', message });
    if (!authorization || !/^Bearer\s+\S/i.test(authorization)) return bad('Access token is empty.');
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    const checked = verifyJwt(token, this.keys);
    if (!checked.ok) {
      if (checked.problem === 'malformed')
        return bad(
          'IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE Compact Serialization Format.',
        );
      return bad('Access token validation failure. Invalid signature.');
    }
    const c = checked.claims;
    if (c.aud !== GRAPH_RESOURCE && c.aud !== GRAPH_APP_ID && c.aud !== `${GRAPH_RESOURCE}/`)
      return bad('Access token validation failure. Invalid audience.');
    if (c.tid !== this.tenant.tenantId) return bad('Access token validation failure. Invalid issuer.');
    const now = Math.floor(Date.now() / 1000);
    if (typeof c.exp !== 'number' || c.exp <= now) return bad('Lifetime validation failed, the token is expired.');
    const app = typeof c.appid === 'string' ? this.tenant.apps.get(c.appid) : undefined;
    if (!app) return bad('Access token validation failure. The application is not registered in this tenant.');
    if (c.idtyp === 'app') {
      return { kind: 'app', app, roles: new Set(Array.isArray(c.roles) ? (c.roles as string[]) : []), claims: c };
    }
    const user = typeof c.oid === 'string' ? this.tenant.users.get(c.oid) : undefined;
    if (!user) return bad('Access token validation failure. The user does not exist in this tenant.');
    const scopes = new Set(typeof c.scp === 'string' ? c.scp.split(' ').filter(Boolean) : []);
    return { kind: 'user', user, app, scopes, claims: c };
  }
}

function iso(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

function aadError(
  status: number,
  error: string,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): TokenResult {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const ts = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...extra,
    },
  };
}
