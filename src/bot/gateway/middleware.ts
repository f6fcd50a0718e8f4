/**
 * The one place every outgoing Bot Connector call goes through: a CloudAdapter middleware that
 * hands each turn's sends and card updates to the pacer. It runs for inbound turns and for the
 * notifier's proactive ones alike. An invoke's answer (`invokeResponse`) is the HTTP response to
 * Teams, not a Bot Connector call: it passes at once, and a card update made during an invoke
 * is queued without holding the answer back.
 */
import { ActivityTypes, type Activity, type Middleware, type ResourceResponse, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { Logger } from '../../ports/logger';
import { tenantOf } from '../turn';
import type { Pacer } from './pacer';
import { fitted } from './size';

/** The policy name of the Azure pipeline's own retry inside the Bot Connector client. */
const CLIENT_RETRY_POLICY = 'defaultRetryPolicy';

// Not Bot Connector calls: the invoke's HTTP answer, a pause between sends, a trace for the emulator.
const PASSED_AT_ONCE = new Set<string>([ActivityTypes.InvokeResponse, 'delay', ActivityTypes.Trace]);

/** One lane per conversation: a channel's threads share it, as Teams counts them. */
export function laneOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0]!;
}

export class OutboundGateway implements Middleware {
  constructor(
    private readonly pacer: Pacer,
    private readonly logger: Logger,
  ) {}

  async onTurn(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    ctx.onSendActivities(async (c, activities, send) => {
      if (activities.some((a) => PASSED_AT_ONCE.has(a.type ?? ''))) return send();
      activities.forEach((a, i) => (activities[i] = this.measured(c, a)));
      // A typing indicator late is no use, and teams-ai's typing timer makes the next reply wait
      // for it: it goes now, when its conversation is free, or not at all.
      const typing = activities.every((a) => a.type === ActivityTypes.Typing);
      try {
        const sent = await this.pacer.submit({
          ...this.where(c, activities[0]),
          ...(typing ? { nowOrNever: true } : {}),
          run: () => retriedHere(c, send),
        });
        return sent ?? activities.map((): ResourceResponse => ({ id: '' }));
      } catch (e) {
        if (proactive(c)) throw e;
        this.undelivered(c, 'reply not delivered after retries', e, { types: activities.map((a) => a.type) });
        return activities.map((): ResourceResponse => ({ id: '' }));
      }
    });
    ctx.onUpdateActivity(async (c, activity, update) => {
      const fits = this.measured(c, activity);
      if (fits !== activity) Object.assign(activity, fits);
      const invoke = c.activity.type === ActivityTypes.Invoke;
      // During an invoke the update outlives the turn (the answer does not wait for it): it is
      // made with the turn's connector client directly, not through the turn that has ended.
      const client = invoke ? connectorOf(c) : undefined;
      const conversationId = activity.conversation?.id;
      const direct =
        client && conversationId && activity.id
          ? () => client.conversations.updateActivity(conversationId, activity.id!, activity as Activity)
          : undefined;
      const paced = this.pacer.submit({
        ...this.where(c, activity),
        coalesce: `update:${activity.id ?? ''}`,
        run: direct ? () => direct().then(() => undefined) : () => retriedHere(c, update),
      });
      if (invoke) {
        paced.catch((e: unknown) => this.undelivered(c, 'card update not delivered after retries', e));
        return;
      }
      try {
        await paced;
      } catch (e) {
        if (proactive(c)) throw e;
        this.undelivered(c, 'card update not delivered after retries', e);
      }
    });
    await next();
  }

  /** The activity, or a copy cut to Teams' size limit (never sent to be refused with 413). */
  private measured(c: TurnContext, a: Partial<Activity>): Partial<Activity> {
    const { activity, cut, bytes } = fitted(a);
    if (cut)
      this.logger.warn('activity cut to the size limit', { conversation: c.activity.conversation?.id, cut, bytes });
    return activity;
  }

  private where(c: TurnContext, a: Partial<Activity> | undefined): { lane: string; tenant: string } {
    const conversation = a?.conversation?.id ?? c.activity.conversation?.id ?? '';
    return { lane: laneOf(conversation), tenant: tenantOf(c.activity) ?? 'unknown' };
  }

  /**
   * The state was stored before anything is posted, so a reply or card update lost after every
   * retry loses nothing (status, the board and the card's refresh show it): the turn goes on.
   */
  private undelivered(c: TurnContext, what: string, e: unknown, more: Record<string, unknown> = {}): void {
    this.logger.warn(what, {
      conversation: c.activity.conversation?.id ?? null,
      ...more,
      error: e instanceof Error ? e.message.slice(0, 200) : String(e),
    });
  }
}

/** A proactive post: its failure belongs to the caller (the notifier's), which logs and goes on. */
function proactive(c: TurnContext): boolean {
  const name = c.activity.name ?? '';
  return c.activity.type === ActivityTypes.Event && (name === 'ContinueConversation' || name === 'CreateConversation');
}

/**
 * The Bot Connector client of the turn retries some failures itself (429 with Retry-After, 5xx);
 * the pacer retries them all, counted and in order, so the client's own retry is taken out
 * rather than nested inside ours.
 */
function retriedHere<T>(c: TurnContext, call: () => Promise<T>): Promise<T> {
  connectorOf(c);
  return call();
}

/** The turn's Bot Connector client, its own retry taken out. */
function connectorOf(c: TurnContext): ConnectorClient | undefined {
  const key = (c.adapter as { ConnectorClientKey?: symbol }).ConnectorClientKey;
  const client = key ? (c.turnState.get(key) as ConnectorClient | undefined) : undefined;
  // `client` is private in the typings: the Azure ServiceClient whose pipeline holds the retry.
  const pipeline = (
    client as unknown as { client?: { pipeline?: { removePolicy?: (p: { name: string }) => unknown } } }
  )?.client?.pipeline;
  pipeline?.removePolicy?.({ name: CLIENT_RETRY_POLICY });
  return client;
}
