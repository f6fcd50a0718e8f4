/** Tokens minted for tests: a Bot Framework channel token, and a Teams SSO token for a user. */
import { jsonReply, type HttpReply } from '../http';
import { adminError, type AdminContext, type AdminInput } from './context';

/** POST /_fake/channel-token */
export function channelToken(ctx: AdminContext, input: AdminInput): HttpReply {
  const { audience, serviceUrl, lifetimeSeconds } = input ?? {};
  if (typeof audience !== 'string' || !audience) return adminError(400, "'audience' (the bot's app id) is required.");
  if (typeof serviceUrl !== 'string' || !serviceUrl) return adminError(400, "'serviceUrl' is required.");
  if (lifetimeSeconds !== undefined && typeof lifetimeSeconds !== 'number')
    return adminError(400, "'lifetimeSeconds' must be a number.");
  return jsonReply(200, {
    token: ctx.channel.token({
      audience,
      serviceUrl,
      ...(lifetimeSeconds !== undefined ? { lifetimeSeconds: lifetimeSeconds as number } : {}),
    }),
  });
}

/** POST /_fake/sso-token */
export function ssoToken(ctx: AdminContext, input: AdminInput, origin: string): HttpReply {
  const oid = input?.oid;
  if (typeof oid !== 'string' || !oid) return adminError(400, "'oid' is required.");
  if (!ctx.tenant().users.has(oid)) return adminError(404, `No user with id '${oid}' in the tenant.`);
  const lifetime = input?.lifetimeSeconds;
  if (lifetime !== undefined && typeof lifetime !== 'number')
    return adminError(400, "'lifetimeSeconds' must be a number.");
  const token = ctx.identity.ssoToken(origin, oid, {
    lifetimeSeconds: lifetime as number | undefined,
    mfa: input?.mfa === true,
    audience: typeof input?.audience === 'string' ? input.audience : undefined,
  });
  return jsonReply(200, { token });
}
