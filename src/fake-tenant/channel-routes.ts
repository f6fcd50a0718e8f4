/** The Bot Framework channel's OpenID metadata and signing keys, as the bot's inbound auth fetches them. */
import { CHANNEL_KEYS_PATH, CHANNEL_METADATA_PATH, type ChannelAuthority } from './channel';
import { jsonReply, type HttpReply } from './http';

/** The reply for a channel endpoint, or null when the request is not for one. */
export function channelRoute(
  channel: ChannelAuthority,
  method: string,
  path: string,
  origin: string,
): HttpReply | null {
  if (path === CHANNEL_METADATA_PATH && method === 'GET') return jsonReply(200, channel.metadata(origin));
  if (path === CHANNEL_KEYS_PATH && method === 'GET') return jsonReply(200, channel.jwks());
  return null;
}
