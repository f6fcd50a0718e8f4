/** A plan (several groups, in order) on the request card, its dry run, and its full listing. */
import type { SoaAction } from '../domain/command';
import { planCounts } from '../domain/plan';
import { applicableRows, blockingReasons, type CheckRow, type GroupFacts } from '../domain/prerequisites';
import type { Plan, PlanStep } from '../domain/request';
import { checkSections } from './facts';
import type { Card } from './labels';
import { shownChecks, shownFacts, shownPlan } from './shown';
import { render, sentences } from './templates';
import { forCard, forMessage } from './text';

/** Plan steps on a request card: keeps it well inside Teams' 28 KB card limit. */
export const PLAN_ROWS = 30;

/** The label of a plan over the groups whose names start with `prefix` (shown on its card). */
export const prefixPlanLabel = (prefix: string) => `groups starting with "${prefix}"`;
/** The label of a plan over several groups named in one message. */
export const namedGroupsPlanLabel = (n: number) => `${n} named groups`;
/** Stands for the request id in the listing of a plan's dry run (nothing was requested). */
export const DRY_RUN_ID = '(dry run)';

export interface PlanView {
  heading: string;
  summary: string;
  rows: Array<{ text: string }>;
  more: string;
}

function stepIcon(st: PlanStep): string {
  if (st.state === 'done') return st.audit ? '✅' : '☑️';
  if (st.state === 'failed') return '❌';
  if (st.state === 'untouched') return '⏸️';
  return '▫️';
}

/** The step's state in words beside its icon: the icon alone carries no meaning. */
function stepState(st: PlanStep, action: SoaAction): string {
  const done = action === 'move' ? 'switched' : 'rolled back';
  if (st.state === 'done') return st.audit ? `${done}, confirmed in the audit log` : done;
  if (st.state === 'failed') return 'failed';
  if (st.state === 'untouched') return 'left as it was';
  return action === 'move' ? 'to switch' : 'to roll back';
}

function stepRow(plan: Plan, action: SoaAction, st: PlanStep, number: number): { text: string } {
  const level = plan.kind === 'tree' ? ` · level ${st.depth}` : '';
  const warnings = st.warnings.length ? ` · ⚠️ ${st.warnings.join('; ')}` : '';
  const error = st.error ? ` · ${st.error}` : '';
  const state = ` · ${stepState(st, action)}`;
  return { text: `${number}. ${stepIcon(st)} **${st.groupName}**${level}${state}${warnings}${error}` };
}

/** What the plan holds, in counts: to switch, done, confirmed, failed, skipped and why, and what its checks found. */
function summary(plan: Plan, action: SoaAction): string {
  const n = plan.steps.length;
  const counts = planCounts(plan);
  const confirmed = plan.steps.filter((st) => st.audit).length;
  const parts = [`${n} group${n === 1 ? '' : 's'} to ${action === 'move' ? 'switch' : 'roll back'}`];
  if (counts.done) parts.push(`${counts.done} done`);
  if (confirmed) parts.push(`${confirmed} confirmed in the audit log`);
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.untouched) parts.push(`${counts.untouched} untouched`);
  if (plan.skipped.length)
    parts.push(`${plan.skipped.length} skipped (${[...new Set(plan.skipped.map((k) => k.reason))].join('; ')})`);
  if (plan.sharedGroups.length) parts.push(`${plan.sharedGroups.length} under several parents (switched once)`);
  if (plan.cycleGroups.length) parts.push(`${plan.cycleGroups.length} on a nesting cycle`);
  const pre = plan.prerequisites;
  if (pre?.extensionAttributes)
    parts.push(`${pre.extensionAttributes} with extension attributes set (lost at the switch)`);
  if (pre?.adParents) parts.push(`${pre.adParents} in groups still synced from AD outside the plan`);
  if (pre?.unread) parts.push(`${pre.unread} whose prerequisites could not be read`);
  const back = plan.rollbackChecks;
  if (back?.cloudMembers) parts.push(`${back.cloudMembers} with cloud-only members (removed when AD takes over)`);
  if (back?.cloudEdits)
    parts.push(`${back.cloudEdits} edited in the cloud since the switch (AD values replace the edits)`);
  if (back?.unread) parts.push(`${back.unread} whose rollback checks could not be read`);
  return parts.join(' · ');
}

/**
 * The plan on the card: counts, then up to PLAN_ROWS steps in execution order (around the
 * failed step once there is one). Longer plans are listed in full by planListing.
 */
