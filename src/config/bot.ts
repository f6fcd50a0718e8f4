/** The rules for the bot's own identity: local or production mode, how it binds, its Bot Framework credential. */
import { isObjectId } from '../domain/command';
import type { EnvReader } from './env';

export type BotType = 'SingleTenant' | 'UserAssignedMSI';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** The settings as read (trimmed; undefined when unset). */
export interface BotSettings {
  botId?: string;
  botType?: string;
  host?: string;
  botPassword?: string;
  appClientId?: string;
  botTenantId?: string;
  oauthConnectionName?: string;
  storage?: string;
}

export interface BotIdentity {
  mode: 'local' | 'production';
  host: string;
  botId: string | undefined;
  /** undefined: BOT_TYPE was not understood (a problem is recorded). */
  botType: BotType | undefined;
}

export function botIdentity(r: EnvReader, s: BotSettings): BotIdentity {
  const botTypeSetting = s.botType ?? 'SingleTenant';
  const botType = (['SingleTenant', 'UserAssignedMSI'] as const).find(
    (t) => t.toLowerCase() === botTypeSetting.toLowerCase(),
  );
  if (!botType)
    r.problem(
      `BOT_TYPE must be SingleTenant or UserAssignedMSI, not '${botTypeSetting}' ` +
        '(new Azure Bot registrations cannot be multi-tenant).',
    );
  const mode = s.botId ? 'production' : 'local';
  const host = s.host ?? (mode === 'local' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'local' && !LOOPBACK.has(host))
    r.problem(
      `Local mode (no BOT_ID) has no Bot Framework authentication, so it only binds to loopback; HOST is '${host}'.`,
    );
  if (mode === 'production') productionProblems(r, s, s.botId!, botType);
  return { mode, host, botId: s.botId, botType };
}

/** What production needs on top of local mode: a real bot registration, SSO, explicit storage. */
function productionProblems(r: EnvReader, s: BotSettings, botId: string, botType: BotType | undefined): void {
  if (!isObjectId(botId)) r.problem(`BOT_ID must be the bot's Entra app id (a GUID), not '${botId}'.`);
  if (botType === 'SingleTenant' && !s.botPassword)
    r.problem(
      'BOT_PASSWORD is missing: the Bot Framework credential ' +
        "(or BOT_TYPE=UserAssignedMSI with BOT_ID set to the managed identity's client id).",
    );
  if (botType === 'UserAssignedMSI') {
    // The managed identity authenticates the bot to Bot Framework only; on-behalf-of needs an
    // app registration with a secret or certificate, so that one is configured separately.
    if (!s.appClientId)
      r.problem(
        'AAD_APP_CLIENT_ID is missing: with BOT_TYPE=UserAssignedMSI the Entra app for SSO and on-behalf-of ' +
          "is separate from the bot's managed identity.",
      );
    else if (s.appClientId === botId)
      r.problem(
        'AAD_APP_CLIENT_ID must differ from BOT_ID with BOT_TYPE=UserAssignedMSI: ' +
          'a managed identity cannot do on-behalf-of.',
      );
  }
  const botTenant = s.botTenantId;
  if (!botTenant) r.problem('BOT_TENANT_ID is missing: new Azure Bot registrations are single-tenant.');
  else if (!isObjectId(botTenant)) r.problem(`BOT_TENANT_ID must be a tenant id (a GUID), not '${botTenant}'.`);
  if (!s.oauthConnectionName)
    r.problem("OAUTH_CONNECTION_NAME is missing: the Azure Bot OAuth connection that gives the approver's SSO token.");
  if (s.storage === undefined)
    r.problem('STORAGE is missing: choose sqlite (one instance) or blob (several instances) explicitly in production.');
}
