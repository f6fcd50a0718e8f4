/**
 * The fake tenant's HTTPS server: holds the state (tenant, settings, faults, logs) and routes
 * each request to the admin API (/_fake), the Bot Framework channel's metadata, the identity
 * endpoints or Microsoft Graph.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { AdminContext } from './admin/context';
import { handleAdmin } from './admin/routes';
import { ensureLocalCa, issueServerCert } from './certs';
import { ChannelAuthority } from './channel';
import { channelRoute } from './channel-routes';
import type { Fault } from './faults';
import { GraphApi } from './graph/api';
import { errorResponse } from './graph/errors';
import type { RequestLogEntry } from './graph/request-log';
import { readBody, send } from './http';
import { Identity } from './identity/identity';
import { handleIdentity, identityPath, type TokenLogEntry } from './identity/routes';
import { DEFAULT_SETTINGS, type Seed, type Settings } from './model';
import { defaultSeed } from './seed';
import { Tenant } from './tenant';

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

export async function startFakeTenant(options: FakeTenantOptions = {}): Promise<FakeTenant> {
  const ca = ensureLocalCa(options.caDir);
  const cert = issueServerCert(ca);
  let tenant = new Tenant(options.seed ?? defaultSeed());
  const settings: Settings = { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) };
  const faults: Fault[] = [];
  const tokenLog: TokenLogEntry[] = [];
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
      syncTimer = setInterval(() => tenant.runSyncCycle(settings.syncClient), settings.syncIntervalMs);
      syncTimer.unref();
    }
  };
  scheduleSync();

  const reset = (seed?: Seed) => {
    tenant = new Tenant(seed ?? defaultSeed());
    faults.length = 0;
    log.length = 0;
  };
  const admin: AdminContext = {
    tenant: () => tenant,
    reset,
    settings,
    scheduleSync,
    faults,
    requests: log,
    tokenRequests: tokenLog,
    identity,
    channel,
  };
  const identityRoutes = { tenant: () => tenant, settings, faults, identity, tokenLog };

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

    if (path.startsWith('/_fake/')) return send(res, handleAdmin(admin, method, path, body, origin));
    const channelReply = channelRoute(channel, method, path, origin);
    if (channelReply) return send(res, channelReply);
    const idPath = identityPath(path);
    if (idPath) {
      const request = { method, path, headers: req.headers, body, origin };
      return send(res, await handleIdentity(identityRoutes, idPath, request));
    }
    if (path.startsWith('/v1.0/') || path.startsWith('/beta/') || path === '/v1.0' || path === '/beta') {
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      return send(res, await graph.handle({ method, path, query: url.searchParams, headers, body, origin }));
    }
    return send(res, errorResponse(400, 'BadRequest', `Invalid version: the path must start with /v1.0 or /beta.`));
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
