/** Reading what the bot sent: a line per activity, the text on a card, its buttons. */
import type { Outbound } from './connector';

export function describe(o: Outbound): string {
  const a = o.activity;
  const card = a.attachments?.[0]?.content;
  const target = o.targetId ? ` → ${o.targetId}` : '';
  const shown = card ? ` [card: ${cardText(card).slice(0, 160)}]` : '';
  return `${o.kind} ${o.conversationId}${target}: ${a.text ?? ''}${shown}`;
}

/** All text on a card, for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      for (const k of ['text', 'title', 'value', 'label']) if (typeof o[k] === 'string') out.push(o[k] as string);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out.join(' | ');
}

export function cardOf(o: Outbound): any {
  return o.activity.attachments?.[0]?.content;
}

/** Action.Execute buttons on a card (including inside ShowCard), by verb. */
export function actions(card: any): Array<{ verb: string; title: string; data: Record<string, unknown> }> {
  const out: Array<{ verb: string; title: string; data: Record<string, unknown> }> = [];
  const walk = (n: any) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (n.type === 'Action.Execute') out.push({ verb: n.verb, title: n.title, data: n.data ?? {} });
      for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
    }
  };
  walk(card);
  return out;
}