export function planView(req: { plan?: Plan; action: SoaAction }): PlanView {
  const plan = req.plan!;
  const n = plan.steps.length;
  const order =
    req.action === 'move'
      ? 'bottom-up: nested groups first, each before every group it is in'
      : 'top-down: parents first';
  const failedAt = plan.steps.findIndex((st) => st.state === 'failed');
  const start = failedAt >= PLAN_ROWS ? Math.max(0, failedAt - Math.floor(PLAN_ROWS / 2)) : 0;
  const shown = plan.steps.slice(start, start + PLAN_ROWS);
  return {
    heading: `Plan (${plan.label}), ${order}`,
    summary: summary(plan, req.action),
    rows: shown.map((st, i) => stepRow(plan, req.action, st, start + i + 1)),
    more:
      n > shown.length
        ? `Steps ${start + 1}–${start + shown.length} of ${n} shown; every step is listed in the thread.`
        : '',
  };
}

/** The dry run of a plan (check the tree under X): the plan and the checks, nothing requested. */
export function planCheckCard(
  rawPlan: Plan,
  rawFacts: GroupFacts,
  rawChecks: CheckRow[],
  blocked: boolean,
  problem?: string,
): Card {
  const plan = shownPlan(rawPlan, forCard);
  const facts = shownFacts(rawFacts, forCard);
  // Blocked, it leads with the reason and leaves out the rows that do not apply (as for one group).
  const checks = shownChecks(blocked ? applicableRows(rawFacts, rawChecks) : rawChecks, forCard);
  const sections = checkSections(checks);
  const title = `Check (move to cloud): ${plan.label}`;
  const statusLine =
    problem ??
    (blocked
      ? `${blockingReasons(checks).join(' ')} This plan cannot be requested.`
      : 'Dry run: nothing was requested or changed. Ask with "move … to cloud" to request it.');
  return render(
    'request',
    {
      title,
      statusLine,
      headerStyle: blocked ? 'attention' : 'emphasis',
      groupFacts: [{ label: 'Tenant facts from', value: `${facts.group.displayName} (${facts.group.id})` }],
      ...sections,
      outcome: [],
      plan: planView({ plan, action: 'move' }),
      canDecide: false,
      canRequestFromCheck: false,
    },
    sentences([title, statusLine, sections.checksHeading]),
  );
}

/**
 * What a listing message may weigh as Teams counts it (UTF-16: 2 bytes per code unit of the
 * activity's JSON): Teams recommends under 80 KB; the rest is left to the activity around it.
 */
export const LISTING_BYTES = 72 * 1024;

/** A line's weight in a message's JSON, as Teams counts it, with the blank line between lines. */
const weight = (line: string) => 2 * (JSON.stringify(line).length - 2 + 4);

/**
 * Lines packed into as few messages as the size allows, each under its heading (`of` names the
 * range it holds); nothing is cut.
 */
function packed(lines: string[], heading: (from: number, to: number) => string, budget: number): string[] {
  const out: string[] = [];
  let from = 0;
  while (from < lines.length) {
    let to = from;
    let used = weight(heading(lines.length, lines.length));
    while (to < lines.length && (to === from || used + weight(lines[to]!) <= budget)) used += weight(lines[to++]!);
    out.push([heading(from + 1, to), ...lines.slice(from, to)].join('\n\n'));
    from = to;
  }
  return out;
}

/** Every step and every skipped group, in as few messages as Teams' size limit allows (nothing cut). */
export function planListing(raw: { id: string; plan?: Plan }, budget = LISTING_BYTES): Array<{ text: string }> {
  const req = { id: raw.id, ...(raw.plan ? { plan: shownPlan(raw.plan, forMessage) } : {}) };
  const plan = req.plan!;
  const steps = plan.steps.map(
    (st, k) =>
      `${k + 1}. ${st.groupName} (${st.groupId})` + (st.warnings.length ? ` ⚠️ ${st.warnings.join('; ')}` : ''),
  );
  const skipped = plan.skipped.map((k) => `${k.groupName} (${k.groupId}): ${k.reason}`);
  return [
    ...packed(steps, (a, b) => `Plan ${req.id}, steps ${a}–${b} of ${steps.length}:`, budget),
    ...packed(skipped, (a, b) => `Plan ${req.id}, skipped ${a}–${b} of ${skipped.length}:`, budget),
  ].map((text) => ({ text }));
}
