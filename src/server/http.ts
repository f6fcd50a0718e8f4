/**
 * restify: transport only. POST /api/messages → adapter.process → app.run; GET /healthz,
 * /readyz; GET /api/exports → `downloads` (signed export links), when given.
 */
import * as restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';

/** What a download handler answers; the body is sent as it is. */
export interface Download {
  status: number;
  body: string;
  contentType: string;
  /** Sent as an attachment under this name when set. */
  filename?: string;
}

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
  downloads?: (query: Record<string, string>) => Promise<Download>,
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
  if (downloads) {
    server.get('/api/exports', async (req, res) => {
      let out: Download;
      try {
        out = await downloads(queryFields(req.getQuery()));
      } catch {
        out = { status: 500, body: 'The export could not be produced.', contentType: 'text/plain; charset=utf-8' };
      }
      res.header('Content-Type', out.contentType);
      res.header('Content-Length', String(Buffer.byteLength(out.body)));
      res.header('Cache-Control', 'no-store');
      res.header('X-Content-Type-Options', 'nosniff');
      if (out.filename) res.header('Content-Disposition', `attachment; filename="${safeFilename(out.filename)}"`);
      // sendRaw skips restify's formatters, so the body goes out byte for byte (no JSON quoting).
      res.sendRaw(out.status, out.body);
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
