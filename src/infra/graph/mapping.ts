/** Graph's JSON to the domain's shapes: group kinds, matches, summaries, plan nodes, audit entries. */
import type { PlanNode } from '../../domain/plan';
import type { GroupKind, GroupSummary } from '../../domain/prerequisites';
import type { AuditConfirmation } from '../../domain/request';
import type { GroupMatch } from '../../ports/directory';
import type { WireGroup } from './wire';

/** A directory audit entry as Graph sends it. */
export interface WireAudit {
  id: string;
  activityDisplayName: string;
  activityDateTime: string;
  result: string;
  correlationId: string;
  initiatedBy?: {
    user?: { id?: string; displayName?: string | null; userPrincipalName?: string | null } | null;
    app?: { displayName?: string | null } | null;
  };
  targetResources?: Array<{ id?: string; type?: string }>;
}

export function groupKind(g: { mailEnabled?: boolean; securityEnabled?: boolean; groupTypes?: string[] }): GroupKind {
  if ((g.groupTypes ?? []).includes('Unified')) return 'unified';
  if (g.mailEnabled && g.securityEnabled) return 'mailEnabledSecurity';
  if (g.mailEnabled) return 'distribution';
  return 'security';
}

export function toMatch(g: WireGroup): GroupMatch {
  return {
    id: g.id,
    displayName: g.displayName,
    description: g.description ?? null,
    kind: groupKind(g),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
    onPremisesSamAccountName: g.onPremisesSamAccountName ?? null,
  };
}

export function summary(g: WireGroup): GroupSummary {
  return { id: g.id, displayName: g.displayName, onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null };
}

export function planNode(g: WireGroup): PlanNode {
  return {
    id: g.id,
    displayName: g.displayName,
    kind: groupKind(g),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
  };
}

export function auditOf(a: WireAudit): AuditConfirmation {
  const user = a.initiatedBy?.user;
  const by = user
    ? `${user.displayName ?? ''} (${user.userPrincipalName ?? user.id})`.trim()
    : (a.initiatedBy?.app?.displayName ?? 'unknown');
  return {
    id: a.id,
    activityDisplayName: a.activityDisplayName,
    activityDateTime: a.activityDateTime,
    initiatedBy: by,
    result: a.result,
    correlationId: a.correlationId,
  };
}
