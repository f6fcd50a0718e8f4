/**
 * A message's route: the user's word for what they asked ("move", "status", "sign in"…) and
 * the parsed command it carries, narrowed to what that route handles.
 */
import type { TurnState } from '@microsoft/teams-ai';
import type { Command } from '../../domain/command';
import type { Turn } from '../deps';

type Of<K extends Command['kind']> = Extract<Command, { kind: K }>;

/** Each route key and the command its handler receives. */
export interface RouteCommands {
  /** `move SecGroup1 to cloud`, `make A, B and C cloud-managed`. */
  move: Of<'request'> & { action: 'move' };
  /** `rollback SecGroup1`, `move SecGroup1 back to AD`. */
  rollback: Of<'request'> & { action: 'rollback' };
  /** `check SecGroup1`, `check rollback of SecGroup1`. */
  check: Of<'check'>;
  /** `move the tree under X to cloud`, `check groups starting with FIN-`. */
  plan: Of<'plan'>;
  /** `rollback R-…` of a move plan. */
  'rollback plan': Of<'rollbackPlan'>;
  cancel: Of<'cancel'>;
  status: Of<'status'>;
  pending: Of<'pending'>;
  board: Of<'board'>;
  export: Of<'export'>;
  /** `readiness`, `readiness groups starting with "FIN-"`. */
  readiness: Of<'readiness'>;
  /** `sign in`, `who am I`. */
  'sign in': Of<'signin'>;
  'sign out': Of<'signout'>;
  /** `help`, or an empty message. */
  help: Of<'help' | 'empty'>;
  /** Not understood (perhaps with a "did you mean"). */
  unknown: Of<'unknown'>;
  /** Understood but out of bounds (too long). */
  invalid: Of<'invalid'>;
}

export type RouteKey = keyof RouteCommands;

/** A route key with its own command. */
export type Route = { [K in RouteKey]: { key: K; command: RouteCommands[K] } }[RouteKey];

/** A message turn as command handlers see it. */
export interface MessageTurn extends Turn {
  state: TurnState;
  /** For move, rollback and check: the whole phrase, when splitting it on "and" may be wrong. */
  unsplit?: string;
}

export type CommandHandler<K extends RouteKey> = (t: MessageTurn, command: RouteCommands[K]) => Promise<void>;

/** Every command kind has a route (a new kind without one does not compile). */
export function routeOf(c: Command): Route {
  switch (c.kind) {
    case 'request':
      return c.action === 'move'
        ? { key: 'move', command: { ...c, action: c.action } }
        : { key: 'rollback', command: { ...c, action: c.action } };
    case 'check':
      return { key: 'check', command: c };
    case 'plan':
      return { key: 'plan', command: c };
    case 'rollbackPlan':
      return { key: 'rollback plan', command: c };
    case 'cancel':
      return { key: 'cancel', command: c };
    case 'status':
      return { key: 'status', command: c };
    case 'pending':
      return { key: 'pending', command: c };
    case 'board':
      return { key: 'board', command: c };
    case 'export':
      return { key: 'export', command: c };
    case 'readiness':
      return { key: 'readiness', command: c };
    case 'signin':
      return { key: 'sign in', command: c };
    case 'signout':
      return { key: 'sign out', command: c };
    case 'help':
    case 'empty':
      return { key: 'help', command: c };
    case 'unknown':
      return { key: 'unknown', command: c };
    case 'invalid':
      return { key: 'invalid', command: c };
  }
}
