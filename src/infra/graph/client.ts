/** Graph clients and credentials: app identity and on-behalf-of a user. */
import {
  ClientCertificateCredential,
  ClientSecretCredential,
  OnBehalfOfCredential,
  type AccessToken,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
  type Context,
  type Middleware,
  type MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import * as azureAuth from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

export interface GraphEndpoint {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  certificatePath?: string;
  /** Identity platform host, e.g. https://login.microsoftonline.com or the fake tenant. */
  authorityHost: string;
  /** Graph base URL, e.g. https://graph.microsoft.com or the fake tenant. */
  graphBaseUrl: string;
  /** Local mode: the authority is not a Microsoft cloud, so no instance discovery. */
  local: boolean;
  /** Deadline of one Graph request (each retry gets its own); DEFAULT_GRAPH_TIMEOUT_MS if unset. */
  timeoutMs?: number;
}

/** How long one Graph request may take before it is abandoned (each retry gets its own). */
const DEFAULT_GRAPH_TIMEOUT_MS = 30_000;
/**
 * The longest Retry-After waited for inside one call (a click or a job step). Longer ones are
 * not slept through here: the call fails as Throttled and the job is retried later, so a
 * throttled tenant cannot hold a click or a worker for minutes.
 */
const MAX_INLINE_RETRY_AFTER_S = 10;
/** Retries of one call after 429, 503 or 504 (the SDK's default is 3, at most 10). */
const MAX_RETRIES = 3;

/** A Graph request that got no answer within its time. */
class GraphTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Microsoft Graph did not answer within ${timeoutMs} ms.`);
    this.name = 'GraphTimeoutError';
  }
}

/**
 * A request's guard (a write under a lease), for `GraphRequest.middlewareOptions`: asked
 * before each attempt is sent; when it throws, nothing more is sent. See WriteGuard.
 */
export class AttemptGuard implements MiddlewareOptions {
  constructor(readonly before: () => Promise<Date>) {}
}

/**
 * Gives each attempt (after the retry handler) its own deadline; with an AttemptGuard, the
 * attempt is sent only once the guard allows it, and must end by the instant it returns.
 */
class TimeoutHandler implements Middleware {
  private next?: Middleware;
  constructor(private readonly ms: number) {}
  async execute(context: Context): Promise<void> {
    const guard = context.middlewareControl?.getMiddlewareOptions(AttemptGuard) as AttemptGuard | undefined;
    const ms = guard ? Math.max(1, Math.min(this.ms, (await guard.before()).getTime() - Date.now())) : this.ms;
    const signal = AbortSignal.timeout(ms);
    context.options = { ...(context.options ?? {}), signal } as Context['options'];
    try {
      await this.next!.execute(context);
    } catch (e) {
      if (signal.aborted) throw new GraphTimeoutError(ms);
      throw e;
    }
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function retryAfterSeconds(response: Response | undefined): number {
  const v = response?.headers?.get('Retry-After');
  if (v === null || v === undefined) return 0;
  const n = Number(v);
  return Number.isNaN(n) ? Math.max(0, (new Date(v).getTime() - Date.now()) / 1000) : n;
}

export function graphClient(endpoint: GraphEndpoint, credential: TokenCredential): Client {
  const timeoutMs = endpoint.timeoutMs ?? DEFAULT_GRAPH_TIMEOUT_MS;
  const host = new URL(endpoint.graphBaseUrl).hostname;
  // The SDK's default chain, with a deadline per attempt and a bound on Retry-After.
  const retry = new RetryHandlerOptions(
    1,
    MAX_RETRIES,
    (_delay, _attempt, _request, _options, response) => retryAfterSeconds(response) <= MAX_INLINE_RETRY_AFTER_S,
  );
  const middleware: Middleware[] = [
    new AuthenticationHandler(
      new azureAuth.TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_DEFAULT_SCOPE] }),
    ),
    new RetryHandler(retry),
    new RedirectHandler(new RedirectHandlerOptions()),
    new TelemetryHandler(),
    new TimeoutHandler(timeoutMs),
    new HTTPMessageHandler(),
  ];
  return Client.initWithMiddleware({
    baseUrl: endpoint.graphBaseUrl.replace(/\/$/, ''),
    ...(host !== 'graph.microsoft.com' ? { customHosts: new Set([host]) } : {}),
    middleware,
  });
}

/** A certificate wins over a secret when both are configured (rotating from one to the other). */
function secretOrCertificate(endpoint: GraphEndpoint): { clientSecret: string } | { certificatePath: string } {
  if (endpoint.certificatePath) return { certificatePath: endpoint.certificatePath };
  if (endpoint.clientSecret) return { clientSecret: endpoint.clientSecret };
  throw new Error('No client secret or certificate configured for the Graph app identity.');
}

export function appCredential(endpoint: GraphEndpoint): TokenCredential {
  const cred = secretOrCertificate(endpoint);
  const options = { authorityHost: endpoint.authorityHost, disableInstanceDiscovery: endpoint.local };
  if ('clientSecret' in cred)
    return new ClientSecretCredential(endpoint.tenantId, endpoint.clientId, cred.clientSecret, options);
  // The PEM file holds the private key and the certificate; the public part is registered on the app.
  return new ClientCertificateCredential(
    endpoint.tenantId,
    endpoint.clientId,
    { certificatePath: cred.certificatePath },
    options,
  );
}

/**
 * Keeps the token a credential returned until five minutes before it expires. Needed for
 * on-behalf-of: OnBehalfOfCredential (@azure/identity 4.13) runs the exchange again on every
 * getToken, even on the same instance; one exchange per assertion is enough.
 */
function reusingTokens(inner: TokenCredential): TokenCredential {
  const cache = new Map<string, AccessToken>();
  const pending = new Map<string, Promise<AccessToken | null>>();
  return {
    async getToken(scopes, options) {
      const key = [scopes].flat().join(' ');
      const hit = cache.get(key);
      if (hit && hit.expiresOnTimestamp - 5 * 60_000 > Date.now()) return hit;
      // Concurrent callers share one exchange.
      let p = pending.get(key);
      if (!p) {
        p = inner.getToken(scopes, options).finally(() => pending.delete(key));
        pending.set(key, p);
      }
      const token = await p;
      if (token) cache.set(key, token);
      else cache.delete(key);
      return token;
    },
  };
}

/**
 * What Entra ID said when it refused a token: its AADSTS codes and, for Conditional Access,
 * the claims challenge (a JSON string, as the token endpoint returns it). Never logged.
 */
export interface TokenRefusal {
  codes: number[];
  claims?: string;
}

type PipelinePolicy = NonNullable<TokenCredentialOptions['additionalPolicies']>[number]['policy'];

/**
 * @azure/identity keeps only the message of a refused token request (no claims challenge), so
 * the token endpoint's answer is read on its way through the credential's HTTP pipeline.
 */
function refusalRecorder(): { policy: PipelinePolicy; last: () => TokenRefusal | null } {
  let last: TokenRefusal | null = null;
  const policy: PipelinePolicy = {
    name: 'soaTokenRefusal',
    async sendRequest(request, next) {
      const response = await next(request);
      if (!/\/oauth2\/v2\.0\/token$/.test(new URL(request.url).pathname)) return response;
      last = null;
      if (response.status >= 400) {
        try {
          const body = JSON.parse(response.bodyAsText ?? '') as { error_codes?: unknown; claims?: unknown };
          const codes = Array.isArray(body.error_codes) ? body.error_codes.filter((c) => typeof c === 'number') : [];
          last = { codes, ...(typeof body.claims === 'string' && body.claims ? { claims: body.claims } : {}) };
        } catch {
          last = { codes: [] };
        }
      }
      return response;
    },
  };
  return { policy, last: () => last };
}

/** The refusal each on-behalf-of client's credential last met (see tokenRefusal). */
const refusals = new WeakMap<Client, () => TokenRefusal | null>();

/** What Entra ID said when it last refused this on-behalf-of client a token; null if it did not. */
export function tokenRefusal(client: Client): TokenRefusal | null {
  return refusals.get(client)?.() ?? null;
}

/** A Graph client acting for the user of `assertion`, which remembers how Entra ID refused it. */
export function oboGraphClient(endpoint: GraphEndpoint, assertion: string): Client {
  const recorder = refusalRecorder();
  const client = graphClient(endpoint, oboCredential(endpoint, assertion, recorder.policy));
  refusals.set(client, recorder.last);
  return client;
}

/** One credential per user assertion: the assertion is fixed when the credential is built. */
export function oboCredential(endpoint: GraphEndpoint, assertion: string, policy?: PipelinePolicy): TokenCredential {
  const base = {
    tenantId: endpoint.tenantId,
    clientId: endpoint.clientId,
    userAssertionToken: assertion,
    authorityHost: endpoint.authorityHost,
    // Honoured at run time (AuthorityValidationOptions); not in the constructor's literal types.
    disableInstanceDiscovery: endpoint.local,
    ...(policy ? { additionalPolicies: [{ policy, position: 'perCall' as const }] } : {}),
  };
  const cred = secretOrCertificate(endpoint);
  return reusingTokens(
    'clientSecret' in cred
      ? new OnBehalfOfCredential({ ...base, clientSecret: cred.clientSecret } as typeof base & { clientSecret: string })
      : new OnBehalfOfCredential({ ...base, certificatePath: cred.certificatePath } as typeof base & {
          certificatePath: string;
        }),
  );
}
