/** Answers when the groups a message names are not found, or not found unambiguously. */
import { forMessage } from './text';

/**
 * Names in quotes, escaped for Teams' Markdown: in backticks the escapes would show as typed
 * ("R&amp;D"), and bare they could be taken for tags.
 */
const quoted = (suggestions: Array<{ displayName: string }>) =>
  suggestions.map((g) => `"${forMessage(g.displayName)}"`);

/** No group of that name: the similar names when there are some, else how to name it better. */
export function noGroupNamed(name: string, suggestions: Array<{ displayName: string }>): string {
  const names = quoted(suggestions);
  return (
    `I found no group named **${forMessage(name)}**.` +
    (names.length ? ` Did you mean ${names.join(', ')}?` : " Check the spelling, or give the group's object id.")
  );
}

/** The root of a tree to move or check is not found (no advice when nothing is similar). */
export function noTreeRootNamed(name: string, suggestions: Array<{ displayName: string }>): string {
  const names = quoted(suggestions);
  return `I found no group named **${forMessage(name)}**.${names.length ? ` Did you mean ${names.join(', ')}?` : ''}`;
}

/** Several groups have the name of the tree's root: a tree needs one. */
export function severalTreeRoots(name: string): string {
  return (
    `Several groups are named **${forMessage(name)}**: give the object id of the one whose tree you mean ` +
    `(\`check ${forMessage(name)}\` lists them).`
  );
}

export function noGroupStartsWith(prefix: string): string {
  return `No group name starts with **${forMessage(prefix)}**.`;
}
