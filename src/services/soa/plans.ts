/** Plans: several groups under one approval (a tree or a wave), and the rollback of a move plan. */
import { CodedError } from '../../domain/errors';
import { buildPlan, MAX_PLAN_GROUPS, rollbackLevels, rollbackPlanOf, withRollbackChecks } from '../../domain/plan';
import { evaluate, isBlocked, type CheckRow, type GroupFacts } from '../../domain/prerequisites';
import type { ConversationAnchor, Person, Plan, SoaRequest } from '../../domain/request';
import type { GroupMatch } from '../../ports/directory';
import type { Notice } from '../../ports/presenter';
import { reasonCardId, vetted, type ChangeControl } from './change-control';
import { vetTrial } from './trial-clauses';
import { check } from './queries';
import { createRequest, openRequestsTouching } from './requests';
import type { ScheduleReading } from './schedule';
import { mustGet, type ServicePorts } from './shared';

/** What a plan covers: a group and everything nested below it, or a set of groups (a wave). */
export type PlanSpec = { kind: 'tree'; rootId: string } | { kind: 'wave'; label: string; groupIds: string[] };

/** The checks that hold for a whole plan (per-group facts are summarised in the plan itself). */
const PLAN_CHECKS = new Set(['tenantSync', 'reconciliation', 'syncVersions']);
const ROLLBACK_PLAN_CHECKS = new Set(['tenantSync', 'cloudEdits', 'completesAtSync', 'syncVersions']);

export interface PlanPreview {
  plan: Plan;
  facts: GroupFacts;
  checks: CheckRow[];
  blocked: boolean;
  problem?: string;
}

/**
 * Reads what a plan needs (the tree level by level, or the named groups and the nesting
 * among them) and builds it bottom-up. Tenant-level checks come from the first group's facts.
 */
export async function previewPlan(ports: ServicePorts, spec: PlanSpec): Promise<PlanPreview> {
  const app = ports.directory.app();
  const { notice } = ports.presenter;
  // The tree (one round trip per level) and the tenant facts (one batch) are read side by side.
  const firstAsked = spec.kind === 'tree' ? spec.rootId : spec.groupIds[0];
  if (!firstAsked) throw new CodedError('GroupNotFound', 'No group was given.');
  const [graph, firstCheck] = await Promise.all([
    spec.kind === 'tree' ? app.readTree(spec.rootId, MAX_PLAN_GROUPS) : app.readSet(spec.groupIds, MAX_PLAN_GROUPS),
    check(ports, firstAsked, 'move'),
  ]);
  const label =
    spec.kind === 'tree'
      ? notice({ kind: 'treeLabel', rootName: graph.nodes.get(spec.rootId)?.displayName ?? spec.rootId })
      : spec.label;
  const roots = spec.kind === 'tree' ? [spec.rootId] : [...graph.nodes.keys()];
  const plan = buildPlan(spec.kind, label, roots, graph, 'move');
  const { facts, checks } = firstCheck;
  const planChecks = checks.filter((c) => PLAN_CHECKS.has(c.id));
  let problem: string | undefined;
  if (graph.truncated) problem = notice({ kind: 'planTooLarge', maxGroups: MAX_PLAN_GROUPS });
  else if (!plan.steps.length) problem = notice({ kind: 'planEmpty', label, skipped: plan.skipped });
  return {
    plan,
    facts,
    checks: planChecks,
    blocked: !!problem || isBlocked(planChecks),
    ...(problem ? { problem } : {}),
  };
}

export interface PlanSubmission extends PlanPreview {
  request?: SoaRequest;
  /** Open requests that already cover some of the plan's groups. */
  conflicts?: SoaRequest[];
  /** A reason is required and none was given: the reason card creates the plan with this id. */
  needsJustification?: { requestId: string };
}

