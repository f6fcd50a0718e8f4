/**
 * The request as shown: every value that came from outside the bot (names from the directory,
 * people's names, reasons, audit fields) passed through `forCard` or `forMessage` (text.ts)
 * before a card or a message is built from it.
 */
import type { CheckRow, GroupFacts } from '../domain/prerequisites';
import type { Plan, SoaRequest } from '../domain/request';

export type Shown = (v: string | null | undefined, max?: number) => string;

/** The request as shown: every value that came from outside the bot passed through `f`. */
export function shownReq(req: SoaRequest, f: Shown): SoaRequest {
  const person = <P extends { name: string } | undefined>(p: P): P => (p ? { ...p, name: f(p.name) } : p);
  return {
    ...req,
    groupName: f(req.groupName),
    requester: person(req.requester),
    ...(req.approver ? { approver: person(req.approver) } : {}),
    ...(req.approvals ? { approvals: req.approvals.map((a) => ({ ...a, by: person(a.by) })) } : {}),
    ...(req.stillNeededInAd ? { stillNeededInAd: { ...req.stillNeededInAd, by: person(req.stillNeededInAd.by) } } : {}),
    ...(req.reason !== undefined ? { reason: f(req.reason) } : {}),
    ...(req.justification !== undefined ? { justification: f(req.justification, 1000) } : {}),
    ...(req.ticket !== undefined ? { ticket: f(req.ticket) } : {}),
    ...(req.audit
      ? {
          audit: {
            ...req.audit,
            initiatedBy: f(req.audit.initiatedBy),
            activityDisplayName: f(req.audit.activityDisplayName),
          },
        }
      : {}),
    ...(req.plan ? { plan: shownPlan(req.plan, f) } : {}),
    facts: shownFacts(req.facts, f),
    checks: shownChecks(req.checks, f),
    history: req.history.map((h) => ({
      ...h,
      ...(h.by !== undefined ? { by: f(h.by) } : {}),
      ...(h.note !== undefined ? { note: f(h.note) } : {}),
    })),
  };
}

export function shownPlan(plan: Plan, f: Shown): Plan {
  return {
    ...plan,
    label: f(plan.label),
    steps: plan.steps.map((st) => ({
      ...st,
      groupName: f(st.groupName),
      warnings: st.warnings.map((w) => f(w)),
      ...(st.error !== undefined ? { error: f(st.error) } : {}),
    })),
    skipped: plan.skipped.map((k) => ({ ...k, groupName: f(k.groupName) })),
  };
}

export function shownFacts(facts: GroupFacts, f: Shown): GroupFacts {
  const g = facts.group;
  return {
    ...facts,
    group: {
      ...g,
      displayName: f(g.displayName),
      description: g.description === null ? null : f(g.description),
      onPremisesSamAccountName: g.onPremisesSamAccountName === null ? null : f(g.onPremisesSamAccountName),
      onPremisesDomainName: g.onPremisesDomainName === null ? null : f(g.onPremisesDomainName),
    },
  };
}

/** Check details name groups and values from the directory (up to ~1,000 characters of them). */
export function shownChecks(checks: CheckRow[], f: Shown): CheckRow[] {
  return checks.map((c) => ({ ...c, detail: f(c.detail, 1200) }));
}
