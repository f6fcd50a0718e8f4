/** Reading a Teams turn: who, where, and how to reach its thread later. */
import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationAnchor, Person } from '../domain/request';

export function person(activity: Activity): Person | null {
  const id = activity.from?.aadObjectId;
  if (!id) return null;
  return { id, name: activity.from.name || id, ...(activity.from.id ? { channelUserId: activity.from.id } : {}) };
}

export function conversationType(activity: Activity): ConversationAnchor['conversationType'] {
  const t = activity.conversation?.conversationType;
  if (t === 'channel') return 'channel';
  if (t === 'groupChat') return 'groupChat';
  return 'personal';
}

/**
 * Where the request's thread is. In a channel, a message that started a new post has no
 * ";messageid=" in its conversation id: its replies belong to the thread rooted at it.
 */
export function anchorFor(activity: Activity): ConversationAnchor {
  const reference = TurnContext.getConversationReference(activity) as Record<string, unknown> & { conversation: { id: string } };
  const type = conversationType(activity);
  if (type === 'channel' && activity.id && !reference.conversation.id.includes(';messageid=')) {
    reference.conversation = { ...reference.conversation, id: `${reference.conversation.id};messageid=${activity.id}` };
  }
  delete reference.activityId;
  return { reference, conversationType: type };
}
