/** Posts into Teams outside the turn that started the work. */
import type { ConversationAnchor, Person } from '../domain/request';

/** People named in `text` as `<at>Name</at>`: Teams notifies them. */
export interface Mention {
  /** The Teams user id (`29:…`). */
  id: string;
  name: string;
}

export type Outgoing = { text: string; mentions?: Mention[] } | { card: Record<string, unknown>; text?: string };

export interface Notifier {
  /** Posts into the request's thread (channel) or conversation (chats). */
  post(anchor: ConversationAnchor, message: Outgoing): Promise<void>;
  /** Posts a card into the request's thread; its activity id (to update it later), when Teams gave one. */
  postCard(anchor: ConversationAnchor, card: Record<string, unknown>, text?: string): Promise<string | undefined>;
  /** Replaces the request's card for everyone. */
  updateCard(anchor: ConversationAnchor, card: Record<string, unknown>): Promise<void>;
}

/** A message for one person alone: their one-to-one chat with the bot, not a shared conversation. */
export interface PrivateNotifier {
  /**
   * Posts into `to`'s one-to-one chat with the bot (Teams gives the same chat each time).
   * `via` is a conversation they are in: it gives the tenant and the service to reach them through.
   */
  postPrivately(via: ConversationAnchor, to: Person, message: Outgoing): Promise<void>;
}
