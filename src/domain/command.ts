/** Parses what a user types to the bot. Pure: no I/O. */

export type SoaAction = 'move' | 'rollback';

export type Command =
  | { kind: 'request'; action: SoaAction; targets: Target[] }
  | { kind: 'check'; action: SoaAction; targets: Target[] }
  | { kind: 'status'; target?: Target }
  /** A group and every group nested below it, or every group whose name starts with a prefix. */
  | {
      kind: 'plan';
      mode: 'request' | 'check';
      scope: { kind: 'tree'; root: Target } | { kind: 'prefix'; prefix: string };
    }
  /** The bot's record of requests created in [from, to) as CSV (approvers only); dates are UTC days. */
  | { kind: 'export'; from: string; to: string }
  /** Undo what a move plan switched (a new request, top-down). */
  | { kind: 'rollbackPlan'; requestId: string }
  | { kind: 'pending' }
  | { kind: 'board' }
  | { kind: 'help' }
  | { kind: 'signin' }
  | { kind: 'signout' }
  | { kind: 'cancel'; requestId: string }
  | { kind: 'unknown'; text: string; suggestion?: string }
  /** Understood, but out of bounds (too long a message or name): `reason` says so. */
  | { kind: 'invalid'; reason: string }
  | { kind: 'empty' };

/** Commands are a line or two; longer messages are refused before any parsing or lookup. */
export const MAX_COMMAND_LENGTH = 2000;
/** Entra ID group display names have at most 256 characters. */
export const MAX_NAME_LENGTH = 256;

/** A group as the user named it: a display name, an object id, or a request id for status. */
export interface Target {
  name: string;
}

export interface ParsedTargets {
  targets: Target[];
  /** The whole phrase as one name, when splitting on "and" may have cut a name in two ("Sales and Marketing"). */
  unsplit?: string;
}

const REQUEST_ID = /^R-[0-9A-Z]{6}$/i;
// The last part takes 13 digits as well: the local tenant's documented user ids have 13.
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** An Entra object, app or tenant id (a GUID): safe to put into a Graph URL path. */
export function isObjectId(s: string): boolean {
  return OBJECT_ID.test(s);
}

export function isRequestId(s: string): boolean {
  return REQUEST_ID.test(s.trim());
}

const VERBS = ['move', 'rollback', 'check', 'status', 'pending', 'board', 'help', 'cancel'];

