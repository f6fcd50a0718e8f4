/**
 * What runs before the bot on every inbound activity: failed replies and card updates are
 * logged instead of ending the turn, and only the organisation's own tenants get any further.
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
    logUndelivered(ctx, o.logger);
    if (!(await fromAllowedTenant(ctx, o))) return false;
    if (o.userTokenClient) ctx.turnState.set(o.adapter.UserTokenClientKey, await o.userTokenClient());
  };
}

/**
 * Bot Connector calls are retried by its client (429/5xx, with backoff). When they still
 * fail, the turn goes on: the state was stored before anything is posted, so a lost reply
 * or card update loses nothing (status, the board and the card's refresh show it).
 */
function logUndelivered(ctx: TurnContext, logger: Logger): void {
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
