/**
 * The identity platform's HTTP endpoints under /{tenant}/: OpenID discovery, signing keys and
 * the token endpoint, with the tenant's latency and injected faults, and the token request log.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { takeFault, type Fault } from '../faults';
import { jsonReply, type HttpReply } from '../http';
import type { Settings } from '../model';
import type { Tenant } from '../tenant';
import type { Identity } from './identity';

/** One call of the token endpoint (GET /_fake/token-requests): how often the bot exchanges tokens. */
export interface TokenLogEntry {
  at: string;
  grantType: string;
  clientId: string;
  status: number;
}

export interface IdentityRoutesContext {
  tenant: () => Tenant;
  settings: Settings;
  faults: Fault[];
  identity: Identity;
  tokenLog: TokenLogEntry[];
}

/** An identity endpoint named by a path: the tenant segment and what follows it. */
export interface IdentityPath {
  tenantSegment: string;
  endpoint: string;
}

const ENDPOINTS = [
  'v2\\.0/\\.well-known/openid-configuration',
  'discovery/v2\\.0/keys',
  'discovery/keys',
  'oauth2/v2\\.0/token',
];
const IDENTITY_PATH = new RegExp(`^/([^/]+)/(${ENDPOINTS.join('|')})$`);
const MAX_TOKEN_LOG = 10_000;

/** The identity endpoint a path names, or null. */
export function identityPath(path: string): IdentityPath | null {
  const m = IDENTITY_PATH.exec(path);
  return m ? { tenantSegment: m[1]!, endpoint: m[2]! } : null;
}

export async function handleIdentity(
  ctx: IdentityRoutesContext,
  { tenantSegment, endpoint }: IdentityPath,
  request: { method: string; path: string; headers: IncomingHttpHeaders; body: string | undefined; origin: string },
): Promise<HttpReply> {
  const { method, path, headers, body, origin } = request;
  if (ctx.settings.latencyMs > 0) await sleep(ctx.settings.latencyMs);
  const fault = takeFault(ctx.faults, path, method);
  if (fault) {
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status) return faultReply(fault);
  }
  const known = [ctx.tenant().tenantId, 'organizations', 'common'].includes(tenantSegment);
  if (endpoint.startsWith('v2.0/.well-known')) {
    if (!known)
      return jsonReply(400, {
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${tenantSegment}' not found.`,
        error_codes: [90002],
      });
    return jsonReply(200, ctx.identity.metadata(origin, tenantSegment));
  }
  if (endpoint.includes('keys')) return jsonReply(200, ctx.identity.jwks());
  if (method !== 'POST')
    return jsonReply(405, {
      error: 'invalid_request',
      error_description: 'AADSTS900561: The endpoint only accepts POST requests.',
      error_codes: [900561],
    });
  const ct = String(headers['content-type'] ?? '');
  if (!ct.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return jsonReply(400, {
      error: 'invalid_request',
      error_description: "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
      error_codes: [900144],
    });
  }
  const form = new URLSearchParams(body ?? '');
  const result = ctx.identity.token(origin, tenantSegment, form, headers.authorization);
  ctx.tokenLog.push({
    at: new Date().toISOString(),
    grantType: form.get('grant_type') ?? '',
    clientId: form.get('client_id') ?? '',
    status: result.status,
  });
  if (ctx.tokenLog.length > MAX_TOKEN_LOG) ctx.tokenLog.shift();
  return {
    status: result.status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' },
    body: result.body,
  };
}

function faultReply(fault: Fault): HttpReply {
  const headers: Record<string, string> =
    fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
  return {
    status: fault.status!,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: {
      error: 'temporarily_unavailable',
      error_description: `AADSTS90033: Injected fault (${fault.status}).`,
      error_codes: [90033],
    },
  };
}