/** Removes Teams mention markup and normalises spaces and typographic quotes. */
export function normalise(text: string): string {
  return (
    text
      .replace(/<at>[^<]*<\/at>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      // Control characters are never part of a command (or of a name anyone can type).
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

export interface ParseResult {
  command: Command;
  /** For request/check: the whole phrase, if "and" splitting may be wrong. */
  unsplit?: string;
}

const CLOUD = String.raw`(?:the\s+)?(?:cloud|entra(?:\s+id)?|azure\s+ad|aad)`;
const AD = String.raw`(?:on-?prem(?:ises)?(?:\s+ad)?|(?:the\s+)?ad(?:\s+ds)?|active\s+directory)`;

const PATTERNS: Array<{ re: RegExp; kind: 'request' | 'check'; action: SoaAction }> = [
  {
    re: new RegExp(
      String.raw`^(?:check|verify|dry[\s-]?run|preflight)\s+(?:prerequisites\s+(?:of|for)\s+)?(?:a\s+)?(?:rollback|roll\s+back)\s+(?:of\s+)?(.+?)$`,
      'i',
    ),
    kind: 'check',
    action: 'rollback',
  },
  {
    re: new RegExp(
      String.raw`^(?:check|verify|dry[\s-]?run|preflight)\s+(?:prerequisites\s+(?:of|for)\s+)?(.+?)(?:\s+(?:for\s+(?:a\s+)?move\s+)?to\s+${CLOUD})?$`,
      'i',
    ),
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
    re: new RegExp(
      String.raw`^(?:move|migrate|switch|convert|transfer)\s+(?:the\s+)?(?:soa|source\s+of\s+authority)\s+(?:of|for)\s+(.+?)\s+to\s+${CLOUD}$`,
      'i',
    ),
    kind: 'request',
    action: 'move',
  },
  {
    re: new RegExp(
      String.raw`^(?:move|migrate|switch|convert|transfer)\s+(.+?)\s+to\s+${CLOUD}(?:\s+management)?$`,
      'i',
    ),
    kind: 'request',
    action: 'move',
  },
  { re: /^(?:make|set)\s+(.+?)\s+cloud[\s-]managed$/i, kind: 'request', action: 'move' },
];

const VERB = String.raw`(?:move|migrate|switch|convert|transfer)`;
const CHECK = String.raw`(?:check|verify|dry[\s-]?run|preflight)`;
const NESTED = String.raw`(?:and|with|including|plus)\s+(?:all\s+)?(?:of\s+)?(?:its|the)\s+(?:nested|child)\s+groups`;
const TREE = String.raw`(?:the\s+)?(?:whole\s+)?(?:tree|hierarchy)\s+(?:under|below|of|rooted\s+at)`;
const PREFIX = String.raw`(?:all\s+)?(?:the\s+)?groups\s+(?:(?:whose\s+names?\s+)?(?:starts?|starting|begins?|beginning)\s+with|prefixed(?:\s+(?:with|by))?)\s+`;

const PLAN_PATTERNS: Array<{ re: RegExp; mode: 'request' | 'check'; scope: 'tree' | 'prefix' }> = [
  { re: new RegExp(String.raw`^${VERB}\s+${TREE}\s+(.+?)\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+(.+?)\s+${NESTED}\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+(.+?)\s+recursively\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'tree' },
  { re: new RegExp(String.raw`^${VERB}\s+${PREFIX}(.+?)\s+to\s+${CLOUD}$`, 'i'), mode: 'request', scope: 'prefix' },
  { re: new RegExp(String.raw`^${CHECK}\s+${TREE}\s+(.+?)$`, 'i'), mode: 'check', scope: 'tree' },
  { re: new RegExp(String.raw`^${CHECK}\s+(.+?)\s+${NESTED}$`, 'i'), mode: 'check', scope: 'tree' },
  { re: new RegExp(String.raw`^${CHECK}\s+${PREFIX}(.+?)$`, 'i'), mode: 'check', scope: 'prefix' },
];

const DAY = 86_400_000;

/**
 * `export` (the last 30 days), `export last 7 days`, `export 2026-11-01 to 2026-11-30`,
 * `export since 2026-11-01`. Dates are whole UTC days; the end day is included.
 */
export function parseExport(text: string, now: Date = new Date()): Command | null {
  const m = /^export(?:\s+(.*))?$/i.exec(text);
  if (!m) return null;
  const rest = (m[1] ?? '').trim().toLowerCase();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const iso = (t: number) => new Date(t).toISOString();
  const day = (s: string) => {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!d) return null;
    const t = Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]));
    return new Date(t).toISOString().slice(0, 10) === s ? t : null;
  };
  if (!rest) return { kind: 'export', from: iso(today - 29 * DAY), to: iso(today + DAY) };
  const last = /^(?:the\s+)?last\s+(\d{1,4})\s+days?$/.exec(rest);
  if (last) return { kind: 'export', from: iso(today - (Number(last[1]) - 1) * DAY), to: iso(today + DAY) };
  const since = /^(?:since|from)\s+(\S+)$/.exec(rest);
  if (since) {
    const f = day(since[1]!);
    return f === null ? null : { kind: 'export', from: iso(f), to: iso(today + DAY) };
  }
  const range = /^(?:from\s+)?(\S+)\s+(?:to|until|-|–)\s+(\S+)$/.exec(rest);
  if (range) {
    const f = day(range[1]!);
    const t = day(range[2]!);
    return f === null || t === null || t < f ? null : { kind: 'export', from: iso(f), to: iso(t + DAY) };
  }
  return null;
}

function planCommand(text: string): Command | null {
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

export function parseCommand(input: string): ParseResult {
  if (input.length > MAX_COMMAND_LENGTH * 2) return { command: tooLong(input.length) };
  const parsed = parseText(input);
  const c = parsed.command;
  const names =
    c.kind === 'request' || c.kind === 'check'
      ? c.targets.map((t) => t.name)
      : c.kind === 'status' && c.target
        ? [c.target.name]
        : c.kind === 'plan'
          ? [c.scope.kind === 'tree' ? c.scope.root.name : c.scope.prefix]
          : [];
  const long = names.find((n) => n.length > MAX_NAME_LENGTH);
  if (long)
    return {
      command: {
        kind: 'invalid',
        reason: `Group names in Entra ID have at most ${MAX_NAME_LENGTH} characters; the one you gave has ${long.length}. Nothing was looked up or requested.`,
      },
    };
  return parsed;
}

function tooLong(n: number): Command {
  return {
    kind: 'invalid',
    reason: `That message is ${n.toLocaleString('en-US')} characters long; commands have at most ${MAX_COMMAND_LENGTH.toLocaleString('en-US')}. Nothing was done. Type \`help\` to see the commands.`,
  };
}

function parseText(input: string): ParseResult {
  const text = normalise(input)
    .replace(/[.!?]+$/, '')
    .replace(/^(?:please|pls)\s+/i, '')
    .trim();
  if (!text) return { command: { kind: 'empty' } };
  if (text.length > MAX_COMMAND_LENGTH) return { command: tooLong(text.length) };
  const lower = text.toLowerCase();
  if (/^(help|\?|commands|what can you do)$/.test(lower)) return { command: { kind: 'help' } };
  if (/^(pending|my approvals|what(?:'s| is) pending|approvals)$/.test(lower)) return { command: { kind: 'pending' } };
  if (/^board$/.test(lower)) return { command: { kind: 'board' } };
  if (/^(?:sign\s?in|log\s?in|who\s?am\s?i)$/.test(lower)) return { command: { kind: 'signin' } };
  if (/^(?:sign\s?out|log\s?out)$/.test(lower)) return { command: { kind: 'signout' } };
  const exp = parseExport(text);
  if (exp) return { command: exp };
  if (/^export\b/i.test(text)) return { command: { kind: 'unknown', text, suggestion: 'export last 30 days' } };
  const undoPlan = /^(?:rollback|roll\s+back|undo)\s+(R-[0-9A-Z]{6})$/i.exec(text);
  if (undoPlan) return { command: { kind: 'rollbackPlan', requestId: undoPlan[1]!.toUpperCase() } };
  const plan = planCommand(text);
  if (plan) return { command: plan };
  const cancel = /^cancel\s+(R-[0-9A-Z]{6})$/i.exec(text);
  if (cancel) return { command: { kind: 'cancel', requestId: cancel[1]!.toUpperCase() } };
  const status = /^status(?:\s+(?:of\s+)?(.+))?$/i.exec(text);
  if (status) {
    const t = status[1]
      ?.trim()
      .replace(/^["']|["']$/g, '')
      .trim();
    return {
      command: t ? { kind: 'status', target: { name: isRequestId(t) ? t.toUpperCase() : t } } : { kind: 'status' },
    };
  }
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const phrase = m[1]!.replace(/^(?:the\s+)?groups?\s+/i, '').trim();
    if (!phrase) break;
    const parsed = splitTargets(phrase);
    if (!parsed.targets.length) break;
    return {
      command: { kind: p.kind, action: p.action, targets: parsed.targets },
      ...(parsed.unsplit ? { unsplit: parsed.unsplit } : {}),
    };
  }
  return { command: { kind: 'unknown', text, ...suggest(text) } };
}

/** "Did you mean": fixes a mistyped verb, or completes a request that lacks its direction. */
function suggest(text: string): { suggestion?: string } {
  const [first = '', ...rest] = text.split(' ');
  const restText = rest.join(' ');
  const best = VERBS.map((v) => ({ v, d: distance(first.toLowerCase(), v) })).sort((a, b) => a.d - b.d)[0]!;
  if (best.d > 0 && best.d <= 2 && first.length >= 3) {
    const fixed = `${best.v}${restText ? ` ${restText}` : ''}`;
    const again = parseCommand(fixed).command;
    if (again.kind !== 'unknown') return { suggestion: fixed };
    if (best.v === 'move' && restText) return { suggestion: `move ${restText} to cloud` };
  }
  if (/^(move|migrate|switch|convert)$/i.test(first) && restText && !/\bto\b/i.test(restText))
    return { suggestion: `move ${restText} to cloud` };
  return {};
}

function distance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i]![j] = Math.min(
        dp[i - 1]![j]! + 1,
        dp[i]![j - 1]! + 1,
        dp[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        dp[i]![j] = Math.min(dp[i]![j]!, dp[i - 2]![j - 2]! + 1);
    }
  }
  return dp[a.length]![b.length]!;
}
