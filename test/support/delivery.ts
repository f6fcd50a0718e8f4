/**
 * Was everything the bot meant to say delivered? Against a channel that enforces Teams' limits,
 * a refused post must come again later (the bot retried it), a refused card update must be
 * followed by an accepted update of the same card (the same one, or a newer one that replaced
 * it), and nothing may be refused for its size.
 */
import type { Outbound, TestChannel } from './connector';

/** What a post says, whatever the transport added (ids, timestamps). */
function said(o: Outbound): string {
  const a = o.activity;
  return JSON.stringify([o.kind, o.conversationId, o.targetId ?? '', a.type, a.text ?? '', a.attachments ?? []]);
}

/** The refused operations that never got through afterwards; empty when nothing was lost. */
export function undelivered(channel: TestChannel): string[] {
  const lost: string[] = [];
  for (const r of channel.refusedOutbound) {
    const later = channel.outbound.slice(r.accepted);
    const through =
      r.status === 429 &&
      (r.kind === 'update'
        ? later.some((o) => o.kind === 'update' && o.targetId === r.targetId)
        : later.some((o) => said(o) === said(r)));
    if (!through) lost.push(`${r.status} ${r.kind} ${r.conversationId}: ${String(r.activity.text ?? '').slice(0, 80)}`);
  }
  return lost;
}

/** The activities the bot sent into one thread of a channel (its root post's replies), in order. */
export function thread(channel: TestChannel, conversationId: string): Outbound[] {
  return channel.outbound.filter((o) => o.conversationId === conversationId);
}
