/**
 * The one place where Graph and token failures become coded errors. Callers switch on
 * `code`; the message is safe to show (no tokens, no raw bodies).
 */
import { CodedError } from '../../domain/errors';

interface GraphLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  headers?: Headers | Record<string, string>;
  name?: string;
}

function header(h: GraphLikeError['headers'], name: string): string | null {
  if (!h) return null;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name);
  const rec = h as Record<string, string>;
  const key = Object.keys(rec).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? rec[key]! : null;
}

const INTERACTION = new Set([50076, 50079, 50078, 50158, 50173, 70043, 50074, 50072]);

/** Where an administrator grants tenant-wide consent to the bot's app. */
export interface ConsentTarget {
  authorityHost: string;
  tenantId: string;
  clientId: string;
}

export function adminConsentUrl(t: ConsentTarget): string {
  const tenant = encodeURIComponent(t.tenantId);
  return `${t.authorityHost.replace(/\/$/, '')}/${tenant}/adminconsent?client_id=${encodeURIComponent(t.clientId)}`;
}

/** Client secret invalid / expired, client assertion bad signature / time range / issuer / malformed. */
const APP_CREDENTIAL = new Set([7000215, 7000222, 700027, 700024, 700023, 700025]);

/**
 * Maps an AADSTS code (from MSAL / @azure/identity messages) to a coded error. `claims`: the
 * claims challenge Entra ID sent with it (kept in the details for the sign-in that answers it).
 */
export function fromAadsts(code: number, raw: string, consent?: ConsentTarget, claims?: string): CodedError {
  if (code === 65001 || code === 65004) {
    const link = consent ? ` An administrator can grant it here: ${adminConsentUrl(consent)}` : '';
    return new CodedError(
      'ConsentRequired',
      'The bot has not been given consent to act for you in Microsoft Graph. ' +
        `An administrator must grant admin consent to the bot's delegated permissions.${link}`,
      { aadsts: code, ...(consent ? { consentUrl: adminConsentUrl(consent) } : {}) },
    );
  }
  if (code === 53003)
    return new CodedError(
      'BlockedByConditionalAccess',
      'A Conditional Access policy blocked the sign-in for this action. Ask your identity team which policy applies.',
      { aadsts: code },
    );
  if (INTERACTION.has(code)) {
    return new CodedError(
      'InteractionRequired',
      'Your organisation requires you to sign in again (for example with multi-factor authentication) ' +
        'before this action. Sign in, then click again.',
      { aadsts: code, ...(claims ? { claims } : {}) },
    );
  }
  // The bot's own credential (secret or certificate), not the user's: nothing the user can fix.
  if (APP_CREDENTIAL.has(code)) {
    return new CodedError(
      'AppCredentialRejected',
      `Entra ID refused the bot's own app credential (AADSTS${code}: the client secret or certificate is wrong, ` +
        'expired or not registered on the app). An administrator must renew it; nothing was changed.',
      { aadsts: code },
    );
  }
  if (code === 500133)
    return new CodedError('TokenExpired', 'Your sign-in has expired. Sign in again, then click again.', {
      aadsts: code,
    });
  if (code === 50013 || code === 50027)
    return new CodedError('Unauthorized', 'Your sign-in token could not be used for this action. Sign in again.', {
      aadsts: code,
    });
  return new CodedError('Unauthorized', `Sign-in failed (AADSTS${code}).`, {
    aadsts: code,
    raw: raw.slice(0, 200).replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'),
  });
}

/** What mapGraphError knows besides the error: the group, where consent is granted, Entra ID's refusal. */
export interface ErrorContext {
  groupId?: string;
  consent?: ConsentTarget;
  /** The token endpoint's own answer, when it refused the token (its claims challenge). */
  refusal?: { codes: number[]; claims?: string } | null;
}

export function mapGraphError(e: unknown, context: ErrorContext = {}): CodedError {
  if (e instanceof CodedError) return e;
  const err = (e ?? {}) as GraphLikeError;
  const message = String(err.message ?? e);
  const aadsts = /AADSTS(\d+)/.exec(message);
  if (aadsts) {
    const code = Number(aadsts[1]);
    const claims = context.refusal?.codes.includes(code) ? context.refusal.claims : undefined;
    return fromAadsts(code, message, context.consent, claims);
  }
  if (err.name === 'CredentialUnavailableError' || err.code === 'CredentialUnavailableError') {
    return new CodedError(
      'Unauthorized',
      'The bot could not sign in to Microsoft Entra ID: check its app settings (AAD_APP_CLIENT_ID, ' +
        'AAD_APP_TENANT_ID, secret or certificate) and that the sign-in authority is reachable.',
      { credential: true },
    );
  }
  if (err.name === 'AuthenticationRequiredError' || err.code === 'AuthenticationRequiredError') {
    return new CodedError('Unauthorized', 'Signing in for Microsoft Graph failed. Sign in again.', {});
  }
  if (err.name === 'GraphTimeoutError' || err.code === 'GraphTimeoutError') {
    // No answer is not a refusal: a write may or may not have happened, so callers read back before writing again.
    return new CodedError('ServiceUnavailable', 'Microsoft Graph did not answer in time.', { timeout: true });
  }
  const status = err.statusCode ?? 0;
  const code = err.code ?? '';
  switch (true) {
    case status === 404:
      return new CodedError(
        'GroupNotFound',
        context.groupId ? `The group ${context.groupId} no longer exists in Entra ID.` : 'Not found in Entra ID.',
        { status, code },
      );
    case status === 403:
      return new CodedError(
        'PermissionDenied',
        'Microsoft Graph refused: the signed-in user lacks the directory role, or the bot lacks the permission, ' +
          'for this operation.',
        { status, code },
      );
    case status === 401:
      return new CodedError('Unauthorized', 'Microsoft Graph did not accept the sign-in token.', { status, code });
    case status === 429: {
      const retryAfter = Number(header(err.headers, 'retry-after') ?? '');
      return new CodedError('Throttled', 'Microsoft Graph is throttling requests; the bot retries later.', {
        status,
        retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : null,
      });
    }
    case status === 503 || status === 504 || status === 502:
      return new CodedError('ServiceUnavailable', 'Microsoft Graph is temporarily unavailable.', { status, code });
    case status === 400 && /on-premises mastered/i.test(message):
      return new CodedError('SyncedObjectReadOnly', 'The group is managed in AD, so the cloud copy is read-only.', {
        status,
        code,
      });
    case status === 400 && /synchronized from on-premises/i.test(message):
      return new CodedError('NotSyncedFromAd', 'The group is not synced from AD: there is nothing to switch.', {
        status,
        code,
      });
    case status === 400:
      return new CodedError('BadRequest', `Microsoft Graph rejected the request (${code || 'BadRequest'}).`, {
        status,
        code,
      });
    default:
      return new CodedError(
        'DirectoryError',
        `Microsoft Graph call failed${status ? ` (HTTP ${status}${code ? `, ${code}` : ''})` : ''}.`,
        { status, code },
      );
  }
}
