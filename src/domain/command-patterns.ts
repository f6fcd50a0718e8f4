/** The phrases that ask for a change or a check: one group or several, a tree, or a name prefix. */
import { splitTargets } from './command-text';
import type { Command, ParseResult, SoaAction } from './command-types';

const CLOUD = String.raw`(?:the\s+)?(?:cloud|entra(?:\s+id)?|azure\s+ad|aad)`;
const AD = String.raw`(?:on-?prem(?:ises)?(?:\s+ad)?|(?:the\s+)?ad(?:\s+ds)?|active\s+directory)`;
const VERB = String.raw`(?:move|migrate|switch|convert|transfer)`;
const CHECK = String.raw`(?:check|verify|dry[\s-]?run|preflight)`;
const PREREQUISITES = String.raw`(?:prerequisites\s+(?:of|for)\s+)?`;
const ROLLBACK = String.raw`(?:rollback|roll\s+back)`;
const SOA = String.raw`(?:the\s+)?(?:soa|source\s+of\s+authority)`;

const PATTERNS: Array<{ re: RegExp; kind: 'request' | 'check'; action: SoaAction }> = [
  {
    re: new RegExp(String.raw`^${CHECK}\s+${PREREQUISITES}(?:a\s+)?${ROLLBACK}\s+(?:of\s+)?(.+?)$`, 'i'),
    kind: 'check',
    action: 'rollback',
  },
  {
    re: new RegExp(String.raw`^${CHECK}\s+${PREREQUISITES}(.+?)(?:\s+(?:for\s+(?:a\s+)?move\s+)?to\s+${CLOUD})?$`, 'i'),
    kind: 'check',
    action: 'move',
  },
  {
    re: new RegExp(String.raw`^(?:move|migrate|switch|convert|return|give)\s+(.+?)\s+back\s+to\s+${AD}$`, 'i'),
    kind: 'request',
    action: 'rollback',
  },
  {
    re: /^(?:rollback|roll\s+back|undo(?:\s+the)?\s+(?:soa\s+)?(?:switch|move)\s+(?:of|for))\s+(.+?)$/i,
    kind: 'request',
    action: 'rollback',
  },
  {
    re: new RegExp(String.raw`^(?:make|set)\s+(.+?)\s+(?:ad|on-?prem(?:ises)?)[\s-]managed$`, 'i'),
    kind: 'request',
    action: 'rollback',
  },
  {
    re: new RegExp(String.raw`^${VERB}\s+${SOA}\s+(?:of|for)\s+(.+?)\s+to\s+${CLOUD}$`, 'i'),
    kind: 'request',
    action: 'move',
  },
  {
    re: new RegExp(String.raw`^${VERB}\s+(.+?)\s+to\s+${CLOUD}(?:\s+management)?$`, 'i'),
    kind: 'request',
    action: 'move',
  },
  { re: /^(?:make|set)\s+(.+?)\s+cloud[\s-]managed$/i, kind: 'request', action: 'move' },
];

const NESTED = String.raw`(?:and|with|including|plus)\s+(?:all\s+)?(?:of\s+)?(?:its|the)\s+(?:nested|child)\s+groups`;
const TREE = String.raw`(?:the\s+)?(?:whole\s+)?(?:tree|hierarchy)\s+(?:under|below|of|rooted\s+at)`;
const STARTING_WITH = String.raw`(?:whose\s+names?\s+)?(?:starts?|starting|begins?|beginning)\s+with`;
const PREFIXED = String.raw`prefixed(?:\s+(?:with|by))?`;
const PREFIX = String.raw`(?:all\s+)?(?:the\s+)?groups\s+(?:${STARTING_WITH}|${PREFIXED})\s+`;

const PLAN_PATTERNS: Array<{ re: RegExp; mode: 'request' | 'check'; scope: 'tree' | 'prefix' }> = [
  { re: new RegExp(String.raw`^${VERB}\s+${TREE}\s+(.+?)\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+(.+?)\s+${NESTED}\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+(.+?)\s+recursively\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+${PREFIX}(.+?)\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'prefix' },
  { re: new RegExp(String.raw`^${CHECK}\s+${TREE}\s+(.+?)$`, 'i'), mode: 'check', scope: 'tree' },
  { re: new RegExp(String.raw`^${CHECK}\s+(.+?)\s+${NESTED}$`, 'i'), mode: 'check', scope: 'tree' },
  { re: new RegExp(String.raw`^${CHECK}\s+${PREFIX}(.+?)$`, 'i'), mode: 'check', scope: 'prefix' },
];

/** A tree or a name prefix to move or check, or null when the text names neither. */
export function planCommand(text: string): Command | null {
  for (const p of PLAN_PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const raw = m[1]!.trim();
    if (p.scope === 'prefix') {
      // "FIN-", 'FIN-', “FIN-” or FIN-* : the prefix itself, quotes and a trailing * removed.
      const prefix = raw.replace(/^["'“”‘’]+|["'“”‘’]+$/g, '').replace(/\*$/, '');
      if (!prefix.trim()) return null;
      return { kind: 'plan', mode: p.mode, scope: { kind: 'prefix', prefix } };
    }
    const targets = splitTargets(raw.replace(/^(?:the\s+)?group\s+/i, '')).targets;
    if (targets.length !== 1) return null;
    return { kind: 'plan', mode: p.mode, scope: { kind: 'tree', root: targets[0]! } };
  }
  return null;
}

/** A move, rollback or check of named groups, or null when no phrase (with a name in it) matches. */
export function groupCommand(text: string): ParseResult | null {
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const phrase = m[1]!.replace(/^(?:the\s+)?groups?\s+/i, '').trim();
    if (!phrase) return null;
    const parsed = splitTargets(phrase);
    if (!parsed.targets.length) return null;
    return {
      command: { kind: p.kind, action: p.action, targets: parsed.targets },
      ...(parsed.unsplit ? { unsplit: parsed.unsplit } : {}),
    };
  }
  return null;
}
