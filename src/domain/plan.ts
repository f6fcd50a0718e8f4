/**
 * Plans: several groups under one approval. Pure: the directory reads happen elsewhere.
 *
 * SOA is not recursive: switching a group leaves its nested groups in AD, so Microsoft's
 * guidance is to switch nested groups one at a time, lowest first. A move plan therefore runs
 * children before parents (every group after all groups below it), a rollback plan the
 * reverse. AD allows cycles and a group under several parents: each group is switched once.
 */
import { rollbackFactsRead, rollbackWarnings, type RollbackFacts } from './checks-rollback';
import type { SoaAction } from './command';
import type { GroupKind } from './prerequisites';
import type { Plan, PlanStep } from './request';

export interface PlanNode {
  id: string;
  displayName: string;
  kind: GroupKind;
  /** true: still synced from (managed in) AD. */
  onPremisesSyncEnabled: boolean | null;
}

/** What a single-group card checks, read per group for a plan (in the same level batches). */
export interface NodeFacts {
  /** extensionAttribute1–15 that hold a value; null: could not be read. */
  extensionAttributes: Record<string, string> | null;
  /** Direct parent groups; null: could not be read. */
  parents: Array<{ id: string; displayName: string; onPremisesSyncEnabled: boolean | null }> | null;
}

export interface GroupGraph {
  nodes: Map<string, PlanNode>;
  /** Per-group prerequisites; a group without an entry was not read (older callers, tests). */
  facts?: Map<string, NodeFacts>;
  /** Parent id → child group ids (only groups in `nodes`). */
  children: Map<string, string[]>;
  /** The walk stopped at its bound: the plan is refused rather than silently partial. */
  truncated: boolean;
}

/** Groups per plan: a bound on one approval (and on the walk that builds it). */
export const MAX_PLAN_GROUPS = 2000;

/** Longest text of one extension attribute value shown on a card (values can be 1,024 characters). */
const EXT_VALUE_SHOWN = 40;

function warningsFor(
  n: PlanNode,
  parents: number,
  onCycle: boolean,
  facts: NodeFacts | undefined,
  steps: Set<string>,
  action: SoaAction,
): string[] {
  const w: string[] = [];
  if (n.kind === 'mailEnabledSecurity' || n.kind === 'distribution')
    w.push('mail-enabled: Exchange Online manages it after the switch');
  if (parents > 1) w.push(`under ${parents} parents in this plan: switched once, before all of them`);
  if (onCycle) w.push('on a nesting cycle in AD');
  if (action !== 'move' || !facts) return w;
  const ext = facts.extensionAttributes;
  if (ext === null) w.push('extension attributes 1–15 could not be read (they are lost at the switch)');
  else {
    const set = Object.entries(ext);
    if (set.length) w.push(`extension attributes lost at the switch: ${few(set.map(([k, v]) => extShown(k, v)))}`);
  }
  if (facts.parents === null) w.push('parent groups could not be read');
  else {
    // A parent that is a step of this plan is switched after this group: no warning for it.
    const adParents = facts.parents.filter((p) => p.onPremisesSyncEnabled === true && !steps.has(p.id));
    if (adParents.length)
      w.push(
        `member of ${few(adParents.map((p) => p.displayName))}, still synced from AD and not in this plan: ` +
          'that membership is not written back to AD (no dual write)',
      );
  }
  return w;
}

/** "ext3 = value", the value cut to what a card row shows. */
function extShown(name: string, value: string): string {
  const shown = value.length > EXT_VALUE_SHOWN ? `${value.slice(0, EXT_VALUE_SHOWN - 1)}…` : value;
  return `${name.replace('extensionAttribute', 'ext')} = ${shown}`;
}

/** At most three items, then how many more: a card row stays short whatever the data. */
function few(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

/** Only the extension attributes that hold a value. */
export function setExtensionAttributes(raw: Record<string, unknown> | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {}))
    if (/^extensionAttribute\d+$/.test(k) && typeof v === 'string' && v !== '') out[k] = v;
  return out;
}

/**
 * Orders `roots` and everything reachable from them bottom-up (post-order of a depth-first
 * walk; edges back into the current path are cycles and are ignored for the order).
 */
function bottomUp(
  roots: string[],
  g: GroupGraph,
): { order: string[]; cycle: Set<string>; depth: Map<string, number>; parents: Map<string, number> } {
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const cycle = new Set<string>();
  const path: string[] = [];
  // Iterative DFS: trees can be deep and wide; recursion depth is not ours to spend.
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 'open');
    path.push(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const kids = g.children.get(top.id) ?? [];
      if (top.next < kids.length) {
        const c = kids[top.next++]!;
        const s = state.get(c);
        if (s === 'open') {
          // A back edge: every group on the path from c down to here is on the cycle.
          for (let i = path.lastIndexOf(c); i >= 0 && i < path.length; i++) cycle.add(path[i]!);
          continue;
        }
        if (s === 'done') continue;
        state.set(c, 'open');
        path.push(c);
        stack.push({ id: c, next: 0 });
        continue;
      }
      stack.pop();
      path.pop();
      state.set(top.id, 'done');
      order.push(top.id);
    }
  }
  // Parents within the plan, and the longest distance from a root (for display), ignoring back edges.
  const position = new Map(order.map((id, i) => [id, i]));
  const parents = new Map<string, number>();
  const depth = new Map<string, number>(roots.map((r) => [r, 0]));
  for (let i = order.length - 1; i >= 0; i--) {
    const id = order[i]!;
    for (const c of g.children.get(id) ?? []) {
      if (!position.has(c) || position.get(c)! >= i) continue; // back edge
      parents.set(c, (parents.get(c) ?? 0) + 1);
      depth.set(c, Math.max(depth.get(c) ?? 0, (depth.get(id) ?? 0) + 1));
    }
  }
  return { order, cycle, depth, parents };
}

