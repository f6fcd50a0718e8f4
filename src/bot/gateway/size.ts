/**
 * Teams refuses a message above its size limit (413 MessageSizeTooBig), counted on the UTF-16
 * form of the activity's JSON. Before an activity leaves, it is measured; a card above the limit
 * loses the tail of its longest lists (with a closing line saying how many and where they are),
 * a text its end, until it fits. The views keep every card well inside the limit: this is the
 * guard for what they could not foresee (long names, many rows).
 */
import type { Activity } from 'botbuilder';
import { cutListNote, CUT_TEXT_NOTE } from '../../views/cut';
import { MAX_ACTIVITY_BYTES } from './limits';

/** An activity's size as Teams counts it: 2 bytes per UTF-16 code unit of its JSON. */
export const teamsBytes = (value: unknown): number => 2 * (JSON.stringify(value) ?? '').length;

type Json = Record<string, unknown>;

/** The activity itself when it fits; else a copy cut to fit, and how many entries were left out. */
export function fitted(
  activity: Partial<Activity>,
  limit = MAX_ACTIVITY_BYTES,
): { activity: Partial<Activity>; cut: number; bytes: number } {
  const bytes = teamsBytes(activity);
  if (bytes <= limit) return { activity, cut: 0, bytes };
  const copy = JSON.parse(JSON.stringify(activity)) as Partial<Activity> & Json;
  let cut = 0;
  // Each round shortens the longest list still above one entry; lists are cut, never emptied.
  for (let round = 0; round < 50 && teamsBytes(copy) > limit; round++) {
    const list = longestList(copy);
    if (!list) break;
    cut += shorten(list, () => teamsBytes(copy) <= limit);
  }
  if (teamsBytes(copy) > limit && typeof copy.text === 'string') {
    const over = teamsBytes(copy) - limit;
    copy.text = copy.text.slice(0, Math.max(0, copy.text.length - over / 2 - CUT_TEXT_NOTE.length * 2)) + CUT_TEXT_NOTE;
    cut += 1;
  }
  return { activity: copy, cut, bytes: teamsBytes(copy) };
}

/** The list (of two or more entries) whose cutting saves the most, anywhere in the value. */
function longestList(value: unknown): unknown[] | undefined {
  let best: { list: unknown[]; size: number } | undefined;
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      if (v.length > 1 && !structural(v[0])) {
        // What cutting it can save: a list holding one big entry (a card's body around a long
        // fact set) is not the one to cut; the long list inside it is.
        const sizes = v.map((e) => JSON.stringify(e)?.length ?? 0);
        const size = sizes.reduce((a, b) => a + b, 0) - Math.max(...sizes);
        if (!best || size > best.size) best = { list: v, size };
      }
      v.forEach(visit);
    } else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return best?.list;
}

/** Buttons, columns and table cells are a card's frame, not a list of content: never cut. */
function structural(entry: unknown): boolean {
  const type = entry && typeof entry === 'object' ? (entry as Json).type : undefined;
  return typeof type === 'string' && (type.startsWith('Action.') || type === 'Column' || type === 'TableCell');
}

/**
 * Keeps the most entries of `list` with which `fits()` holds (at least one), closed by a note of
 * the same shape as the entries; returns how many were left out.
 */
function shorten(list: unknown[], fits: () => boolean): number {
  const all = list.slice();
  const keepFirst = (k: number) => {
    list.length = 0;
    list.push(...all.slice(0, k));
    if (k < all.length) list.push(noteLike(all[0], all.length - k));
  };
  let lo = 1;
  let hi = all.length - 1;
  keepFirst(hi);
  if (!fits()) {
    // Binary search for the largest k that fits.
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      keepFirst(mid);
      if (fits()) lo = mid;
      else hi = mid - 1;
    }
    keepFirst(lo);
  }
  return all.length - Math.min(all.length, list.length - 1);
}

/** A closing entry shaped like the list's own: a fact, a table row, a card element, or a line. */
function noteLike(sample: unknown, n: number): unknown {
  const text = cutListNote(n);
  const block = { type: 'TextBlock', text, wrap: true, isSubtle: true };
  if (typeof sample === 'string') return text;
  if (!sample || typeof sample !== 'object') return text;
  const s = sample as Json;
  if ('title' in s && 'value' in s && !('type' in s)) return { title: '…', value: text };
  if (s.type === 'TableRow') return { type: 'TableRow', cells: [{ type: 'TableCell', items: [block] }] };
  if (typeof s.type === 'string' && !String(s.type).startsWith('Action.')) return block;
  return text;
}
