/** Composition root: config → storage → directory → services → bot → server. */
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthenticationConstants } from 'botframework-connector';
import { createBot } from './bot/app';
import { channelAuthConfig, guardInbound } from './bot/inbound-auth';
import { BotNotifier } from './bot/notifier';
import type { Config } from './config';
import { GraphDirectoryFactory } from './infra/graph/directory';
import { StorageWorkQueue } from './infra/queue/storage-queue';
import { SqliteWorkQueue } from './infra/queue/sqlite-queue';
import { BlobRequestStore } from './infra/storage/blob-store';
import { SqliteRequestStore } from './infra/storage/sqlite-store';
import { storageGuarded } from './infra/storage/unavailable';
import { SqliteBoardStore } from './infra/storage/sqlite-boards';
import { BlobBoardStore } from './infra/storage/blob-boards';
import type { BoardStore } from './ports/boards';
import { BoardService } from './services/boards';
import { exportCsv, exportRequests } from './services/export';
import { linkKey, signLink, verifyLink } from './infra/links';
import type { Download } from './server/http';
import type { Person } from './domain/request';
import type { WorkQueue } from './ports/queue';
import type { RequestStore } from './ports/store';
import { BotTokenServiceSource } from './infra/tokens/bot-token-service';
import { LocalSsoTokenSource } from './infra/tokens/local-sso';
import { systemClock, type Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import { pinoLogger } from './infra/logging';
import { tenantOf } from './bot/turn';
import { startHttpServer, type HttpServer } from './server/http';
import { SoaService } from './services/soa-service';
import { CardPresenter } from './views/presenter';

export interface RunningBot {
  http: HttpServer;
  service: SoaService;
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
  const { store, queue, boardStore } = openStorage(config);
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
  const tokens = ssoTokens ?? new LocalSsoTokenSource(config.fakeTenantUrl!);
  const directory = new GraphDirectoryFactory(
    { ...config.graph, local: !production },
    tokens,
    clock,
    config.graphBatching,
    config.tenantCacheMs,
  );
  // Local mode: no Bot Framework app id, so no Bot Framework authentication (loopback only).
  const adapter = new TeamsAdapter(authConfig, credentials);
  if (production)
    guardInbound(
      adapter,
      config.channelAuth?.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
      logger,
    );
  const presenter = new CardPresenter(config.policy);
  const notifier = new BotNotifier(adapter, config.botId ?? '');
  const boards = new BoardService({ boards: boardStore, store, notifier, view: presenter, clock, logger });
  const service = new SoaService({
    onChange: (req) => boards.refreshFor(req),
    directory,
    store,
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
      worker: { instanceId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`, ...config.worker },
    },
  });
  // Export links: signed with a key every instance derives from the same configuration.
  const exportKey = config.exports.linkKeyMaterial ? linkKey(config.exports.linkKeyMaterial) : randomBytes(32);
  let publicUrl = config.exports.publicUrl ?? '';
  const exports = {
    // Counting needs the listing (and its bound), not the CSV.
    count: async (range: { from: string; to: string }) => (await exportRequests(store, range)).length,
    link: (range: { from: string; to: string }, by: Person) =>
      `${publicUrl}/api/exports?${signLink(exportKey, { from: range.from, to: range.to, by: by.id }, new Date(clock.now().getTime() + config.exports.linkMinutes * 60_000))}`,
  };
  const downloads = async (query: Record<string, string>): Promise<Download> => {
    const check = verifyLink(exportKey, query, clock.now());
    if (!check.ok)
      return {
        status: check.reason === 'expired' ? 410 : 403,
        body:
          check.reason === 'expired'
            ? 'This export link has expired; ask the bot again.'
            : 'This export link is not valid.',
        contentType: 'text/plain; charset=utf-8',
      };
    const { csv, count } = await exportCsv(store, { from: check.payload.from!, to: check.payload.to! });
    logger.info('export downloaded', {
      by: check.payload.by,
      from: check.payload.from,
      to: check.payload.to,
      requests: count,
    });
    return {
      status: 200,
      body: csv,
      contentType: 'text/csv; charset=utf-8',
      filename: `soa-requests-${check.payload.from!.slice(0, 10)}-to-${check.payload.to!.slice(0, 10)}.csv`,
    };
  };
  const app = createBot({
    adapter,
    service,
    boards,
    exports,
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
    async (ctx) => {
      // Bot Connector calls are retried by its client (429/5xx, with backoff). When they still
      // fail, the turn goes on: the state was stored before anything is posted, so a lost reply
      // or card update loses nothing (status, the board and the card's refresh show it).
      ctx.onSendActivities(async (_c, activities, next) => {
        try {
          return await next();
        } catch (e) {
          logger.warn('reply not delivered after retries', {
            conversation: ctx.activity.conversation?.id ?? null,
            types: activities.map((a) => a.type),
            error: e instanceof Error ? e.message.slice(0, 200) : String(e),
          });
          return activities.map(() => ({ id: '' }));
        }
      });
      ctx.onUpdateActivity(async (_c, _a, next) => {
        try {
          await next();
        } catch (e) {
          logger.warn('card update not delivered after retries', {
            conversation: ctx.activity.conversation?.id ?? null,
            error: e instanceof Error ? e.message.slice(0, 200) : String(e),
          });
        }
      });
      // Only the organisation's own tenant: anything else is answered with a refusal and goes no further.
      const tenant = tenantOf(ctx.activity);
      if (!tenant || !config.allowedTenants.includes(tenant)) {
        logger.warn('activity from a tenant not allowed', {
          tenant: tenant ?? null,
          type: ctx.activity.type,
          name: ctx.activity.name ?? null,
        });
        const text = 'This bot serves its own organisation only; your tenant is not on its list.';
        if (ctx.activity.type === 'invoke')
          await ctx.sendActivity({
            type: 'invokeResponse',
            value: {
              status: 200,
              body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: text },
            },
          });
        else if (ctx.activity.type === 'message') await ctx.sendActivity(text);
        return false;
      }
      if (ssoTokens && !production) ctx.turnState.set(adapter.UserTokenClientKey, await ssoTokens.client());
    },
    downloads,
  );
  publicUrl ||= http.url;
  const resumed = await service.resume();
  if (resumed) logger.info('resumed unfinished requests', { count: resumed });
  service.startWorker();
  // Maintenance, not request work: harmless when several instances do it.
  const archive = () =>
    void store
      .archive(new Date(clock.now().getTime() - config.archiveAfterMs).toISOString())
      .catch((e) => logger.warn('archive failed', { error: String(e) }));
  archive();
  const sweep = setInterval(archive, options.archiveIntervalMs ?? 3_600_000);
  sweep.unref();
  return {
    http,
    service,
    close: async () => {
      clearInterval(sweep);
      await http.close();
      await service.stop();
      await store.close();
      await queue.close();
      await boardStore.close();
    },
  };
}

function openStorage(config: Config): { store: RequestStore; queue: WorkQueue; boardStore: BoardStore } {
  const opened =
    config.storage.kind === 'blob'
      ? {
          boardStore: new BlobBoardStore(config.storage.connectionString, config.storage.container),
          store: new BlobRequestStore(config.storage.connectionString, config.storage.container),
          queue: new StorageWorkQueue(config.storage.connectionString, config.storage.queue),
        }
      : {
          store: new SqliteRequestStore(config.storeFile),
          queue: new SqliteWorkQueue(config.storeFile),
          boardStore: new SqliteBoardStore(config.storeFile),
        };
  return {
    store: storageGuarded<RequestStore>(opened.store, 'request store'),
    queue: storageGuarded<WorkQueue>(opened.queue, 'work queue'),
    boardStore: storageGuarded<BoardStore>(opened.boardStore, 'board store'),
  };
}
