/** Cleaning what a user typed, and cutting a list of group names into names. */
import type { ParsedTargets } from './command-types';

/** Removes Teams mention markup and normalises spaces and typographic quotes. */
export function normalise(text: string): string {
  return (
    text
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      // Control characters are never part of a command (or of a name anyone can type).
      // eslint-disable-next-line no-control-regex -- matching them is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
      .replace(/[\u201C\u201D\u201E]/g, '"')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** Splits "A, B and \"C D\"" into names. Quotes keep commas and "and" inside a name. */
export function splitTargets(phrase: string): ParsedTargets {
  const names: string[] = [];
  let cur = '';
  let i = 0;
  const s = phrase.trim();
  const push = () => {
    const n = cur.trim();
    if (n) names.push(n);
    cur = '';
  };
  while (i < s.length) {
    const c = s[i]!;
    const atItemStart = cur.trim() === '';
    if ((c === '"' || (c === "'" && atItemStart)) && s.indexOf(c, i + 1) > i) {
      const end = s.indexOf(c, i + 1);
      cur += s.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (c === ',' || c === ';') {
      push();
      i++;
      continue;
    }
    const rest = s.slice(i);
    const and = /^\s+(and|&)\s+/i.exec(rest);
    if (and) {
      push();
      i += and[0].length;
      continue;
    }
    cur += c;
    i++;
  }
  push();
  const unquoted = !/["']/.test(s.replace(/\b'\b/g, ''));
  const unsplit = names.length > 1 && unquoted && !/[,;]/.test(s) ? s : undefined;
  return { targets: names.map((name) => ({ name })), ...(unsplit ? { unsplit } : {}) };
}
