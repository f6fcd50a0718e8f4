/**
 * Parses what a user types to the bot. Pure: no I/O. The phrases live in command-patterns.ts,
 * the export date ranges in command-export.ts, "did you mean" in command-suggest.ts.
 */
import { hasClauses, splitClauses } from './command-clauses';
import { isRequestId } from './command-ids';
import { groupCommand, planCommand } from './command-patterns';
import { parseExport } from './command-export';
import { parseReadiness } from './command-readiness';
import { suggest } from './command-suggest';
import { normalise } from './command-text';
import { MAX_COMMAND_LENGTH, MAX_NAME_LENGTH, type Command, type ParseResult } from './command-types';

export type { Clauses, Command, ParsedTargets, ParseResult, SoaAction, Target } from './command-types';
export { MAX_NAME_LENGTH } from './command-types';
export { isObjectId, isRequestId, isScanId } from './command-ids';
export { parseExport } from './command-export';

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
          : c.kind === 'readiness' && c.prefix
            ? [c.prefix]
            : [];
  const long = names.find((n) => n.length > MAX_NAME_LENGTH);
  if (long)
    return {
      command: {
        kind: 'invalid',
        reason:
          `Group names in Entra ID have at most ${MAX_NAME_LENGTH} characters; the one you gave has ${long.length}. ` +
          'Nothing was looked up or requested.',
      },
    };
  return parsed;
}

function tooLong(n: number): Command {
  return {
    kind: 'invalid',
    reason:
      `That message is ${n.toLocaleString('en-US')} characters long; ` +
      `commands have at most ${MAX_COMMAND_LENGTH.toLocaleString('en-US')}. ` +
      'Nothing was done. Type `help` to see the commands.',
  };
}

function parseText(input: string): ParseResult {
  const text = normalise(input)
    .replace(/[.!?]+$/, '')
    .replace(/^(?:please|pls)\s+/i, '')
    .trim();
  if (!text) return { command: { kind: 'empty' } };
  if (text.length > MAX_COMMAND_LENGTH) return { command: tooLong(text.length) };
  return withClauses(text) ?? parseBody(text);
}

/**
 * A request, plan or plan rollback that ends with clauses (`for CHG0012345`, `because …`, a
 * time); null when the text has none, or when what is left is not such a command (then the
 * whole text is read as it is, so a name like "Budget for 2026" still reaches the lookup).
 */
function withClauses(text: string): ParseResult | null {
  const { rest, clauses } = splitClauses(text);
  if (!hasClauses(clauses) || !rest) return null;
  const parsed = parseBody(rest);
  const c = parsed.command;
  if (c.kind === 'check' || (c.kind === 'plan' && c.mode === 'check')) return { command: CHECK_WITH_CLAUSES };
  if (c.kind === 'request' || c.kind === 'plan' || c.kind === 'rollbackPlan')
    return { ...parsed, command: { ...c, clauses } };
  return null;
}

const CHECK_WITH_CLAUSES: Command = {
  kind: 'invalid',
  reason:
    'A check changes nothing, so it takes no ticket (`for …`), reason (`because …`) or time. ' +
    'Type the check alone, or ask for the change itself with them, e.g. ' +
    '"move SecGroup1 to cloud for CHG0012345 because the HR app reads it from Entra". ' +
    'Nothing was looked up or requested.',
};

function parseBody(text: string): ParseResult {
  const lower = text.toLowerCase();
  if (/^(help|\?|commands|what can you do)$/.test(lower)) return { command: { kind: 'help' } };
  if (/^(pending|my approvals|what(?:'s| is) pending|approvals)$/.test(lower)) return { command: { kind: 'pending' } };
  if (/^board$/.test(lower)) return { command: { kind: 'board' } };
  if (/^(?:sign\s?in|log\s?in|who\s?am\s?i)$/.test(lower)) return { command: { kind: 'signin' } };
  if (/^(?:sign\s?out|log\s?out)$/.test(lower)) return { command: { kind: 'signout' } };
  const exp = parseExport(text);
  if (exp) return { command: exp };
  if (/^export\b/i.test(text)) return { command: { kind: 'unknown', text, suggestion: 'export last 30 days' } };
  const readiness = parseReadiness(text);
  if (readiness) return { command: readiness };
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
  return groupCommand(text) ?? { command: { kind: 'unknown', text, ...suggest(text, (t) => parseCommand(t).command) } };
}
