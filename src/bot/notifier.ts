/** Posts into conversations and updates cards outside the turn (Bot Framework proactive calls). */
import {
  CardFactory,
  MessageFactory,
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
} from 'botbuilder';
import type { ConversationAnchor, Person } from '../domain/request';
import type { Notifier, Outgoing, PrivateNotifier } from '../ports/notifier';
import type { Pacer } from './gateway/pacer';

export class BotNotifier implements Notifier, PrivateNotifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
    /** Paces creating a conversation; the posts in it are paced by the gateway middleware. */
    private readonly pacer?: Pacer,
  ) {}

  async post(anchor: ConversationAnchor, message: Outgoing): Promise<void> {
    await this.adapter.continueConversationAsync(
      this.botAppId,
      anchor.reference as Partial<ConversationReference>,
      async (ctx) => {
        await ctx.sendActivity(activityOf(message));
      },
    );
  }

  async postCard(
    anchor: ConversationAnchor,
    card: Record<string, unknown>,
    text?: string,
  ): Promise<string | undefined> {
    let id: string | undefined;
    await this.adapter.continueConversationAsync(
      this.botAppId,
      anchor.reference as Partial<ConversationReference>,
      async (ctx) => {
        // A post the gateway gave up on answers with an empty id: nothing to update later.
        id = (await ctx.sendActivity(activityOf({ card, ...(text ? { text } : {}) })))?.id || undefined;
      },
    );
    return id;
  }

  async updateCard(anchor: ConversationAnchor, card: Record<string, unknown>): Promise<void> {
    if (!anchor.cardActivityId) return;
    await this.adapter.continueConversationAsync(
      this.botAppId,
      anchor.reference as Partial<ConversationReference>,
      async (ctx) => {
        await ctx.updateActivity({
          type: 'message',
          id: anchor.cardActivityId,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      },
    );
  }

  /**
   * Bot Connector createConversation with the person as the only member: Teams answers with the
   * person's one-to-one chat with the bot (the bot must be installed for them, or in a team or
   * chat they are in), and the message is posted there.
   */
  async postPrivately(via: ConversationAnchor, to: Person, message: Outgoing): Promise<void> {
    const ref = via.reference as Partial<ConversationReference> & { conversation?: { tenantId?: string } };
    if (!to.channelUserId) throw new Error('no Teams user id to reach the person by');
    if (!ref.serviceUrl || !ref.bot) throw new Error('no service to reach the person through');
    const tenantId = ref.conversation?.tenantId;
    const parameters = {
      isGroup: false,
      bot: ref.bot,
      members: [{ id: to.channelUserId, name: to.name }],
      ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
    } as ConversationParameters;
    const create = () =>
      this.adapter.createConversationAsync(
        this.botAppId,
        ref.channelId ?? 'msteams',
        ref.serviceUrl!,
        // No audience: the connector uses the configured cloud's channel audience.
        undefined as unknown as string,
        parameters,
        async (ctx) => {
          await ctx.sendActivity(activityOf(message));
        },
      );
    // The connector client retries its own createConversation call (it is made before the turn
    // the gateway sees): paced here, not retried twice.
    if (!this.pacer) return create();
    await this.pacer.submit({
      lane: `create:${to.channelUserId}`,
      tenant: tenantId?.toLowerCase() ?? 'unknown',
      retry: false,
      run: create,
    });
  }
}

function activityOf(message: Outgoing): Partial<Activity> {
  const activity =
    'card' in message
      ? MessageFactory.attachment(CardFactory.adaptiveCard(message.card), message.text)
      : MessageFactory.text(message.text);
  activity.textFormat = 'markdown';
  if ('mentions' in message && message.mentions?.length) {
    activity.entities = message.mentions.map((m) => ({
      type: 'mention',
      text: `<at>${m.name}</at>`,
      mentioned: { id: m.id, name: m.name },
    }));
  }
  return activity;
}
