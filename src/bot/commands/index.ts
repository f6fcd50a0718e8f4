/**
 * The commands, keyed by the user's word. routeOf (routes.ts) gives each parsed message its
 * key; a key without a handler here does not compile.
 */
import type { Command } from '../../domain/command';
import { signIn, signOut } from './account';
import { exportRecord } from './export';
import { help, invalid, unknown } from './help';
import { plan, rollbackPlan } from './plans';
import { readiness } from './readiness';
import { cancel, check, move, rollback } from './requests';
import { routeOf, type CommandHandler, type MessageTurn, type RouteCommands, type RouteKey } from './routes';
import { board, pending, status } from './status';

const COMMANDS: { [K in RouteKey]: CommandHandler<K> } = {
  move,
  rollback,
  check,
  plan,
  'rollback plan': rollbackPlan,
  cancel,
  status,
  pending,
  board,
  export: exportRecord,
  readiness,
  'sign in': signIn,
  'sign out': signOut,
  help,
  unknown,
  invalid,
};

/** Every route key, for the tests that check the help card and the app's command list name them all. */
export const ROUTE_KEYS = Object.keys(COMMANDS) as RouteKey[];

export async function runCommand(t: MessageTurn, command: Command): Promise<void> {
  const route = routeOf(command);
  await handle(t, route.key, route.command);
}

function handle<K extends RouteKey>(t: MessageTurn, key: K, command: RouteCommands[K]): Promise<void> {
  return COMMANDS[key](t, command);
}
