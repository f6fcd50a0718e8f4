/**
 * The only reader of process.env. Validates once at start; the bot never runs half-configured.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { isObjectId } from './domain/command';
import { ROLE_TEMPLATE } from './domain/policy';
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
  policy: { approverRoles: string[]; approverGroupId?: string; allowSelfApproval: boolean };
  minimums: { connectSync: string; cloudSync: string };
  requestTtlMs: number;
  audit: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
  syncWatch: { intervalMs: number; timeoutMs: number };
  remindAfterMs: number;
  archiveAfterMs: number;
  storage: { kind: 'sqlite' } | { kind: 'blob'; connectionString: string; container: string; queue: string };
  worker: { leaseMs: number; visibilityMs: number; pollMs: number; concurrency: number };
}

export class ConfigError extends Error {}

const ROLE_NAMES: Record<string, string> = {
  'hybrid identity administrator': ROLE_TEMPLATE.hybridIdentityAdministrator,
  'hybrid administrator': ROLE_TEMPLATE.hybridIdentityAdministrator,
  'groups administrator': ROLE_TEMPLATE.groupsAdministrator,
  'global administrator': ROLE_TEMPLATE.globalAdministrator,
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** The PEM file must hold a private key and a certificate (what the credential reads). */
function certificateProblem(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return `cannot read '${path}'.`;
  }
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(text)) return `'${path}' has no PEM private key.`;
  if (!/-----BEGIN CERTIFICATE-----/.test(text)) return `'${path}' has no PEM certificate.`;
  return undefined;
}

