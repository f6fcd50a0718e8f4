/** Composition root: config → storage → directory → services → bot → server. */
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { randomBytes } from 'node:crypto';
import { createBot } from './bot/app';
import { BotNotifier } from './bot/notifier';
import type { Config } from './config';
import { GraphDirectoryFactory } from './infra/graph/directory';
import { SqliteRequestStore } from './infra/storage/sqlite-store';
import { LocalSsoTokenSource } from './infra/tokens/local-sso';
import { systemClock, type Clock } from './ports/clock';
import { consoleLogger, type Logger } from './ports/logger';
import { startHttpServer, type HttpServer } from './server/http';
import { SoaService } from './services/soa-service';
import { CardPresenter } from './views/presenter';

export interface RunningBot {
  http: HttpServer;
  service: SoaService;
  close(): Promise<void>;
}

export async function startBot(config: Config, options: { logger?: Logger; clock?: Clock; sweepIntervalMs?: number } = {}): Promise<RunningBot> {
  const logger = options.logger ?? consoleLogger;
  const clock = options.clock ?? systemClock;
  if (config.mode !== 'local' || !config.fakeTenantUrl) throw new Error('Only local mode is available in this version.');
  const store = new SqliteRequestStore(config.storeFile);
  const tokens = new LocalSsoTokenSource(config.fakeTenantUrl);
  const directory = new GraphDirectoryFactory({ ...config.graph, local: true }, tokens, clock);
  // Local mode: no Bot Framework app id, so no Bot Framework authentication (loopback only).
  const adapter = new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory({}));
  const presenter = new CardPresenter(config.policy);
  const notifier = new BotNotifier(adapter, '');
  const service = new SoaService({
    directory,
    store,
    notifier,
    presenter,
    clock,
    logger,
    random: (n) => randomBytes(n),
    settings: { policy: config.policy, minimums: config.minimums, requestTtlMs: config.requestTtlMs, audit: config.audit, syncWatch: config.syncWatch },
  });
  const app = createBot({ adapter, service, presenter, logger });
  const http = await startHttpServer(adapter, app, config.port, config.host);
  const resumed = await service.resume();
  if (resumed) logger.info('resumed unfinished requests', { count: resumed });
  const sweep = setInterval(() => void service.expireDue().catch((e) => logger.warn('expiry sweep failed', { error: String(e) })), options.sweepIntervalMs ?? 60_000);
  sweep.unref();
  return {
    http,
    service,
    close: async () => {
      clearInterval(sweep);
      await http.close();
      await service.stop();
      await store.close();
    },
  };
}
