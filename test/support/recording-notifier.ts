/** A notifier that records what would have been posted into Teams, and can be made to fail. */
import type { ConversationAnchor } from '../../src/domain/request';
import type { Notifier, Outgoing } from '../../src/ports/notifier';

export class RecordingNotifier implements Notifier {
  readonly posts: Array<{ anchor: ConversationAnchor; message: Outgoing }> = [];
  readonly cards: Array<{ anchor: ConversationAnchor; card: Record<string, unknown> }> = [];
  /** While set, posts and card updates fail with this error (Teams unreachable). */
  failing: Error | null = null;

  async post(anchor: ConversationAnchor, message: Outgoing): Promise<void> {
    if (this.failing) throw this.failing;
    this.posts.push({ anchor, message });
  }

  async postCard(anchor: ConversationAnchor, card: Record<string, unknown>, text?: string): Promise<string> {
    if (this.failing) throw this.failing;
    this.posts.push({ anchor, message: { card, ...(text ? { text } : {}) } });
    return `posted-card-${this.posts.length}`;
  }

  async updateCard(anchor: ConversationAnchor, card: Record<string, unknown>): Promise<void> {
    if (this.failing) throw this.failing;
    this.cards.push({ anchor, card });
  }

  /** The text of every post so far. */
  texts(): string[] {
    return this.posts.map((p) => p.message.text ?? '');
  }
}
