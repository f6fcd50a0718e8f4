/** Where each channel's (or chat's) tracking board card is, so it can be refreshed. */
import type { ConversationAnchor } from '../domain/request';

export interface Board {
  /** The channel id (threads share it) or the chat's conversation id. */
  key: string;
  /** Where the board card was posted; `cardActivityId` is the card to update. */
  anchor: ConversationAnchor;
  postedAt: string;
  postedBy: string;
  /**
   * Refreshes of this card, numbered in the order they started (across instances): the last
   * number given out, and the highest whose card was sent. Absent on a card not yet refreshed.
   */
  renders?: number;
  shown?: number;
}

export interface BoardStore {
  get(key: string): Promise<Board | null>;
  /** Last writer wins: a newer `board` command replaces the record (and its refresh numbers). */
  put(board: Board): Promise<void>;
  /**
   * A refresh starts: the board with the next refresh number, taken atomically (two instances
   * never get the same number); null when the conversation has no board.
   */
  startRender(key: string): Promise<{ board: Board; render: number } | null>;
  /**
   * The card `cardActivityId` was sent the content of refresh `render`: `shown` is raised to it.
   * Answers the highest number sent before (0 for none), or null when the board is now another
   * card (a newer `board` command).
   */
  rendered(key: string, cardActivityId: string, render: number): Promise<number | null>;
  close(): Promise<void>;
}

/** The board key of a conversation: a channel thread's id carries `;messageid=`, the channel's does not. */
export function boardKey(anchor: ConversationAnchor): string {
  const id = String((anchor.reference.conversation as { id?: string } | undefined)?.id ?? '');
  return id.split(';messageid=')[0]!;
}
