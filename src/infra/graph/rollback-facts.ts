/**
 * What a rollback plan checks per group, read fresh: its cloud-only members (AD's membership
 * replaces them at the take-over) and the changes made in the cloud since its switch (the
 * directory audit log; AD's values replace them). One batched round trip per level.
 */
import type { RollbackFacts } from '../../domain/checks-rollback';
import { isSoaActivity } from './audit';
import type { BatchStep, StepResult } from './batch';
import type { WireAudit } from './mapping';
import { allPages, ok, type AppGraph, type Page } from './wire';

interface WireUser {
  id: string;
  displayName: string;
  onPremisesSyncEnabled?: boolean | null;
}

/** Audit entries read per group: enough to name the kinds of edit; the card shows three. */
const EDITS_READ = 50;
const MEMBERS_MAX = 50_000;

/** The two requests one group adds to its level's batch. */
function groupSteps(groupId: string, since: string, i: number): BatchStep[] {
  const filter = `targetResources/any(t:t/id eq '${groupId}') and activityDateTime ge ${since}`;
  return [
    {
      id: `m${i}`,
      url: `/groups/${groupId}/members/microsoft.graph.user?$select=id,displayName,onPremisesSyncEnabled&$top=999`,
    },
    {
      id: `e${i}`,
      url: `/auditLogs/directoryAudits?$filter=${encodeURIComponent(filter)}&$top=${EDITS_READ}`,
    },
  ];
}

/** Member users not synced from AD; null when the members could not be read in full. */
async function cloudOnlyMembers(
  graph: AppGraph,
  r: StepResult | undefined,
): Promise<RollbackFacts['cloudOnlyMembers']> {
  if (!ok<Page<WireUser>>(r)) return null;
  let users = r.body.value;
  const next = r.body['@odata.nextLink'];
  if (next) {
    // Over 999 members: the rest page by page (a failed page leaves the fact unread).
    try {
      const rest = await allPages<WireUser>(graph.client, { value: [], '@odata.nextLink': next }, MEMBERS_MAX);
      if (rest.truncated) return null;
      users = [...users, ...rest.items];
    } catch {
      return null;
    }
  }
  return users.filter((u) => u.onPremisesSyncEnabled !== true).map((u) => ({ id: u.id, displayName: u.displayName }));
}

/**
 * The group an audit entry changed. Entra lists a member added or removed first and the group
 * after it, so the last group named is the one edited (adding this group to another group is
 * an edit of the other).
 */
function editedGroup(a: WireAudit): string | undefined {
  return (a.targetResources ?? []).filter((t) => (t.type ?? 'Group') === 'Group').at(-1)?.id;
}

function cloudEdits(groupId: string, r: StepResult | undefined): RollbackFacts['cloudEdits'] {
  if (!ok<Page<WireAudit>>(r)) return null;
  return r.body.value
    .filter((a) => a.result === 'success' && !isSoaActivity(a.activityDisplayName) && editedGroup(a) === groupId)
    .map((a) => ({ activity: a.activityDisplayName, at: a.activityDateTime }));
}

export async function readRollbackFacts(
  graph: AppGraph,
  levels: Array<Array<{ groupId: string; since: string }>>,
): Promise<Map<string, RollbackFacts>> {
  const out = new Map<string, RollbackFacts>();
  for (const level of levels) {
    const r = await graph.batch(level.flatMap((g, i) => groupSteps(g.groupId, g.since, i)));
    for (const [i, g] of level.entries())
      out.set(g.groupId, {
        cloudOnlyMembers: await cloudOnlyMembers(graph, r.get(`m${i}`)),
        cloudEdits: cloudEdits(g.groupId, r.get(`e${i}`)),
      });
  }
  return out;
}
