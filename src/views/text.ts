/**
 * Text from outside the bot (group names and descriptions from the directory, people's names,
 * what users type, reasons they give) shown in cards and messages. It is shown, never obeyed:
 * - control characters and line breaks become spaces, so a value cannot start a line of its
 *   own that looks like the bot's ("✅ Approved by …");
 * - bidirectional overrides are dropped, so a name cannot reorder the text around it;
 * - Markdown link syntax is broken with an invisible zero-width space, so a group named
 *   "[Approve here](https://…)" shows as that text and not as a link (Teams' card renderers
 *   differ in backslash escapes, so none are relied on);
 * - long values are shortened (a card has a size limit; a name has no business being 10 KB).
 * Messages also render HTML, so for them `&`, `<` and `>` become entities: no tags, no fake
 * @mentions.
 */
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
const MAX_SHOWN = 300;

export function forCard(value: string | null | undefined, max = MAX_SHOWN): string {
  if (value === null || value === undefined) return '';
  let s = String(value).replace(CONTROLS, ' ').replace(BIDI, '').replace(/ {2,}/g, ' ');
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  // ](  →  ]\u200b(   and   [x]: url (reference links)   and   <url> autolinks stay text in cards.
  return s.replace(/\](\s*)\(/g, ']\u200b$1(').replace(/\[([^\]]*)\]\s*:/g, '[$1]\u200b:');
}

export function forMessage(value: string | null | undefined, max = MAX_SHOWN): string {
  return forCard(value, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