export function loadConfig(env: Record<string, string | undefined>, projectRoot: string): Config {
  const problems: string[] = [];
  const str = (k: string) => (env[k] ?? '').trim() || undefined;
  const num = (k: string, def: number, min = 0) => {
    const v = str(k);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) {
      problems.push(`${k} must be a number ≥ ${min}, not '${v}'.`);
      return def;
    }
    return n;
  };
  const bool = (k: string, def: boolean) => {
    const v = str(k)?.toLowerCase();
    if (v === undefined) return def;
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    problems.push(`${k} must be true or false, not '${v}'.`);
    return def;
  };
  const botId = str('BOT_ID');
  const botTypeSetting = str('BOT_TYPE') ?? 'SingleTenant';
  const botType = (['SingleTenant', 'UserAssignedMSI'] as const).find(
    (t) => t.toLowerCase() === botTypeSetting.toLowerCase(),
  );
  if (!botType)
    problems.push(
      `BOT_TYPE must be SingleTenant or UserAssignedMSI, not '${botTypeSetting}' (new Azure Bot registrations cannot be multi-tenant).`,
    );
  const mode: Config['mode'] = botId ? 'production' : 'local';
  const host = str('HOST') ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'local' && !LOOPBACK.has(host))
    problems.push(
      `Local mode (no BOT_ID) has no Bot Framework authentication, so it only binds to loopback; HOST is '${host}'.`,
    );
  if (mode === 'production') {
    if (!isObjectId(botId!)) problems.push(`BOT_ID must be the bot's Entra app id (a GUID), not '${botId}'.`);
    if (botType === 'SingleTenant' && !str('BOT_PASSWORD'))
      problems.push(
        "BOT_PASSWORD is missing: the Bot Framework credential (or BOT_TYPE=UserAssignedMSI with BOT_ID set to the managed identity's client id).",
      );
    if (botType === 'UserAssignedMSI') {
      // The managed identity authenticates the bot to Bot Framework only; on-behalf-of needs an
      // app registration with a secret or certificate, so that one is configured separately.
      if (!str('AAD_APP_CLIENT_ID'))
        problems.push(
          "AAD_APP_CLIENT_ID is missing: with BOT_TYPE=UserAssignedMSI the Entra app for SSO and on-behalf-of is separate from the bot's managed identity.",
        );
      else if (str('AAD_APP_CLIENT_ID') === botId)
        problems.push(
          'AAD_APP_CLIENT_ID must differ from BOT_ID with BOT_TYPE=UserAssignedMSI: a managed identity cannot do on-behalf-of.',
        );
    }
    const botTenant = str('BOT_TENANT_ID');
    if (!botTenant) problems.push('BOT_TENANT_ID is missing: new Azure Bot registrations are single-tenant.');
    else if (!isObjectId(botTenant)) problems.push(`BOT_TENANT_ID must be a tenant id (a GUID), not '${botTenant}'.`);
    if (!str('OAUTH_CONNECTION_NAME'))
      problems.push(
        "OAUTH_CONNECTION_NAME is missing: the Azure Bot OAuth connection that gives the approver's SSO token.",
      );
    if (str('STORAGE') === undefined)
      problems.push(
        'STORAGE is missing: choose sqlite (one instance) or blob (several instances) explicitly in production.',
      );
  }
  const clientId = str('AAD_APP_CLIENT_ID') ?? botId;
  const tenantId = str('AAD_APP_TENANT_ID') ?? str('BOT_TENANT_ID');
  const clientSecret =
    str('AAD_APP_CLIENT_SECRET') ?? (botType === 'UserAssignedMSI' ? undefined : str('BOT_PASSWORD'));
  const certificateSetting = str('AAD_APP_CERTIFICATE_PATH');
  const certificatePath =
    certificateSetting && (isAbsolute(certificateSetting) ? certificateSetting : join(projectRoot, certificateSetting));
  if (!clientId) problems.push('AAD_APP_CLIENT_ID is missing: the Entra app id used for Microsoft Graph.');
  else if (!isObjectId(clientId)) problems.push(`AAD_APP_CLIENT_ID must be a GUID, not '${clientId}'.`);
  if (!tenantId) problems.push('AAD_APP_TENANT_ID is missing: the Entra tenant id.');
  if (!clientSecret && !certificatePath)
    problems.push(
      'AAD_APP_CLIENT_SECRET (or AAD_APP_CERTIFICATE_PATH) is missing: the Entra app credential for on-behalf-of.',
    );
  if (certificatePath) {
    const problem = certificateProblem(certificatePath);
    if (problem) problems.push(`AAD_APP_CERTIFICATE_PATH: ${problem}`);
  }
  const fakeTenantPort = num('FAKE_TENANT_PORT', 3979, 1);
  const fakeTenantUrl =
    mode === 'local' ? (str('FAKE_TENANT_URL') ?? `https://localhost:${fakeTenantPort}`) : undefined;
  const authorityHost =
    str('AUTHORITY_HOST') ?? (mode === 'local' ? fakeTenantUrl! : 'https://login.microsoftonline.com');
  const graphBaseUrl = str('GRAPH_BASE_URL') ?? (mode === 'local' ? fakeTenantUrl! : 'https://graph.microsoft.com');
  for (const [k, v] of [
    ['AUTHORITY_HOST', authorityHost],
    ['GRAPH_BASE_URL', graphBaseUrl],
  ] as const) {
    if (!/^https:\/\//.test(v)) problems.push(`${k} must be an https URL, not '${v}'.`);
  }
  const roles = (str('APPROVER_ROLES') ?? 'Hybrid Identity Administrator,Global Administrator')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map(
      (r) =>
        ROLE_NAMES[r.toLowerCase()] ??
        (isObjectId(r)
          ? r
          : (problems.push(`APPROVER_ROLES: unknown role '${r}' (use a role name or template id).`), r)),
    );
  const approverGroupId = str('APPROVER_GROUP_ID');
  if (approverGroupId && !isObjectId(approverGroupId))
    problems.push(`APPROVER_GROUP_ID must be a group object id, not '${approverGroupId}'.`);
  const dataDir = str('DATA_DIR') ?? join(projectRoot, '.local', 'data');
  const storeFile =
    str('STORE_FILE') ?? join(isAbsolute(dataDir) ? dataDir : join(projectRoot, dataDir), 'requests.sqlite');
  function storage(): Config['storage'] {
    const kind = (str('STORAGE') ?? 'sqlite').toLowerCase();
    if (kind === 'sqlite') return { kind: 'sqlite' };
    if (kind !== 'blob') {
      problems.push(`STORAGE must be sqlite or blob, not '${kind}'.`);
      return { kind: 'sqlite' };
    }
    const connectionString = str('AZURE_STORAGE_CONNECTION_STRING');
    if (!connectionString) problems.push('STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING.');
    const container = str('STORAGE_CONTAINER') ?? 'soa-bot-requests';
    const queue = str('STORAGE_QUEUE') ?? 'soa-bot-work';
    if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(container))
      problems.push(
        `STORAGE_CONTAINER '${container}' is not a valid container name (3-63 lower-case letters, digits, hyphens).`,
      );
    if (!/^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(queue))
      problems.push(`STORAGE_QUEUE '${queue}' is not a valid queue name.`);
    return { kind: 'blob', connectionString: connectionString ?? '', container, queue };
  }
  const connectionName = str('OAUTH_CONNECTION_NAME');
  const tokenServiceUrl = str('BOT_FRAMEWORK_OAUTH_URL');
  if (tokenServiceUrl && !/^https?:\/\//.test(tokenServiceUrl))
    problems.push(`BOT_FRAMEWORK_OAUTH_URL must be a URL, not '${tokenServiceUrl}'.`);
  const channelMetadata = str('BOT_OPENID_METADATA_URL');
  const channelIssuer = str('BOT_TOKEN_ISSUER');
  if (channelMetadata && !/^https:\/\//.test(channelMetadata))
    problems.push(`BOT_OPENID_METADATA_URL must be an https URL, not '${channelMetadata}'.`);
  if (channelIssuer && !channelMetadata)
    problems.push(
      'BOT_TOKEN_ISSUER needs BOT_OPENID_METADATA_URL: the issuer and the keys that sign its tokens come together.',
    );
  const allowedTenants = (str('ALLOWED_TENANT_IDS') ?? [tenantId, str('BOT_TENANT_ID')].filter(Boolean).join(','))
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  for (const t of allowedTenants)
    if (!isObjectId(t)) problems.push(`ALLOWED_TENANT_IDS: '${t}' is not a tenant id (a GUID).`);
  const publicUrl = str('PUBLIC_URL')?.replace(/\/+$/, '');
  if (publicUrl && !/^https?:\/\/[^/]+$/.test(publicUrl))
    problems.push(`PUBLIC_URL must be the bot's base URL (scheme and host, no path), not '${publicUrl}'.`);
  if (mode === 'production' && publicUrl && !publicUrl.startsWith('https://'))
    problems.push('PUBLIC_URL must be https in production: export links carry request data.');
  const linkKeyMaterial =
    str('EXPORT_LINK_KEY') ??
    str('AAD_APP_CLIENT_SECRET') ??
    str('BOT_PASSWORD') ??
    (certificatePath && !certificateProblem(certificatePath) ? readFileSync(certificatePath, 'utf8') : undefined);
  const port = num('PORT', 3978, 0);
  if (port > 65535) problems.push(`PORT must be a port number, not '${port}'.`);
  const config: Config = {
    mode,
    port,
    host,
    ...(botId ? { botId } : {}),
    botType: botType ?? 'SingleTenant',
    ...(str('BOT_PASSWORD') ? { botPassword: str('BOT_PASSWORD') } : {}),
    ...(str('BOT_TENANT_ID') ? { botTenantId: str('BOT_TENANT_ID') } : {}),
    graph: {
      tenantId: tenantId ?? '',
      clientId: clientId ?? '',
      ...(clientSecret ? { clientSecret } : {}),
      ...(certificatePath ? { certificatePath } : {}),
      authorityHost,
      graphBaseUrl,
      timeoutMs: num('GRAPH_TIMEOUT_SECONDS', 30, 0.05) * 1000,
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
    graphBatching: bool('GRAPH_BATCHING', true),
    tenantCacheMs: num('TENANT_CACHE_SECONDS', 60, 0) * 1000,
    allowedTenants: [...new Set(allowedTenants)],
    clickBudgetMs: num('CLICK_ANSWER_BUDGET_MS', 700, 50),
    exports: {
      ...(publicUrl ? { publicUrl } : {}),
      linkKeyMaterial: linkKeyMaterial ?? '',
      linkMinutes: num('EXPORT_LINK_MINUTES', 15, 1),
    },
    policy: {
      approverRoles: roles,
      ...(approverGroupId ? { approverGroupId } : {}),
      allowSelfApproval: bool('ALLOW_SELF_APPROVAL', false),
    },
    minimums: {
      connectSync: str('CONNECT_SYNC_MIN_VERSION') ?? '2.5.76.0',
      cloudSync: str('CLOUD_SYNC_MIN_VERSION') ?? '1.1.1370.0',
    },
    requestTtlMs: num('REQUEST_TTL_HOURS', 72, 0.001) * 3_600_000,
    audit: {
      firstDelayMs: num('AUDIT_POLL_FIRST_DELAY_MS', 2000, 1),
      maxDelayMs: num('AUDIT_POLL_MAX_DELAY_MS', 60_000, 1),
      timeoutMs: num('AUDIT_POLL_TIMEOUT_MIN', 15, 0) * 60_000,
    },
    syncWatch: {
      intervalMs: num('SYNC_WATCH_INTERVAL_MS', 30_000, 1),
      timeoutMs: num('SYNC_WATCH_TIMEOUT_MIN', 180, 0) * 60_000,
    },
    remindAfterMs: num('REMIND_AFTER_HOURS', 24, 0.0001) * 3_600_000,
    archiveAfterMs: num('ARCHIVE_AFTER_DAYS', 30, 0) * 86_400_000,
    storage: storage(),
    worker: {
      leaseMs: num('LEASE_SECONDS', 60, 0.1) * 1000,
      visibilityMs: num('JOB_VISIBILITY_SECONDS', 120, 1) * 1000,
      pollMs: num('WORKER_POLL_MS', 1000, 1),
      concurrency: Math.floor(num('WORKER_CONCURRENCY', 4, 1)),
    },
  };
  if (config.worker.leaseMs >= config.worker.visibilityMs)
    problems.push(
      "LEASE_SECONDS must be shorter than JOB_VISIBILITY_SECONDS, so a crashed instance's lease has expired when its job reappears.",
    );
  if (problems.length) throw new ConfigError(`The bot is not configured correctly:\n- ${problems.join('\n- ')}`);
  return config;
}