export async function submitPlan(
  ports: ServicePorts,
  spec: PlanSpec,
  requester: Person,
  anchor: ConversationAnchor,
  control?: ChangeControl,
  schedule?: ScheduleReading,
): Promise<PlanSubmission> {
  const cc = vetted(ports, control);
  vetTrial(control, 'plan');
  const p = await previewPlan(ports, spec);
  if (p.blocked) return p;
  const conflicts = await openRequestsTouching(
    ports,
    p.plan.steps.map((st) => st.groupId),
  );
  if (conflicts.length) return { ...p, conflicts };
  const draft = reasonCardId(ports, cc);
  if (draft) return { ...p, needsJustification: { requestId: draft } };
  const req = await createRequest(ports, {
    ...cc,
    action: 'move',
    groupId: p.facts.group.id,
    groupName: p.plan.label,
    requester,
    anchor,
    facts: p.facts,
    checks: p.checks,
    plan: p.plan,
    ...(schedule ? { schedule } : {}),
  });
  return { ...p, request: req };
}

/** Groups whose names start with `prefix`, for a wave; more than a plan can hold is an error. */
export async function groupsByPrefix(ports: ServicePorts, prefix: string): Promise<GroupMatch[]> {
  const found = await ports.directory.app().findGroupsByPrefix(prefix, MAX_PLAN_GROUPS);
  if (found.length > MAX_PLAN_GROUPS)
    throw new CodedError(
      'InvalidInput',
      `More than ${MAX_PLAN_GROUPS} groups start with "${prefix}"; use a longer prefix.`,
    );
  return found;
}

/** The rollback of a plan: its request, or why not, or that a reason is still needed. */
export interface PlanRollback {
  request?: SoaRequest;
  message?: string;
  needsJustification?: { requestId: string };
}

/**
 * A rollback plan for what a move plan switched, top-down; it needs its own approval. Each
 * group's rollback checks are read fresh and shown on its step; the plan-wide rows come from
 * the move's tenant facts.
 */
export async function requestPlanRollback(
  ports: ServicePorts,
  sourceId: string,
  requester: Person,
  anchor: ConversationAnchor,
  control?: ChangeControl,
  schedule?: ScheduleReading,
): Promise<PlanRollback> {
  const cc = vetted(ports, control);
  vetTrial(control, 'plan');
  const src = await mustGet(ports, sourceId);
  const say = (n: Notice) => ({ message: ports.presenter.notice(n) });
  if (!src.plan || src.action !== 'move') return say({ kind: 'rollbackNotMovePlan', requestId: src.id });
  if (!['completed', 'stopped', 'failed'].includes(src.state))
    return say({ kind: 'rollbackNotFinished', request: src });
  const steps = rollbackPlanOf(src.plan, src.id);
  if (!steps.steps.length) return say({ kind: 'rollbackNothingSwitched', requestId: src.id });
  const conflicts = await openRequestsTouching(
    ports,
    steps.steps.map((st) => st.groupId),
  );
  if (conflicts.length) return say({ kind: 'rollbackConflicts', requestIds: conflicts.map((r) => r.id) });
  const draft = reasonCardId(ports, cc);
  if (draft) return { needsJustification: { requestId: draft } };
  // Each group as it is now (cloud-only members, cloud edits since its switch), level by level.
  const switchedAt = new Map(src.plan.steps.map((st) => [st.groupId, st.switchedAt]));
  const facts = await ports.directory.app().readRollbackFacts(
    rollbackLevels(steps).map((level) =>
      level.map((st) => ({
        groupId: st.groupId,
        since: switchedAt.get(st.groupId) ?? src.switchedAt ?? src.updatedAt,
      })),
    ),
  );
  const plan = withRollbackChecks(steps, facts);
  const checks = evaluate(src.facts, 'rollback', ports.settings.minimums).filter((c) => ROLLBACK_PLAN_CHECKS.has(c.id));
  const request = await createRequest(ports, {
    ...cc,
    action: 'rollback',
    groupId: src.groupId,
    groupName: plan.label,
    requester,
    anchor,
    facts: src.facts,
    checks,
    plan,
    ...(schedule ? { schedule } : {}),
  });
  return { request };
}
