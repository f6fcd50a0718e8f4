/**
 * The only reader of process.env. Validates once at start; the bot never runs half-configured.
 * Every setting is named in this file, with its default; the rules for the bot's identity, the
 * Graph app and storage are in config/. Problems are reported in the order settings are read.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { approvalStages, type ApprovalStages } from './config/approvals';
import { botIdentity } from './config/bot';
import { EnvReader } from './config/env';
import { certificateProblem, graphCredential, graphHosts } from './config/graph-app';
import { changeControlConfig } from './config/justification';
import { scheduleConfig, type ScheduleConfig } from './config/schedule';
import { snapshotMaxMembers } from './config/snapshot';
import { storageConfig, type StorageConfig } from './config/storage';
import type { ChangeControlRules } from './domain/change-control';
import { changeWindows } from './config/windows';
import { isObjectId } from './domain/command';
import { ROLE_TEMPLATE } from './domain/policy';
import type { ChangeWindows } from './domain/windows';
import type { GraphEndpoint } from './infra/graph/client';

export interface Config {
  mode: 'local' | 'production';
  port: number;
  host: string;
  /** Bot Framework app id; absent in local mode (no Bot Framework authentication). */
  botId?: string;
  botPassword?: string;
  botTenantId?: string;
  /** How the bot authenticates to Bot Framework: its app secret, or a user-assigned managed identity. */
  botType: 'SingleTenant' | 'UserAssignedMSI';
  /** The Entra app used for on-behalf-of and app-only Graph calls. */
  graph: Omit<GraphEndpoint, 'local'>;
  /** How long a card click waits for its decision before answering and following up (Teams allows ~10 s). */
  clickBudgetMs: number;
  /** Entra tenants whose activities the bot serves (lower case); anything else is refused. */
  allowedTenants: string[];
  /** How long the tenant's sync state is reused between cards (ms; 0 = read it for every card). */
  tenantCacheMs: number;
  /** JSON batching of Graph reads (GRAPH_BATCHING=off only for the benchmark's naive baseline). */
  graphBatching: boolean;
  /** Local mode: the fake tenant that stands in for Teams SSO (unless an OAuth connection is set). */
  fakeTenantUrl?: string;
  /**
   * Teams SSO through the Azure Bot's OAuth connection: approvers sign in on Approve/Reject and
   * the token service holds their token. Unset in local mode: the fake tenant stands in.
   */
  sso?: { connectionName: string; tokenServiceUrl?: string; tokenExchangeUri: string };
  /**
   * Where inbound channel tokens are checked (private clouds, and tests with a local key set);
   * unset: Bot Framework's public-cloud OpenID metadata and issuer.
   */
  channelAuth?: { openIdMetadataUrl: string; tokenIssuer?: string };
  storeFile: string;
  /** Export download links: the bot's public base URL and the key that signs the links. */
  exports: { publicUrl?: string; linkKeyMaterial: string; linkMinutes: number };
  policy: { approverRoles: string[]; approverGroupId?: string; allowSelfApproval: boolean } & ApprovalStages;
  minimums: { connectSync: string; cloudSync: string };
  requestTtlMs: number;
  audit: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
  syncWatch: { intervalMs: number; timeoutMs: number };
  remindAfterMs: number;
  archiveAfterMs: number;
  storage: StorageConfig;
  worker: { leaseMs: number; visibilityMs: number; pollMs: number; concurrency: number };
  /** How many bot instances share Teams' rate limits: each paces its posts at its share of them. */
  botInstances: number;
  /** REQUIRE_JUSTIFICATION, TICKET_PATTERN, TICKET_URL_TEMPLATE (config/justification.ts). */
  changeControl: ChangeControlRules;
  /** Scheduled switches: CHANGE_TIMEZONE and MAX_SCHEDULE_DAYS. */
  schedule: ScheduleConfig;
  /** CHANGE_WINDOWS in CHANGE_TIMEZONE: when set, switches run only inside them. */
  changeWindows?: ChangeWindows;
  /** SNAPSHOT_MAX_MEMBERS: the most members a restore point keeps (config/snapshot.ts). */
  snapshotMaxMembers: number;
}

export class ConfigError extends Error {}

const ROLE_NAMES: Record<string, string> = {
  'hybrid identity administrator': ROLE_TEMPLATE.hybridIdentityAdministrator,
  'hybrid administrator': ROLE_TEMPLATE.hybridIdentityAdministrator,
  'groups administrator': ROLE_TEMPLATE.groupsAdministrator,
  'global administrator': ROLE_TEMPLATE.globalAdministrator,
};

/** Role names or template ids, as APPROVER_ROLES lists them, as template ids. */
function approverRoles(r: EnvReader): string[] {
  return (r.str('APPROVER_ROLES') ?? 'Hybrid Identity Administrator,Global Administrator')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(
      (x) =>
        ROLE_NAMES[x.toLowerCase()] ??
        (isObjectId(x) ? x : (r.problem(`APPROVER_ROLES: unknown role '${x}' (use a role name or template id).`), x)),
    );
}

