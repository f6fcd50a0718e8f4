/**
 * Inbound authentication of /api/messages in production: every activity carries a Bot
 * Framework channel token, checked by botbuilder against the channel's OpenID metadata
 * (signature, issuer, audience = our app id, lifetime, `serviceurl`, key endorsed for the channel).
 *
 * Two things are added here:
 * - Only channel tokens. botbuilder also accepts Emulator and skill tokens on the same route
 *   (issued by Entra for any app that names ours); a Teams bot has no use for either.
 * - Every refusal is a 401. botbuilder answers 500 when the token fails inside the JWT library
 *   (a bad signature, for one) or when the key set cannot be fetched, which reads as our fault
 *   and invites a retry; a request that was not proven to come from the channel is refused.
 */
import { AuthenticationConstants, AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import { CallerIdConstants, type Activity } from 'botbuilder';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../ports/logger';

export interface ChannelAuthSettings {
  openIdMetadataUrl: string;
  tokenIssuer?: string;
}

/**
 * The adapter's authentication settings. With a metadata URL of our own, botbuilder expects
 * every endpoint spelled out, so the public-cloud values fill the rest.
 */
export function channelAuthConfig(
  channel: ChannelAuthSettings | undefined,
  oauthUrl: string | undefined,
): Record<string, string> {
  if (!channel) return oauthUrl ? { OAuthUrl: oauthUrl } : {};
  return {
    ToBotFromChannelOpenIdMetadataUrl: channel.openIdMetadataUrl,
    ToBotFromChannelTokenIssuer: channel.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    OAuthUrl: oauthUrl ?? AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  };
}

/** The issuer a token claims, read without trusting it (the signature is checked afterwards). */
function claimedIssuer(authHeader: string): string | null {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]*)$/.exec(authHeader.trim());
  if (!m) return null;
  try {
    const claims = JSON.parse(Buffer.from(m[2]!, 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' ? claims.iss : null;
  } catch {
    return null;
  }
}

const REFUSED = 'Unauthorized: the request does not carry a valid Bot Framework channel token.';

export function guardInbound(adapter: CloudAdapter, channelIssuer: string, logger: Logger): void {
  // The adapter keeps its authentication as a protected member; wrapping it keeps botbuilder's checks whole.
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const inner = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity: Activity, authHeader: string) => {
    const refuse = (reason: string): never => {
      // The reason and the activity's shape only: never the header.
      logger.warn('inbound activity refused', {
        reason,
        type: activity?.type ?? null,
        channelId: activity?.channelId ?? null,
      });
      throw new AuthenticationError(REFUSED, 401);
    };
    if (!authHeader?.trim()) return refuse('no Authorization header');
    const issuer = claimedIssuer(authHeader);
    if (issuer !== channelIssuer) return refuse(issuer === null ? 'not a bearer JWT' : 'not a channel token (issuer)');
    try {
      return await inner(activity, authHeader);
    } catch (e) {
      return refuse(e instanceof Error ? e.message.slice(0, 200) : 'token rejected');
    }
  };
}
