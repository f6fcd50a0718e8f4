/** Words and times shared by the cards and the thread lines. */
import type { SoaAction } from '../domain/command';

export type Card = Record<string, unknown>;

export function changeLabel(action: SoaAction): string {
  return action === 'move'
    ? 'Move to cloud management (isCloudManaged = true)'
    : 'Roll back to AD management (isCloudManaged = false)';
}

export function shortChange(action: SoaAction): string {
  return action === 'move' ? 'move to cloud' : 'rollback to AD';
}

export function time(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:\d\dZ$/, ' UTC')
    .replace(/Z$/, ' UTC');
}

/**
 * A placeholder in a command's syntax, such as <group>. Teams' Markdown, in messages and in
 * card text alike, takes a bare <group> for an HTML tag and drops it; written with entities it
 * shows as <group> in both. Inside `code` the entities would show as typed, so a command with
 * a placeholder is quoted ("status <request id>"), never put in backticks.
 */
export const placeholder = (name: string) => `&lt;${name}&gt;`;
/** The placeholders the bot's texts use. */
export const PH = { group: placeholder('group'), requestId: placeholder('request id') };
