/**
 * What runs before the bot on every inbound activity: only the organisation's own tenants get
 * any further. (Replies and card updates that fail after every retry are logged by the outbound
 * gateway, gateway/middleware.ts, instead of ending the turn.)
 */
import type { TurnContext } from 'botbuilder';
import type { UserTokenClient } from 'botframework-connector';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger';
import { TURNED_AWAY } from '../views/account';
import { tenantOf } from './turn';

export interface TurnGuardOptions {
  adapter: TeamsAdapter;
  /** Lower-case Entra tenant ids. */
  allowedTenants: string[];
  logger: Logger;
  /**
   * Local mode: inbound turns carry no Bot Framework app id, so the token service client (made
   * for the bot's Entra app) is set on each turn; in production the adapter makes it itself.
   */
  userTokenClient?: () => Promise<UserTokenClient>;
}

/** `false` ends the turn: the activity was answered here. */
export function turnGuard(o: TurnGuardOptions): (ctx: TurnContext) => Promise<void | boolean> {
  return async (ctx) => {
    if (!(await fromAllowedTenant(ctx, o))) return false;
    if (o.userTokenClient) ctx.turnState.set(o.adapter.UserTokenClientKey, await o.userTokenClient());
  };
}

/** Only the organisation's own tenant: anything else is answered with a refusal and goes no further. */
async function fromAllowedTenant(ctx: TurnContext, o: TurnGuardOptions): Promise<boolean> {
  const tenant = tenantOf(ctx.activity);
  if (tenant && o.allowedTenants.includes(tenant)) return true;
  o.logger.warn('activity from a tenant not allowed', {
    tenant: tenant ?? null,
    type: ctx.activity.type,
    name: ctx.activity.name ?? null,
  });
  const text = TURNED_AWAY.otherTenant;
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
