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
