/** Where each channel's (or chat's) tracking board card is, so it can be refreshed. */
import type { ConversationAnchor } from '../domain/request';

export interface Board {
  /** The channel id (threads share it) or the chat's conversation id. */
  key: string;
  /** Where the board card was posted; `cardActivityId` is the card to update. */
  anchor: ConversationAnchor;
  postedAt: string;
  postedBy: string;
}

export interface BoardStore {
  get(key: string): Promise<Board | null>;
  /** Last writer wins: a newer `board` command replaces the record. */
  put(board: Board): Promise<void>;
  close(): Promise<void>;
}

/** The board key of a conversation: a channel thread's id carries `;messageid=`, the channel's does not. */
export function boardKey(anchor: ConversationAnchor): string {
  const id = String((anchor.reference.conversation as { id?: string } | undefined)?.id ?? '');
  return id.split(';messageid=')[0]!;
}
