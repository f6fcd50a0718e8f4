/**
 * `readiness`: the tenant readiness report. Alone it reads every synced group; a slice keeps the
 * groups whose name starts with a prefix: `readiness groups starting with "FIN-"`, `readiness
 * FIN-*`, `readiness of groups prefixed FIN-`.
 */
import type { Command } from './command-types';

const STARTING_WITH = String.raw`(?:whose\s+names?\s+)?(?:starts?|starting|begins?|beginning)\s+with`;
const PREFIXED = String.raw`prefixed(?:\s+(?:with|by))?`;
const GROUPS = String.raw`(?:(?:of|for)\s+)?(?:all\s+)?(?:the\s+)?groups\s+(?:${STARTING_WITH}|${PREFIXED})\s+`;
const REPORT = String.raw`readiness(?:\s+(?:report|scan|check))?`;

const WHOLE = new RegExp(String.raw`^(?:(?:run|start|make|show)\s+(?:the\s+|a\s+)?)?${REPORT}$`, 'i');
const SLICE = new RegExp(String.raw`^${REPORT}\s+${GROUPS}(.+)$`, 'i');
/** `readiness FIN-*`: the star says it is a prefix, not a group name. */
const STARRED = new RegExp(String.raw`^${REPORT}\s+(?:(?:of|for)\s+)?(\S+?)\*["'“”‘’]?$`, 'i');
const ANY = new RegExp(String.raw`^${REPORT}\b`, 'i');

const QUOTES = /^["'“”‘’]+|["'“”‘’]+$/g;

/**
 * The readiness command in `text`; `unknown` (with the phrasing to use) when it starts with
 * "readiness" but asks for something else; null when it is not about readiness at all.
 */
export function parseReadiness(text: string): Command | null {
  if (WHOLE.test(text)) return { kind: 'readiness' };
  const m = SLICE.exec(text) ?? STARRED.exec(text);
  if (m) {
    const prefix = m[1]!.trim().replace(QUOTES, '').replace(/\*$/, '').replace(QUOTES, '');
    if (prefix.trim()) return { kind: 'readiness', prefix };
  }
  if (ANY.test(text)) return { kind: 'unknown', text, suggestion: 'readiness groups starting with "FIN-"' };
  return null;
}
