/**
 * The Bot Connector side of inbound authentication, for tests of a production-mode bot: the
 * OpenID metadata and signing keys that channel tokens are checked against, and tokens shaped
 * as the channel sends them (issuer api.botframework.com, audience the bot's app id, the
 * `serviceurl` claim, a key endorsed for the `msteams` channel).
 */
import { jwk, newSigningKey, signJwt, type SigningKey } from './jwt';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const CHANNEL_METADATA_PATH = '/botframework/v1/.well-known/openidconfiguration';
export const CHANNEL_KEYS_PATH = '/botframework/v1/.well-known/keys';

export class ChannelAuthority {
  readonly key: SigningKey = newSigningKey();

  metadata(origin: string): Record<string, unknown> {
    return {
      issuer: CHANNEL_ISSUER,
      authorization_endpoint: `${origin}/botframework/v1/authorize`,
      jwks_uri: `${origin}${CHANNEL_KEYS_PATH}`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    };
  }

  jwks(): Record<string, unknown> {
    return { keys: [{ ...jwk(this.key), endorsements: ['msteams'] }] };
  }

  token(input: { audience: string; serviceUrl: string; lifetimeSeconds?: number }): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(this.key, {
      serviceurl: input.serviceUrl,
      nbf: now - 5,
      exp: now + (input.lifetimeSeconds ?? 3600),
      iss: CHANNEL_ISSUER,
      aud: input.audience,
    });
  }
}