/**
 * Builds a plan over `roots` (one root for a tree; the named groups for a wave). Groups that
 * are not synced from AD (already cloud-managed, or cloud-only) are skipped with the reason.
 * `action` rollback: the caller passes the groups to return; the order is top-down.
 */
export function buildPlan(kind: Plan['kind'], label: string, roots: string[], g: GroupGraph, action: SoaAction): Plan {
  const { order, cycle, depth, parents } = bottomUp(roots, g);
  const inScope = kind === 'wave' ? new Set(roots) : null;
  const steps: PlanStep[] = [];
  const skipped: Plan['skipped'] = [];
  const eligible = (n: PlanNode) =>
    action === 'move'
      ? n.onPremisesSyncEnabled === true && n.kind !== 'unified'
      : n.onPremisesSyncEnabled !== true && n.kind !== 'unified';
  const stepIds = new Set(
    order.filter((id) => (!inScope || inScope.has(id)) && g.nodes.has(id) && eligible(g.nodes.get(id)!)),
  );
  for (const id of order) {
    if (inScope && !inScope.has(id)) continue;
    const n = g.nodes.get(id);
    if (!n) continue;
    if (!eligible(n)) {
      skipped.push({
        groupId: id,
        groupName: n.displayName,
        reason:
          n.kind === 'unified'
            ? 'a Microsoft 365 group: a cloud object'
            : action === 'move'
              ? 'not managed in AD: already cloud-managed, or created in the cloud'
              : 'already managed in AD',
      });
      continue;
    }
    steps.push({
      groupId: id,
      groupName: n.displayName,
      depth: depth.get(id) ?? 0,
      state: 'pending',
      warnings: warningsFor(n, parents.get(id) ?? 0, cycle.has(id), g.facts?.get(id), stepIds, action),
    });
  }
  if (action === 'rollback') steps.reverse();
  const facts = (id: string) => g.facts?.get(id);
  return {
    kind,
    label,
    steps,
    skipped,
    cycleGroups: [...cycle].filter((id) => g.nodes.has(id)),
    sharedGroups: [...parents].filter(([, n]) => n > 1).map(([id]) => id),
    ...(action === 'move' && g.facts
      ? {
          prerequisites: {
            extensionAttributes: steps.filter(
              (st) => Object.keys(facts(st.groupId)?.extensionAttributes ?? {}).length > 0,
            ).length,
            adParents: steps.filter((st) =>
              (facts(st.groupId)?.parents ?? []).some((p) => p.onPremisesSyncEnabled === true && !stepIds.has(p.id)),
            ).length,
            unread: steps.filter(
              (st) =>
                !facts(st.groupId) ||
                facts(st.groupId)!.extensionAttributes === null ||
                facts(st.groupId)!.parents === null,
            ).length,
          },
        }
      : {}),
  };
}

/** The rollback of a move plan: the steps that were switched, top-down (parents first). */
export function rollbackPlanOf(plan: Plan, requestId: string): Plan {
  const done = plan.steps.filter((s) => s.state === 'done');
  return {
    kind: plan.kind,
    label: `rollback of ${requestId} (${plan.label})`,
    steps: [...done]
      .reverse()
      .map((s) => ({ groupId: s.groupId, groupName: s.groupName, depth: s.depth, state: 'pending', warnings: [] })),
    skipped: [],
    cycleGroups: [],
    sharedGroups: [],
    rollbackOf: requestId,
  };
}

/**
 * A rollback plan with each step's warnings from its group's fresh facts (cloud-only members,
 * cloud edits since the switch; a group not read says so), counted for the card's summary.
 */
export function withRollbackChecks(plan: Plan, facts: Map<string, RollbackFacts>): Plan {
  const steps = plan.steps.map((st) => ({ ...st, warnings: rollbackWarnings(facts.get(st.groupId)) }));
  const f = (st: PlanStep) => facts.get(st.groupId);
  return {
    ...plan,
    steps,
    rollbackChecks: {
      cloudMembers: steps.filter((st) => (f(st)?.cloudOnlyMembers ?? []).length > 0).length,
      cloudEdits: steps.filter((st) => (f(st)?.cloudEdits ?? []).length > 0).length,
      unread: steps.filter((st) => !rollbackFactsRead(f(st))).length,
    },
  };
}

/** A rollback plan's steps by level (depth from the root), top-down: the order they are read in. */
export function rollbackLevels(plan: Plan): PlanStep[][] {
  const levels = new Map<number, PlanStep[]>();
  for (const st of plan.steps) levels.set(st.depth, [...(levels.get(st.depth) ?? []), st]);
  return [...levels.entries()].sort(([a], [b]) => a - b).map(([, steps]) => steps);
}

/** The next step to run, or null when every step is done. */
export function nextStep(plan: Plan): number | null {
  const i = plan.steps.findIndex((s) => s.state !== 'done');
  return i < 0 ? null : i;
}

export function planCounts(plan: Plan): { done: number; failed: number; untouched: number; pending: number } {
  const c = { done: 0, failed: 0, untouched: 0, pending: 0 };
  for (const s of plan.steps) c[s.state]++;
  return c;
}
