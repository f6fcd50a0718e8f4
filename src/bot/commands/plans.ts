/** Plans: a tree or a name prefix, requested or checked; and the rollback of a finished move plan. */
import type { PlanSpec } from '../../services/soa-service';
import { noGroupStartsWith, noTreeRootNamed, severalTreeRoots } from '../../views/lookups';
import { DRY_RUN_ID, PLAN_ROWS, prefixPlanLabel } from '../../views/plan-card';
import { sendCard, sendText } from '../reply';
import type { MessageTurn, RouteCommands } from './routes';
import type { ReasonScope } from './reasons';
import { refused } from './requests';
import { submitPlan, submitPlanRollback } from './submit';

/** `move the tree under X to cloud`, `check groups starting with FIN-`: requested, or a dry run. */
export async function plan(t: MessageTurn, c: RouteCommands['plan']): Promise<void> {
  if (c.mode === 'request' && (await refused(t, c.clauses, 'plan'))) return;
  const spec = await planSpec(t, c.scope);
  if (!spec) return;
  if (c.mode === 'request') {
    const scope: ReasonScope =
      spec.kind === 'tree'
        ? { kind: 'tree', rootId: spec.rootId }
        : { kind: 'prefix', prefix: c.scope.kind === 'prefix' ? c.scope.prefix : '' };
    await submitPlan(t, spec, scope, c.clauses);
    return;
  }
  const p = await t.bot.service.previewPlan(spec);
  await sendCard(t.ctx, t.bot.presenter.planCheckCard(p.plan, p.facts, p.checks, p.blocked, p.problem));
  if (p.plan.steps.length > PLAN_ROWS)
    for (const m of t.bot.presenter.planListing({ id: DRY_RUN_ID, plan: p.plan })) await sendText(t.ctx, m.text);
}

/** `rollback R-…`: undo what a move plan switched (a new request, top-down, with its own approval). */
export async function rollbackPlan(t: MessageTurn, c: RouteCommands['rollback plan']): Promise<void> {
  if (await refused(t, c.clauses, 'plan')) return;
  await submitPlanRollback(t, c.requestId, c.clauses);
}

/** The groups of the plan, or null once the user is told why there are none. */
async function planSpec(t: MessageTurn, scope: RouteCommands['plan']['scope']): Promise<PlanSpec | null> {
  if (scope.kind === 'tree') {
    const res = await t.bot.service.resolve([scope.root]);
    if (res.ambiguous.length) {
      await sendText(t.ctx, severalTreeRoots(scope.root.name));
      return null;
    }
    const root = res.resolved[0];
    if (!root) {
      await sendText(t.ctx, noTreeRootNamed(scope.root.name, res.missing[0]?.suggestions ?? []));
      return null;
    }
    return { kind: 'tree', rootId: root.id };
  }
  const groups = await t.bot.service.groupsByPrefix(scope.prefix);
  if (!groups.length) {
    await sendText(t.ctx, noGroupStartsWith(scope.prefix));
    return null;
  }
  return { kind: 'wave', label: prefixPlanLabel(scope.prefix), groupIds: groups.map((g) => g.id) };
}
