/** What a user's message means to the bot: the commands, and the names they carry. */
import type { Clauses } from './command-clauses';

export type { Clauses } from './command-clauses';

export type SoaAction = 'move' | 'rollback';

export type Command =
  /** `clauses`: the ticket, justification and time the request ended with (command-clauses.ts). */
  | { kind: 'request'; action: SoaAction; targets: Target[]; clauses?: Clauses }
  | { kind: 'check'; action: SoaAction; targets: Target[] }
  | { kind: 'status'; target?: Target }
  /** A group and every group nested below it, or every group whose name starts with a prefix. */
  | {
      kind: 'plan';
      mode: 'request' | 'check';
      scope: { kind: 'tree'; root: Target } | { kind: 'prefix'; prefix: string };
      clauses?: Clauses;
    }
  /** The bot's record of requests created in [from, to) as CSV (approvers only); dates are UTC days. */
  | { kind: 'export'; from: string; to: string }
  /** Undo what a move plan switched (a new request, top-down). */
  | { kind: 'rollbackPlan'; requestId: string; clauses?: Clauses }
  /** The tenant readiness report (approvers only): every synced group, or those whose name starts with `prefix`. */
  | { kind: 'readiness'; prefix?: string }
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

export interface ParseResult {
  command: Command;
  /** For request/check: the whole phrase, if "and" splitting may be wrong. */
  unsplit?: string;
}
