/** Reading a Teams turn: who, where, and how to reach its thread later. */
import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationAnchor, Person } from '../domain/request';

export function person(activity: Activity): Person | null {
  const id = activity.from?.aadObjectId;
  if (!id) return null;
  return { id, name: activity.from.name || id, ...(activity.from.id ? { channelUserId: activity.from.id } : {}) };
}

function conversationType(activity: Activity): ConversationAnchor['conversationType'] {
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
  const reference = TurnContext.getConversationReference(activity) as Record<string, unknown> & {
    conversation: { id: string };
  };
  const type = conversationType(activity);
  if (type === 'channel' && activity.id && !reference.conversation.id.includes(';messageid=')) {
    reference.conversation = { ...reference.conversation, id: `${reference.conversation.id};messageid=${activity.id}` };
  }
  delete reference.activityId;
  return { reference, conversationType: type };
}

/** The Entra tenant an activity comes from (Teams puts it on the conversation and in channelData). */
export function tenantOf(activity: Activity): string | undefined {
  const fromConversation = (activity.conversation as { tenantId?: string } | undefined)?.tenantId;
  const fromChannel = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return (fromConversation ?? fromChannel)?.toLowerCase();
}
