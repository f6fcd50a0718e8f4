/**
 * The fake tenant's HTTPS server: identity endpoints, Microsoft Graph, and the local-only
 * admin API under /_fake used by tests and demos.
 */
import { X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureLocalCa, issueServerCert } from './certs';
import type { Fault } from './faults';
import { GraphApi } from './graph/api';
import { errorResponse } from './graph/errors';
import type { RequestLogEntry } from './graph/request-log';
import { JSON_TYPE, type HttpReply } from './http';
import { Identity } from './identity/identity';
import { ChannelAuthority, CHANNEL_KEYS_PATH, CHANNEL_METADATA_PATH } from './channel';
import { DEFAULT_SETTINGS, type Seed, type Settings } from './model';
import { defaultSeed, largeSeed, type LargeSeedOptions } from './seed';
import { isObjectId, SeedError, Tenant } from './tenant';

export interface FakeTenantOptions {
  /** 0 picks a free port. Default 3979. */
  port?: number;
  host?: string;
  seed?: Seed;
  settings?: Partial<Settings>;
  /** Folder of the local CA (defaults to .local/ca or LOCAL_CA_DIR). */
  caDir?: string;
}

export interface FakeTenant {
  /** `https://localhost:{port}` */
  url: string;
  port: number;
  tenantId: string;
  /** The CA that signed the server certificate (PEM). */
  caCertPem: string;
  caCertPath: string;
  /** Current state, for in-process tests. Replaced on reset. */
  readonly tenant: Tenant;
  readonly settings: Settings;
  readonly requests: RequestLogEntry[];
  reset(seed?: Seed): void;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

export async function startFakeTenant(options: FakeTenantOptions = {}): Promise<FakeTenant> {
  const ca = ensureLocalCa(options.caDir);
  const cert = issueServerCert(ca);
  let tenant = new Tenant(options.seed ?? defaultSeed());
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) };
  const faults: Fault[] = [];
  /** Token endpoint calls (grant type, client, status): how often the bot exchanges tokens. */
  const tokenLog: Array<{ at: string; grantType: string; clientId: string; status: number }> = [];
  const log: RequestLogEntry[] = [];
  const identity = new Identity(
    () => tenant,
    () => settings,
  );
  const channel = new ChannelAuthority();
  const graph = new GraphApi({ tenant: () => tenant, settings: () => settings, identity, faults, log });
  let syncTimer: NodeJS.Timeout | null = null;

  const scheduleSync = () => {
    if (syncTimer) clearInterval(syncTimer);
    syncTimer = null;
    if (settings.syncIntervalMs > 0) {
      syncTimer = setInterval(() => tenant.runSyncCycle(), settings.syncIntervalMs);
      syncTimer.unref();
    }
  };
  scheduleSync();

  const reset = (seed?: Seed) => {
    tenant = new Tenant(seed ?? defaultSeed());
    faults.length = 0;
    log.length = 0;
  };

  const server: Server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    handle(req, res).catch((e) => {
      console.error('fake-tenant: request failed', e instanceof Error ? e.message : e);
      if (!res.headersSent)
        send(res, errorResponse(500, 'generalException', 'An internal error occurred in the local tenant.'));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = `https://${req.headers.host ?? `localhost:${port}`}`;
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    let body: string | undefined;
    try {
      body = await readBody(req);
    } catch {
      return send(res, errorResponse(413, 'Request_EntityTooLarge', 'The request body is too large.'));
    }
    const path = url.pathname;

    if (path.startsWith('/_fake/')) return send(res, await admin(method, path, body, origin));
    if (path === CHANNEL_METADATA_PATH && method === 'GET')
      return send(res, jsonResponse(200, channel.metadata(origin)));
    if (path === CHANNEL_KEYS_PATH && method === 'GET') return send(res, jsonResponse(200, channel.jwks()));

    // Identity: /{tenant}/v2.0/.well-known/openid-configuration, keys, token.
    const idm =
      /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|discovery\/keys|oauth2\/v2\.0\/token)$/.exec(
        path,
      );
    if (idm) {
      const [, tenantSegment, what] = idm as unknown as [string, string, string];
      if (settings.latencyMs > 0) await sleep(settings.latencyMs);
      const fault = faults.find(
        (f) => f.count > 0 && f.match.test(path) && (!f.method || f.method.toUpperCase() === method),
      );
      if (fault) {
        fault.count -= 1;
        if (fault.delayMs) await sleep(fault.delayMs);
        if (fault.status) {
          const headers: Record<string, string> =
            fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
          return send(res, {
            status: fault.status,
            headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
            body: {
              error: 'temporarily_unavailable',
              error_description: `AADSTS90033: Injected fault (${fault.status}).`,
              error_codes: [90033],
            },
          });
        }
      }
      const known = [tenant.tenantId, 'organizations', 'common'].includes(tenantSegment);
      if (what.startsWith('v2.0/.well-known')) {
        if (!known)
          return send(
            res,
            jsonResponse(400, {
              error: 'invalid_tenant',
              error_description: `AADSTS90002: Tenant '${tenantSegment}' not found.`,
              error_codes: [90002],
            }),
          );
        return send(res, jsonResponse(200, identity.metadata(origin, tenantSegment)));
      }
      if (what.includes('keys')) return send(res, jsonResponse(200, identity.jwks()));
      if (method !== 'POST')
        return send(
          res,
          jsonResponse(405, {
            error: 'invalid_request',
            error_description: 'AADSTS900561: The endpoint only accepts POST requests.',
            error_codes: [900561],
          }),
        );
      const ct = String(req.headers['content-type'] ?? '');
      if (!ct.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
        return send(
          res,
          jsonResponse(400, {
            error: 'invalid_request',
            error_description: "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
            error_codes: [900144],
          }),
        );
      }
      const form = new URLSearchParams(body ?? '');
      const result = identity.token(origin, tenantSegment, form, req.headers.authorization);
      tokenLog.push({
        at: new Date().toISOString(),
        grantType: form.get('grant_type') ?? '',
        clientId: form.get('client_id') ?? '',
        status: result.status,
      });
      if (tokenLog.length > 10_000) tokenLog.shift();
      return send(res, {
        status: result.status,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store, no-cache' },
        body: result.body,
      });
    }

    if (path.startsWith('/v1.0/') || path.startsWith('/beta/') || path === '/v1.0' || path === '/beta') {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      const r = await graph.handle({ method, path, query: url.searchParams, headers, body, origin });
      return send(res, r);
    }
    return send(res, errorResponse(400, 'BadRequest', `Invalid version: the path must start with /v1.0 or /beta.`));
  }

  async function admin(method: string, path: string, body: string | undefined, origin: string): Promise<HttpReply> {
    const parse = (): Record<string, unknown> | null => {
      if (!body || !body.trim()) return null;
      const v = JSON.parse(body) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SyntaxError('not an object');
      return v as Record<string, unknown>;
    };
    let input: Record<string, unknown> | null;
    try {
      input = parse();
    } catch {
      return adminError(400, 'The body must be a JSON object.');
    }
    const route = `${method} ${path}`;
    try {
      if (route === 'POST /_fake/reset') {
        if (!input) reset();
        else if (input.generate && typeof input.generate === 'object')
          reset(largeSeed(input.generate as LargeSeedOptions));
        else reset(input as unknown as Seed);
        return jsonResponse(200, { tenantId: tenant.tenantId, users: tenant.users.size, groups: tenant.groups.size });
      }
      if (route === 'POST /_fake/sync') return jsonResponse(200, tenant.runSyncCycle());
      if (route === 'GET /_fake/sync') return jsonResponse(200, { history: tenant.syncHistory });
      if (route === 'GET /_fake/requests') return jsonResponse(200, log);
      if (route === 'GET /_fake/token-requests') return jsonResponse(200, tokenLog);
      if (route === 'DELETE /_fake/token-requests') {
        tokenLog.length = 0;
        return { status: 204, headers: {} };
      }
      if (route === 'DELETE /_fake/requests') {
        log.length = 0;
        return { status: 204, headers: {} };
      }
      if (route === 'GET /_fake/settings') return jsonResponse(200, settings);
      if (route === 'PUT /_fake/settings') {
        const problems = applySettings(settings, input ?? {});
        if (problems.length) return adminError(400, problems.join('; '));
        scheduleSync();
        return jsonResponse(200, settings);
      }
      if (route === 'POST /_fake/faults') {
        const f = input ?? {};
        if (typeof f.match !== 'string' || !f.match)
          return adminError(400, "'match' (a regular expression on the path) is required.");
        let match: RegExp;
        try {
          match = new RegExp(f.match);
        } catch {
          return adminError(400, `'match' is not a valid regular expression: ${f.match}`);
        }
        const count = f.count === undefined ? 1 : f.count;
        if (!Number.isInteger(count) || (count as number) < 1)
          return adminError(400, "'count' must be a positive integer.");
        if (
          f.status !== undefined &&
          (!Number.isInteger(f.status) || (f.status as number) < 400 || (f.status as number) > 599)
        )
          return adminError(400, "'status' must be an HTTP error status (400-599).");
        if (f.retryAfter !== undefined && (typeof f.retryAfter !== 'number' || f.retryAfter < 0))
          return adminError(400, "'retryAfter' must be a number of seconds.");
        if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0 || f.delayMs > 120_000))
          return adminError(400, "'delayMs' must be between 0 and 120000.");
        if (f.status === undefined && f.delayMs === undefined)
          return adminError(400, "Give 'status', 'delayMs' or both.");
        if (f.method !== undefined && typeof f.method !== 'string')
          return adminError(400, "'method' must be a string.");
        const fault: Fault = {
          match,
          method: f.method as string | undefined,
          status: f.status as number | undefined,
          retryAfter: f.retryAfter as number | undefined,
          delayMs: f.delayMs as number | undefined,
          count: count as number,
        };
        faults.push(fault);
        return jsonResponse(201, {
          match: f.match,
          method: fault.method ?? null,
          status: fault.status ?? null,
          retryAfter: fault.retryAfter ?? null,
          delayMs: fault.delayMs ?? null,
          count: fault.count,
        });
      }
      if (route === 'DELETE /_fake/faults') {
        faults.length = 0;
        return { status: 204, headers: {} };
      }
      if (route === 'GET /_fake/faults')
        return jsonResponse(
          200,
          faults.map((f) => ({
            match: f.match.source,
            method: f.method ?? null,
            status: f.status ?? null,
            retryAfter: f.retryAfter ?? null,
            delayMs: f.delayMs ?? null,
            remaining: f.count,
          })),
        );
      if (route === 'POST /_fake/channel-token') {
        const { audience, serviceUrl, lifetimeSeconds } = input ?? {};
        if (typeof audience !== 'string' || !audience)
          return adminError(400, "'audience' (the bot's app id) is required.");
        if (typeof serviceUrl !== 'string' || !serviceUrl) return adminError(400, "'serviceUrl' is required.");
        if (lifetimeSeconds !== undefined && typeof lifetimeSeconds !== 'number')
          return adminError(400, "'lifetimeSeconds' must be a number.");
        return jsonResponse(200, {
          token: channel.token({
            audience,
            serviceUrl,
            ...(lifetimeSeconds !== undefined ? { lifetimeSeconds: lifetimeSeconds as number } : {}),
          }),
        });
      }
      if (route === 'POST /_fake/sso-token') {
        const oid = input?.oid;
        if (typeof oid !== 'string' || !oid) return adminError(400, "'oid' is required.");
        if (!tenant.users.has(oid)) return adminError(404, `No user with id '${oid}' in the tenant.`);
        const lifetime = input?.lifetimeSeconds;
        if (lifetime !== undefined && typeof lifetime !== 'number')
          return adminError(400, "'lifetimeSeconds' must be a number.");
        const token = identity.ssoToken(origin, oid, {
          lifetimeSeconds: lifetime as number | undefined,
          mfa: input?.mfa === true,
          audience: typeof input?.audience === 'string' ? input.audience : undefined,
        });
        return jsonResponse(200, { token });
      }
      const adm = /^\/_fake\/ad\/groups\/([^/]+)$/.exec(path);
      if (adm) {
        const id = decodeURIComponent(adm[1]!);
        const g = tenant.groups.get(id);
        if (!g) return adminError(404, `No group with id '${id}'.`);
        if (!g.ad) return adminError(409, `Group '${g.displayName}' is cloud-only: it has no Active Directory object.`);
        if (method === 'GET') return jsonResponse(200, g.ad);
        if (method !== 'PATCH') return adminError(405, 'Use GET or PATCH.');
        const edit = input ?? {};
        const allowed = ['displayName', 'description', 'addMembers', 'removeMembers', 'extensionAttributes'];
        const unknown = Object.keys(edit).filter((k) => !allowed.includes(k));
        if (unknown.length)
          return adminError(400, `Unknown AD attribute(s): ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
        if (edit.displayName !== undefined && (typeof edit.displayName !== 'string' || !edit.displayName.trim()))
          return adminError(400, "'displayName' must be a non-empty string.");
        if (edit.description !== undefined && edit.description !== null && typeof edit.description !== 'string')
          return adminError(400, "'description' must be a string or null.");
        for (const k of ['addMembers', 'removeMembers'] as const) {
          const v = edit[k];
          if (
            v !== undefined &&
            (!Array.isArray(v) ||
              v.some((m) => typeof m !== 'string' || !(tenant.users.has(m) || tenant.groups.has(m))))
          ) {
            return adminError(400, `'${k}' must be an array of existing user or group ids.`);
          }
        }
        if (
          edit.extensionAttributes !== undefined &&
          (typeof edit.extensionAttributes !== 'object' || edit.extensionAttributes === null)
        )
          return adminError(400, "'extensionAttributes' must be an object.");
        if (typeof edit.displayName === 'string') g.ad.displayName = edit.displayName;
        if (edit.description !== undefined) g.ad.description = edit.description as string | null;
        for (const m of (edit.addMembers as string[] | undefined) ?? [])
          if (!g.ad.members.includes(m)) g.ad.members.push(m);
        g.ad.members = g.ad.members.filter((m) => !((edit.removeMembers as string[] | undefined) ?? []).includes(m));
        if (edit.extensionAttributes) Object.assign(g.ad.extensionAttributes, edit.extensionAttributes);
        return jsonResponse(200, g.ad);
      }
      const usr = /^\/_fake\/users\/([^/]+)$/.exec(path);
      if (usr && method === 'PATCH') {
        const u = tenant.users.get(decodeURIComponent(usr[1]!));
        if (!u) return adminError(404, `No user with id '${usr[1]}'.`);
        const edit = input ?? {};
        const unknown = Object.keys(edit).filter((k) => !['roles', 'signIn', 'accountEnabled'].includes(k));
        if (unknown.length)
          return adminError(
            400,
            `Unknown user field(s): ${unknown.join(', ')}. Allowed: roles, signIn, accountEnabled.`,
          );
        if (edit.roles !== undefined && (!Array.isArray(edit.roles) || edit.roles.some((r) => typeof r !== 'string')))
          return adminError(400, "'roles' must be an array of role template ids.");
        if (edit.signIn !== undefined && !['none', 'mfa', 'blocked'].includes(edit.signIn as string))
          return adminError(400, "'signIn' must be none, mfa or blocked.");
        if (edit.accountEnabled !== undefined && typeof edit.accountEnabled !== 'boolean')
          return adminError(400, "'accountEnabled' must be a boolean.");
        if (edit.roles) u.roles = [...(edit.roles as string[])];
        if (edit.signIn) u.signIn = edit.signIn as typeof u.signIn;
        if (typeof edit.accountEnabled === 'boolean') u.accountEnabled = edit.accountEnabled;
        return jsonResponse(200, u);
      }
      const appm = /^\/_fake\/apps\/([^/]+)$/.exec(path);
      if (appm && method === 'PATCH') {
        const a = tenant.apps.get(decodeURIComponent(appm[1]!));
        if (!a) return adminError(404, `No app with client id '${appm[1]}'.`);
        const edit = input ?? {};
        const unknown = Object.keys(edit).filter(
          (k) => !['delegatedScopes', 'applicationPermissions', 'certificates'].includes(k),
        );
        if (unknown.length)
          return adminError(
            400,
            `Unknown app field(s): ${unknown.join(', ')}. Allowed: delegatedScopes, applicationPermissions, certificates.`,
          );
        for (const k of ['delegatedScopes', 'applicationPermissions', 'certificates'] as const) {
          const v = edit[k];
          if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string')))
            return adminError(400, `'${k}' must be an array of strings.`);
        }
        if (edit.delegatedScopes) a.delegatedScopes = [...(edit.delegatedScopes as string[])];
        if (edit.applicationPermissions) a.applicationPermissions = [...(edit.applicationPermissions as string[])];
        if (edit.certificates) {
          const pems = edit.certificates as string[];
          try {
            for (const pem of pems) new X509Certificate(pem);
          } catch {
            return adminError(400, "'certificates' must be PEM-encoded X.509 certificates.");
          }
          a.certificates = [...pems];
        }
        return jsonResponse(200, {
          clientId: a.clientId,
          delegatedScopes: a.delegatedScopes,
          applicationPermissions: a.applicationPermissions,
        });
      }
      const grp = /^\/_fake\/groups\/([^/]+)$/.exec(path);
      if (grp && method === 'DELETE') {
        // The group is gone from Entra (deleted in AD and synced, or deleted in the cloud).
        const id = decodeURIComponent(grp[1]!);
        if (!tenant.groups.delete(id)) return adminError(404, `No group with id '${id}'.`);
        for (const g of tenant.groups.values()) {
          g.members = g.members.filter((m) => m !== id);
          if (g.ad) g.ad.members = g.ad.members.filter((m) => m !== id);
        }
        return { status: 204, headers: {} };
      }
      if (grp && method === 'GET') {
        const g = tenant.groups.get(decodeURIComponent(grp[1]!));
        if (!g) return adminError(404, `No group with id '${grp[1]}'.`);
        return jsonResponse(200, g);
      }
      if (route === 'GET /_fake/audits') return jsonResponse(200, tenant.audits);
      if (route === 'GET /_fake/groups')
        return jsonResponse(
          200,
          [...tenant.groups.values()].map((g) => ({
            id: g.id,
            displayName: g.displayName,
            onPremisesSyncEnabled: g.onPremisesSyncEnabled,
            isCloudManaged: g.isCloudManaged,
          })),
        );
      return adminError(404, `No admin route ${route}.`);
    } catch (e) {
      if (e instanceof SeedError) return adminError(400, `Invalid seed: ${e.message}`);
      throw e;
    }
  }

  const port0 = options.port ?? 3979;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    get tenantId() {
      return tenant.tenantId;
    },
    caCertPem: ca.certPem,
    caCertPath: ca.certPath,
    get tenant() {
      return tenant;
    },
    settings,
    requests: log,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        if (syncTimer) clearInterval(syncTimer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function applySettings(settings: Settings, input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const nonNegative = (k: 'latencyMs' | 'auditDelayMs' | 'syncIntervalMs', max: number) => {
    const v = input[k];
    if (v === undefined) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
      problems.push(`'${k}' must be a number between 0 and ${max}.`);
  };
  nonNegative('latencyMs', 60_000);
  nonNegative('auditDelayMs', 3_600_000);
  nonNegative('syncIntervalMs', 86_400_000);
  if (input.soaPatchStatus !== undefined && input.soaPatchStatus !== 200 && input.soaPatchStatus !== 204)
    problems.push("'soaPatchStatus' must be 200 or 204.");
  // Negative lifetimes mint already-expired tokens, for tests of expiry handling.
  const life = input.accessTokenLifetimeSeconds;
  if (
    life !== undefined &&
    (typeof life !== 'number' || !Number.isInteger(life) || life === 0 || Math.abs(life) > 86_400)
  )
    problems.push("'accessTokenLifetimeSeconds' must be a non-zero whole number of seconds within a day.");
  const names = input.auditActivityNames as Record<string, unknown> | undefined;
  if (
    names !== undefined &&
    (typeof names !== 'object' || names === null || Object.values(names).some((v) => typeof v !== 'string' || !v))
  )
    problems.push("'auditActivityNames' must be {convert, rollback} strings.");
  const known = [
    'latencyMs',
    'auditDelayMs',
    'syncIntervalMs',
    'soaPatchStatus',
    'auditActivityNames',
    'accessTokenLifetimeSeconds',
  ];
  for (const k of Object.keys(input)) if (!known.includes(k)) problems.push(`Unknown setting '${k}'.`);
  if (problems.length) return problems;
  for (const k of known) {
    if (input[k] === undefined) continue;
    if (k === 'auditActivityNames')
      settings.auditActivityNames = { ...settings.auditActivityNames, ...(names as Record<string, string>) };
    else (settings as unknown as Record<string, unknown>)[k] = input[k];
  }
  return [];
}

function jsonResponse(status: number, body: unknown): HttpReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body };
}

function adminError(status: number, message: string): HttpReply {
  return jsonResponse(status, { error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } });
}

function send(res: ServerResponse, r: HttpReply): void {
  const payload = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { ...r.headers };
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = JSON_TYPE;
  res.writeHead(r.status, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit, keep draining (so the client gets its 413) but stop keeping bytes.
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new Error('too large'));
      else resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined);
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export { isObjectId };