export function loadConfig(env: Record<string, string | undefined>, projectRoot: string): Config {
  const r = new EnvReader(env);
  const { mode, host, botId, botType } = botIdentity(r, {
    botId: r.str('BOT_ID'),
    botType: r.str('BOT_TYPE'),
    host: r.str('HOST'),
    botPassword: r.str('BOT_PASSWORD'),
    appClientId: r.str('AAD_APP_CLIENT_ID'),
    botTenantId: r.str('BOT_TENANT_ID'),
    oauthConnectionName: r.str('OAUTH_CONNECTION_NAME'),
    storage: r.str('STORAGE'),
  });
  const { clientId, tenantId, clientSecret, certificatePath } = graphCredential(
    r,
    {
      clientId: r.str('AAD_APP_CLIENT_ID') ?? botId,
      tenantId: r.str('AAD_APP_TENANT_ID') ?? r.str('BOT_TENANT_ID'),
      clientSecret:
        r.str('AAD_APP_CLIENT_SECRET') ?? (botType === 'UserAssignedMSI' ? undefined : r.str('BOT_PASSWORD')),
      certificatePath: r.str('AAD_APP_CERTIFICATE_PATH'),
    },
    projectRoot,
  );
  const { fakeTenantUrl, authorityHost, graphBaseUrl } = graphHosts(r, mode, {
    fakeTenantPort: r.num('FAKE_TENANT_PORT', 3979, 1),
    fakeTenantUrl: r.str('FAKE_TENANT_URL'),
    authorityHost: r.str('AUTHORITY_HOST'),
    graphBaseUrl: r.str('GRAPH_BASE_URL'),
  });
  const roles = approverRoles(r);
  const approverGroupId = r.str('APPROVER_GROUP_ID');
  if (approverGroupId && !isObjectId(approverGroupId))
    r.problem(`APPROVER_GROUP_ID must be a group object id, not '${approverGroupId}'.`);
  const dataDir = r.str('DATA_DIR') ?? join(projectRoot, '.local', 'data');
  const storeFile =
    r.str('STORE_FILE') ?? join(isAbsolute(dataDir) ? dataDir : join(projectRoot, dataDir), 'requests.sqlite');
  const connectionName = r.str('OAUTH_CONNECTION_NAME');
  const tokenServiceUrl = r.str('BOT_FRAMEWORK_OAUTH_URL');
  if (tokenServiceUrl && !/^https?:\/\//.test(tokenServiceUrl))
    r.problem(`BOT_FRAMEWORK_OAUTH_URL must be a URL, not '${tokenServiceUrl}'.`);
  const channelMetadata = r.str('BOT_OPENID_METADATA_URL');
  const channelIssuer = r.str('BOT_TOKEN_ISSUER');
  if (channelMetadata && !/^https:\/\//.test(channelMetadata))
    r.problem(`BOT_OPENID_METADATA_URL must be an https URL, not '${channelMetadata}'.`);
  if (channelIssuer && !channelMetadata)
    r.problem(
      'BOT_TOKEN_ISSUER needs BOT_OPENID_METADATA_URL: the issuer and the keys that sign its tokens come together.',
    );
  const allowedTenants = (r.str('ALLOWED_TENANT_IDS') ?? [tenantId, r.str('BOT_TENANT_ID')].filter(Boolean).join(','))
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  for (const t of allowedTenants)
    if (!isObjectId(t)) r.problem(`ALLOWED_TENANT_IDS: '${t}' is not a tenant id (a GUID).`);
  const publicUrl = r.str('PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\/[^/]+$/.test(publicUrl))
    r.problem(`PUBLIC_URL must be the bot's base URL (scheme and host, no path), not '${publicUrl}'.`);
  if (mode === 'production' && !publicUrl)
    r.problem(
      "PUBLIC_URL is missing: the bot's public https address (as Teams reaches it), " +
        'the base of export links and of the privacy and terms pages.',
    );
  else if (mode === 'production' && publicUrl && !publicUrl.startsWith('https://'))
    r.problem('PUBLIC_URL must be https in production: export links carry request data.');
  const linkKeyMaterial =
    r.str('EXPORT_LINK_KEY') ??
    r.str('AAD_APP_CLIENT_SECRET') ??
    r.str('BOT_PASSWORD') ??
    (certificatePath && !certificateProblem(certificatePath) ? readFileSync(certificatePath, 'utf8') : undefined);
  const linkMinutes = r.num('EXPORT_LINK_MINUTES', 15, 1);
  if (linkMinutes > 60)
    r.problem(
      `EXPORT_LINK_MINUTES must be at most 60, not '${linkMinutes}': an export link is meant to be used at once.`,
    );
  const port = r.num('PORT', 3978, 0);
  if (port > 65535) r.problem(`PORT must be a port number, not '${port}'.`);
  const config: Config = {
    mode,
    port,
    host,
    ...(botId ? { botId } : {}),
    botType: botType ?? 'SingleTenant',
    ...(r.str('BOT_PASSWORD') ? { botPassword: r.str('BOT_PASSWORD') } : {}),
    ...(r.str('BOT_TENANT_ID') ? { botTenantId: r.str('BOT_TENANT_ID') } : {}),
    graph: {
      tenantId: tenantId ?? '',
      clientId: clientId ?? '',
      ...(clientSecret ? { clientSecret } : {}),
      ...(certificatePath ? { certificatePath } : {}),
      authorityHost,
      graphBaseUrl,
      timeoutMs: r.num('GRAPH_TIMEOUT_SECONDS', 30, 0.05) * 1000,
    },
    ...(fakeTenantUrl ? { fakeTenantUrl } : {}),
    ...(connectionName
      ? {
          sso: {
            connectionName,
            ...(tokenServiceUrl ? { tokenServiceUrl } : {}),
            tokenExchangeUri: `api://botid-${clientId ?? ''}`,
          },
        }
      : {}),
    ...(channelMetadata
      ? {
          channelAuth: { openIdMetadataUrl: channelMetadata, ...(channelIssuer ? { tokenIssuer: channelIssuer } : {}) },
        }
      : {}),
    storeFile,
    graphBatching: r.bool('GRAPH_BATCHING', true),
    tenantCacheMs: r.num('TENANT_CACHE_SECONDS', 60, 0) * 1000,
    allowedTenants: [...new Set(allowedTenants)],
    clickBudgetMs: r.num('CLICK_ANSWER_BUDGET_MS', 700, 50),
    exports: {
      ...(publicUrl ? { publicUrl } : {}),
      linkKeyMaterial: linkKeyMaterial ?? '',
      linkMinutes,
    },
    policy: {
      approverRoles: roles,
      ...(approverGroupId ? { approverGroupId } : {}),
      allowSelfApproval: r.bool('ALLOW_SELF_APPROVAL', false),
      ...approvalStages(r),
    },
    minimums: {
      connectSync: r.str('CONNECT_SYNC_MIN_VERSION') ?? '2.5.76.0',
      cloudSync: r.str('CLOUD_SYNC_MIN_VERSION') ?? '1.1.1370.0',
    },
    requestTtlMs: r.num('REQUEST_TTL_HOURS', 72, 0.001) * 3_600_000,
    audit: {
      firstDelayMs: r.num('AUDIT_POLL_FIRST_DELAY_MS', 2000, 1),
      maxDelayMs: r.num('AUDIT_POLL_MAX_DELAY_MS', 60_000, 1),
      timeoutMs: r.num('AUDIT_POLL_TIMEOUT_MIN', 15, 0) * 60_000,
    },
    syncWatch: {
      intervalMs: r.num('SYNC_WATCH_INTERVAL_MS', 30_000, 1),
      timeoutMs: r.num('SYNC_WATCH_TIMEOUT_MIN', 180, 0) * 60_000,
    },
    remindAfterMs: r.num('REMIND_AFTER_HOURS', 24, 0.0001) * 3_600_000,
    archiveAfterMs: r.num('ARCHIVE_AFTER_DAYS', 30, 0) * 86_400_000,
    storage: storageConfig(r, {
      kind: r.str('STORAGE'),
      connectionString: r.str('AZURE_STORAGE_CONNECTION_STRING'),
      container: r.str('STORAGE_CONTAINER') ?? 'soa-bot-requests',
      queue: r.str('STORAGE_QUEUE') ?? 'soa-bot-work',
    }),
    worker: {
      leaseMs: r.num('LEASE_SECONDS', 60, 0.1) * 1000,
      visibilityMs: r.num('JOB_VISIBILITY_SECONDS', 120, 1) * 1000,
      pollMs: r.num('WORKER_POLL_MS', 1000, 1),
      concurrency: Math.floor(r.num('WORKER_CONCURRENCY', 4, 1)),
    },
    botInstances: Math.floor(r.num('BOT_INSTANCES', 1, 1)),
    changeControl: changeControlConfig(r),
    schedule: scheduleConfig(r),
    snapshotMaxMembers: snapshotMaxMembers(r),
  };
  const windows = changeWindows(r, { windows: r.str('CHANGE_WINDOWS'), zone: r.str('CHANGE_TIMEZONE') });
  if (windows) config.changeWindows = windows;
  if (config.worker.leaseMs >= config.worker.visibilityMs)
    r.problem(
      'LEASE_SECONDS must be shorter than JOB_VISIBILITY_SECONDS, ' +
        "so a crashed instance's lease has expired when its job reappears.",
    );
  if (r.problems.length) throw new ConfigError(`The bot is not configured correctly:\n- ${r.problems.join('\n- ')}`);
  return config;
}
