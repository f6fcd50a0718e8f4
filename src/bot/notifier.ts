/** Posts into conversations and updates cards outside the turn (Bot Framework proactive calls). */
import { CardFactory, MessageFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConversationAnchor } from '../domain/request';
import type { Notifier, Outgoing } from '../ports/notifier';

export class BotNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly botAppId: string,
  ) {}

  async post(anchor: ConversationAnchor, message: Outgoing): Promise<void> {
    await this.adapter.continueConversationAsync(
      this.botAppId,
      anchor.reference as Partial<ConversationReference>,
      async (ctx) => {
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
        await ctx.sendActivity(activity);
      },
    );
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
}
