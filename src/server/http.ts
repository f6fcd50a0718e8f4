/**
 * restify: transport only. POST /api/messages → adapter.process → app.run; GET /healthz,
 * /readyz; the export link's page (GET /api/exports) and download (POST /api/exports), and the
 * static pages (/, /privacy, /terms), when given.
 */
import * as restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';

/** What a web route answers; the body is sent as it is. */
export interface Download {
  status: number;
  body: string;
  contentType: string;
  /** Sent as an attachment under this name when set. */
  filename?: string;
}

/** The export link's two steps: the page it opens (nothing used up), and the download. */
export interface ExportRoutes {
  /** GET: the link's query fields. */
  page(query: Record<string, string>): Promise<Download>;
  /** POST from that page: its form fields. */
  download(fields: Record<string, string>): Promise<Download>;
}

export interface WebRoutes {
  exports?: ExportRoutes;
  /** Static HTML by path (`/`, `/privacy`, `/terms`). */
  pages?: Record<string, string>;
}

const HTML = 'text/html; charset=utf-8';
const TEXT = 'text/plain; charset=utf-8';

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `ready` answers whether the instance can serve: its store is reachable. */
export async function startHttpServer(
  adapter: TeamsAdapter,
  app: Application<TurnState>,
  port: number,
  host: string,
  ready: () => Promise<boolean> = async () => true,
  /** Runs before the bot; `false` ends the turn there (it has answered the activity itself). */
  beforeRun: (ctx: TurnContext) => Promise<void | boolean> = async () => undefined,
  web: WebRoutes = {},
): Promise<HttpServer> {
  const server = restify.createServer({ name: 'soa-bot' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res as never, async (ctx) => {
      if ((await beforeRun(ctx)) === false) return;
      await app.run(ctx);
    });
  });
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    const ok = await ready().catch(() => false);
    res.send(ok ? 200 : 503, { status: ok ? 'ready' : 'not ready' });
  });
  const { exports, pages = {} } = web;
  if (exports) {
    server.get('/api/exports', async (req, res) => {
      send(res, await answer(() => exports.page(queryFields(req.getQuery()))));
    });
    server.post('/api/exports', async (req, res) => {
      // The form's raw body: URL-encoded fields, parsed the same way as a query.
      const raw = (req as { rawBody?: unknown }).rawBody;
      send(res, await answer(() => exports.download(queryFields(typeof raw === 'string' ? raw : ''))));
    });
  }
  for (const [path, html] of Object.entries(pages)) {
    server.get(path, async (_req, res) => {
      send(res, { status: 200, body: html, contentType: HTML });
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function answer(route: () => Promise<Download>): Promise<Download> {
  try {
    return await route();
  } catch {
    return { status: 500, body: 'The export could not be produced.', contentType: TEXT };
  }
}

/**
 * Sends a page or a download byte for byte (sendRaw skips restify's formatters: no JSON quoting).
 * Nothing is cached or framed, no page loads anything, and no address (the link's token in
 * its query) is passed on as a referrer.
 */
function send(res: restify.Response, out: Download): void {
  res.header('Content-Type', out.contentType);
  res.header('Content-Length', String(Buffer.byteLength(out.body)));
  res.header('Cache-Control', 'no-store');
  res.header('X-Content-Type-Options', 'nosniff');
  res.header('Referrer-Policy', 'no-referrer');
  res.header(
    'Content-Security-Policy',
    "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  if (out.filename) res.header('Content-Disposition', `attachment; filename="${safeFilename(out.filename)}"`);
  res.sendRaw(out.status, out.body);
}

/** The query's fields; a repeated name keeps its first value. */
function queryFields(raw: string): Record<string, string> {
  const fields = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(raw)) if (!fields.has(k)) fields.set(k, v);
  return Object.fromEntries(fields);
}

/** A filename that cannot break out of the quoted header value: printable ASCII, no quotes or backslashes. */
function safeFilename(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
