/** Composition root: config → storage → Bot Framework → directory → services → bot → server. */
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthenticationConstants, type UserTokenClient } from 'botframework-connector';
import { createBot } from './bot/app';
import { channelAuthConfig, guardInbound } from './bot/inbound-auth';
import { OutboundGateway } from './bot/gateway/middleware';
import { PER_CONVERSATION, PER_TENANT, scaled } from './bot/gateway/limits';
import { Pacer, type PacerCounts } from './bot/gateway/pacer';
import { BotNotifier } from './bot/notifier';
import { turnGuard } from './bot/turn-guard';
import type { Config } from './config';
import { GraphDirectoryFactory } from './infra/graph/directory';
import { pinoLogger } from './infra/logging';
import { StorageWorkQueue } from './infra/queue/storage-queue';
import { SqliteWorkQueue } from './infra/queue/sqlite-queue';
import { BlobBoardStore } from './infra/storage/blob-boards';
import { BlobScanStore } from './infra/storage/blob-scans';
import { BlobRequestStore } from './infra/storage/blob-store';
import { SqliteBoardStore } from './infra/storage/sqlite-boards';
import { SqliteScanStore } from './infra/storage/sqlite-scans';
import { SqliteRequestStore } from './infra/storage/sqlite-store';
import { storageGuarded } from './infra/storage/unavailable';
import { BotTokenServiceSource } from './infra/tokens/bot-token-service';
import { LocalSsoTokenSource } from './infra/tokens/local-sso';
import type { BoardStore } from './ports/boards';
import { systemClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { WorkQueue } from './ports/queue';
import type { ScanStore } from './ports/scans';
import type { RequestStore } from './ports/store';
import type { UserTokenSource } from './ports/tokens';
import { exportLinks } from './server/export-links';
import { startHttpServer, type HttpServer } from './server/http';
import { BoardService } from './services/boards';
import { SoaService } from './services/soa-service';
import { aboutPage, privacyPage, termsPage } from './views/pages';
import { CardPresenter } from './views/presenter';

export interface RunningBot {
  http: HttpServer;
  service: SoaService;
  /** What the outbound gateway did: Bot Connector calls, 429s absorbed, retries, coalesced updates. */
  outbound(): PacerCounts;
  close(): Promise<void>;
}

export async function startBot(
  config: Config,
  options: { logger?: Logger; clock?: Clock; archiveIntervalMs?: number } = {},
): Promise<RunningBot> {
  const logger =
    options.logger ??
    pinoLogger({
      secrets: [config.graph.clientSecret ?? '', config.botPassword ?? '', config.exports.linkKeyMaterial],
    });
  const clock = options.clock ?? systemClock;

  const { store, queue, boardStore, scans } = openStorage(config);

  const { adapter, tokens, userTokenClient } = connectBotFramework(config, logger);

  const directory = new GraphDirectoryFactory(
    { ...config.graph, local: config.mode !== 'production' },
    tokens,
    clock,
    config.graphBatching,
    config.tenantCacheMs,
  );

  const presenter = new CardPresenter(config.policy, undefined, config.changeControl);
  // Every Bot Connector call, in turns and proactive, is paced and retried in one place.
  // Teams counts the app's calls, not an instance's: with several instances, each takes its share.
  const share = 1 / config.botInstances;
  const pacer = new Pacer({
    perConversation: scaled(PER_CONVERSATION, share),
    perTenant: scaled(PER_TENANT, share),
    onRetry: (e) =>
      logger.info('bot connector call retried', { status: e.status, attempt: e.attempt, waitMs: e.waitMs }),
  });
  adapter.use(new OutboundGateway(pacer, logger));
  const notifier = new BotNotifier(adapter, config.botId ?? '', pacer);
  const boards = new BoardService({ boards: boardStore, store, notifier, view: presenter, clock, logger });
  const service = new SoaService({
    onChange: (req) => boards.refreshFor(req),
    directory,
    store,
    scans,
    inventory: directory.inventory(),
    queue,
    notifier,
    presenter,
    clock,
    logger,
    random: (n) => randomBytes(n),
    settings: {
      policy: config.policy,
      minimums: config.minimums,
      requestTtlMs: config.requestTtlMs,
      audit: config.audit,
      syncWatch: config.syncWatch,
      remindAfterMs: config.remindAfterMs,
      changeControl: config.changeControl,
      schedule: config.schedule,
      snapshotMaxMembers: config.snapshotMaxMembers,
      worker: { instanceId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`, ...config.worker },
      ...(config.changeWindows ? { windows: config.changeWindows } : {}),
    },
  });
  const exports = exportLinks({ settings: config.exports, store, scans, clock, logger });

  const app = createBot({
    adapter,
    service,
    boards,
    exports,
    privately: notifier,
    presenter,
    logger,
    store,
    clickBudgetMs: config.clickBudgetMs,
    ...(config.sso ? { sso: config.sso } : {}),
  });

  const http = await startHttpServer(
    adapter,
    app,
    config.port,
    config.host,
    async () => {
      await store.list({ limit: 1 });
      return true;
    },
    turnGuard({ adapter, allowedTenants: config.allowedTenants, logger, userTokenClient }),
    {
      exports,
      // The pages the Teams app manifest links to (websiteUrl, privacyUrl, termsOfUseUrl).
      pages: {
        '/': aboutPage(),
        '/privacy': privacyPage({
          requestTtlHours: config.requestTtlMs / 3_600_000,
          archiveAfterDays: config.archiveAfterMs / 86_400_000,
          linkMinutes: config.exports.linkMinutes,
        }),
        '/terms': termsPage(),
      },
    },
  );
  exports.listening(http.url);

  const resumed = await service.resume();
  if (resumed) logger.info('resumed unfinished requests', { count: resumed });
  await service.resumeScans();
  service.startWorker();
  const sweep = archiveSweep(store, clock, config.archiveAfterMs, options.archiveIntervalMs ?? 3_600_000, logger);
  return {
    http,
    service,
    outbound: () => ({ ...pacer.counts }),
    close: async () => {
      clearInterval(sweep);
      await http.close();
      await service.stop();
      await store.close();
      await queue.close();
      await boardStore.close();
      await scans.close();
    },
  };
}

function openStorage(config: Config): {
  store: RequestStore;
  queue: WorkQueue;
  boardStore: BoardStore;
  scans: ScanStore;
} {
  const opened =
    config.storage.kind === 'blob'
      ? {
          boardStore: new BlobBoardStore(config.storage.connectionString, config.storage.container),
          store: new BlobRequestStore(config.storage.connectionString, config.storage.container),
          queue: new StorageWorkQueue(config.storage.connectionString, config.storage.queue),
          scans: new BlobScanStore(config.storage.connectionString, config.storage.container),
        }
      : {
          store: new SqliteRequestStore(config.storeFile),
          queue: new SqliteWorkQueue(config.storeFile),
          boardStore: new SqliteBoardStore(config.storeFile),
          scans: new SqliteScanStore(config.storeFile),
        };
  return {
    store: storageGuarded<RequestStore>(opened.store, 'request store'),
    queue: storageGuarded<WorkQueue>(opened.queue, 'work queue'),
    boardStore: storageGuarded<BoardStore>(opened.boardStore, 'board store'),
    scans: storageGuarded<ScanStore>(opened.scans, 'scan store'),
  };
}

/**
 * The Bot Framework adapter, and where the users' own tokens come from: the Bot Framework
 * token service (an OAuth connection), or the local tenant's sign-in.
 */
function connectBotFramework(
  config: Config,
  logger: Logger,
): { adapter: TeamsAdapter; tokens: UserTokenSource; userTokenClient?: () => Promise<UserTokenClient> } {
  const production = config.mode === 'production';
  const authConfig = channelAuthConfig(production ? config.channelAuth : undefined, config.sso?.tokenServiceUrl);
  // Production: Bot Framework authentication for a single-tenant Azure Bot registration.
  const credentials = new ConfigurationServiceClientCredentialFactory(
    production
      ? {
          MicrosoftAppId: config.botId,
          MicrosoftAppType: config.botType,
          MicrosoftAppTenantId: config.botTenantId,
          ...(config.botType === 'SingleTenant' ? { MicrosoftAppPassword: config.botPassword } : {}),
        }
      : {},
  );
  // Local mode has no Bot Framework app id on inbound turns, so the token service client is made
  // for the bot's Entra app here; in production the adapter makes it from the caller's claims.
  const ssoTokens = config.sso
    ? new BotTokenServiceSource(
        config.botId ?? config.graph.clientId,
        config.sso.connectionName,
        authConfig,
        credentials,
      )
    : null;
  if (!ssoTokens && !config.fakeTenantUrl) throw new Error('No source of user tokens: set OAUTH_CONNECTION_NAME.');
  // Local mode: no Bot Framework app id, so no Bot Framework authentication (loopback only).
  const adapter = new TeamsAdapter(authConfig, credentials);
  if (production)
    guardInbound(
      adapter,
      config.channelAuth?.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
      logger,
    );
  return {
    adapter,
    tokens: ssoTokens ?? new LocalSsoTokenSource(config.fakeTenantUrl!),
    ...(ssoTokens && !production ? { userTokenClient: () => ssoTokens.client() } : {}),
  };
}

/** Archives finished requests older than `afterMs`, now and then every `everyMs`. */
function archiveSweep(
  store: RequestStore,
  clock: Clock,
  afterMs: number,
  everyMs: number,
  logger: Logger,
): NodeJS.Timeout {
  // Maintenance, not request work: harmless when several instances do it.
  const archive = () =>
    void store
      .archive(new Date(clock.now().getTime() - afterMs).toISOString())
      .catch((e) => logger.warn('archive failed', { error: String(e) }));
  archive();
  const sweep = setInterval(archive, everyMs);
  sweep.unref();
  return sweep;
}
