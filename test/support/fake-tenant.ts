/** Test helpers: an in-process fake tenant and real credential + Graph clients against it. */
import type { Seed } from '../../src/fake-tenant/model';
import { ClientSecretCredential, OnBehalfOfCredential } from '@azure/identity';
import { Client, type ClientOptions } from '@microsoft/microsoft-graph-client';
import * as tokenAuth from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';
import { startFakeTenant, type FakeTenant, type FakeTenantOptions } from '../../src/fake-tenant/server';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET } from '../../src/fake-tenant/seed';

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/**
 * The tenant as a Graph client with broad delegated consent sees it (the fake tenant's own
 * tests read groups, users and audits with a user token). The bot's consent stays least privilege.
 */
export function withBroadConsent(seed: Seed): Seed {
  for (const app of seed.apps)
    app.delegatedScopes = [
      ...new Set([...app.delegatedScopes, 'Group.Read.All', 'Directory.Read.All', 'AuditLog.Read.All']),
    ];
  return seed;
}

export async function startTestTenant(options: FakeTenantOptions = {}): Promise<FakeTenant> {
  return startFakeTenant({ port: 0, ...options, settings: { auditDelayMs: 0, ...(options.settings ?? {}) } });
}

/** Calls the local-only admin API (plain HTTPS: it is not part of Graph). */
export async function admin<T = unknown>(
  ft: FakeTenant,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${ft.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function ssoToken(ft: FakeTenant, oid: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await admin<{ token: string }>(ft, 'POST', '/_fake/sso-token', { oid, ...extra });
  if (r.status !== 200) throw new Error(`sso-token failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

export function oboCredential(
  ft: FakeTenant,
  assertion: string,
  clientSecret = LOCAL_BOT_SECRET,
  clientId = LOCAL_BOT_APP_ID,
): OnBehalfOfCredential {
  // disableInstanceDiscovery is honoured at run time (OnBehalfOfCredentialOptions includes
  // AuthorityValidationOptions) but missing from the constructor overloads' literal types.
  const options = {
    tenantId: ft.tenantId,
    clientId,
    clientSecret,
    userAssertionToken: assertion,
    authorityHost: ft.url,
    disableInstanceDiscovery: true,
  };
  return new OnBehalfOfCredential(options);
}

export function appCredential(
  ft: FakeTenant,
  clientSecret = LOCAL_BOT_SECRET,
  clientId = LOCAL_BOT_APP_ID,
): ClientSecretCredential {
  return new ClientSecretCredential(ft.tenantId, clientId, clientSecret, {
    authorityHost: ft.url,
    disableInstanceDiscovery: true,
  });
}

export function graphClient(
  ft: FakeTenant,
  credential: OnBehalfOfCredential | ClientSecretCredential,
  extra: Partial<ClientOptions> = {},
): Client {
  return Client.initWithMiddleware({
    baseUrl: ft.url,
    customHosts: new Set(['localhost']),
    authProvider: new tokenAuth.TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_SCOPE] }),
    ...extra,
  });
}

/** A Graph client acting as the user `oid` through the bot's on-behalf-of exchange. */
export async function graphAs(ft: FakeTenant, oid: string, ssoExtra: Record<string, unknown> = {}): Promise<Client> {
  return graphClient(ft, oboCredential(ft, await ssoToken(ft, oid, ssoExtra)));
}

/** Rejects unless `fn` throws; returns what it threw. */
export async function rejection(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Polls until `check` returns a value, for state that appears after a documented delay. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, everyMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
