/** restify: transport only. POST /api/messages → adapter.process → app.run; GET /healthz. */
import * as restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';

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
  beforeRun: (ctx: TurnContext) => Promise<void> = async () => undefined,
): Promise<HttpServer> {
  const server = restify.createServer({ name: 'soa-bot' });
  server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res as never, async (ctx) => {
      await beforeRun(ctx);
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
