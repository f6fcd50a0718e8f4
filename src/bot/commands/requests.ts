/** Requests for named groups: `move …`, `rollback …`, `check …`, and `cancel R-…`. */
import type { Clauses } from '../../domain/command';
import type { GroupMatch } from '../../ports/directory';
import { namedGroupsPlanLabel } from '../../views/plan-card';
import { noGroupNamed } from '../../views/lookups';
import { cancelled } from '../../views/request-replies';
import { trialRefusal } from '../../views/trial';
import { severalGroupsScheduled } from '../../views/when';
import { sendCard, sendText } from '../reply';
import type { MessageTurn, RouteCommands } from './routes';
import { scheduleOf } from './schedule';
import { checkGroup, submit, submitPlan } from './submit';

/** `move SecGroup1 to cloud`: one request per group found, or one plan when several are named. */
export async function move(t: MessageTurn, c: RouteCommands['move']): Promise<void> {
  if (await refused(t, c.clauses)) return;
  const groups = await lookUp(t, c, !!c.clauses?.when);
  // Several groups asked to move together: one plan, one approval, run bottom-up.
  if (groups.length > 1) {
    if (await refused(t, c.clauses, 'plan')) return;
    const groupIds = groups.map((g) => g.id);
    await submitPlan(
      t,
      { kind: 'wave', label: namedGroupsPlanLabel(groups.length), groupIds },
      { kind: 'groups', groupIds },
      c.clauses,
    );
    return;
  }
  for (const g of groups) await submit(t, g.id, 'move', c.clauses);
}

/** `rollback SecGroup1`: one request per group found. */
export async function rollback(t: MessageTurn, c: RouteCommands['rollback']): Promise<void> {
  if (await refused(t, c.clauses, 'rollback')) return;
  for (const g of await lookUp(t, c, !!c.clauses?.when)) await submit(t, g.id, 'rollback', c.clauses);
}

/**
 * A request's ticket, reason and time, checked before any lookup: a missing or bad ticket, or a
 * time that does not read, is answered at once (the service checks them again when it stores
 * the request).
 */
export async function refused(
  t: MessageTurn,
  clauses: Clauses | undefined,
  kind: 'move' | 'rollback' | 'plan' = 'move',
): Promise<boolean> {
  const problem = t.bot.service.changeControlProblem(clauses);
  if (problem) await sendText(t.ctx, t.bot.presenter.changeControlRefusal(problem));
  // A trial length out of bounds, or a trial on anything but one group's move: refused, nothing stored.
  const trial = problem ? null : t.bot.service.trialCheck(clauses, kind);
  if (trial && !trial.ok) await sendText(t.ctx, trialRefusal(trial));
  return !!problem || (!!trial && !trial.ok) || (await scheduleOf(t, clauses)) === null;
}

/** `check SecGroup1`: the prerequisite report of each group found (a dry run). */
export async function check(t: MessageTurn, c: RouteCommands['check']): Promise<void> {
  for (const g of await lookUp(t, c)) await checkGroup(t, g.id, c.action);
}

/** `cancel R-…`: the requester withdraws a request before it is decided. */
export async function cancel(t: MessageTurn, c: RouteCommands['cancel']): Promise<void> {
  const r = await t.bot.service.cancel(c.requestId, t.who);
  await sendText(t.ctx, r.outcome === 'done' ? cancelled(r.request.id) : r.message);
}

/**
 * The groups the message names, found in the directory. A name not found is answered (with
 * similar names); a name several groups have gets a pick list, whose buttons go on as clicks.
 */
async function lookUp(
  t: MessageTurn,
  c: RouteCommands['move' | 'rollback' | 'check'],
  scheduled = false,
): Promise<GroupMatch[]> {
  const res = await t.bot.service.resolve(c.targets, t.unsplit);
  for (const m of res.missing) await sendText(t.ctx, noGroupNamed(m.name, m.suggestions));
  // A pick list's click requests at once: with a time, the user names the group by its id instead.
  for (const a of res.ambiguous)
    if (scheduled) await sendText(t.ctx, severalGroupsScheduled(a.name));
    else await sendCard(t.ctx, t.bot.presenter.pickCard(a.name, a.matches, c.action, c.kind));
  return res.resolved;
}
