/** The audit trail of switches and rollbacks, and the AD edits the sync client skipped since. */
import type { SoaAction } from '../../domain/command';
import { isCoded } from '../../domain/errors';
import type { AuditConfirmation } from '../../domain/request';
import type { SkippedAdEdits } from '../../ports/directory';
import { mapGraphError } from './errors';
import { auditOf, type WireAudit } from './mapping';
import { allPages, type AppGraph, type Page } from './wire';

/** Microsoft's audit activity names come in two spellings ("AD" / "AD DS"): match the stem. */
const AUDIT_PREFIX: Record<SoaAction, string> = {
  move: 'Change Source of Authority',
  rollback: 'Undo changes to Source of Authority',
};

/** A switch or a rollback itself (either spelling), as opposed to any other change to a group. */
export const isSoaActivity = (name: string) => Object.values(AUDIT_PREFIX).some((p) => name.startsWith(p));

/** A provisioning log entry as Graph sends it (the properties read here). */
interface WireProvisioning {
  activityDateTime: string;
  targetIdentity?: { id?: string } | null;
  provisioningStatusInfo?: { status?: string } | null;
  modifiedProperties?: Array<{ displayName?: string }> | null;
}

/** The newest audit entry of this action on this group since `since`, or null. */
export async function findSoaAudit(
  graph: AppGraph,
  groupId: string,
  action: SoaAction,
  since: string,
): Promise<AuditConfirmation | null> {
  try {
    const res = (await graph.client
      .api('/auditLogs/directoryAudits')
      .filter(
        `startswith(activityDisplayName,'${AUDIT_PREFIX[action]}') and ` +
          `targetResources/any(t:t/id eq '${groupId}') and activityDateTime ge ${since}`,
      )
      .orderby('activityDateTime desc')
      .top(1)
      .get()) as Page<WireAudit>;
    const a = res.value[0];
    return a ? auditOf(a) : null;
  } catch (e) {
    throw mapGraphError(e);
  }
}

/** Every audit entry of this action since `since` (every page), each with the group it targets. */
export async function findSoaAudits(
  graph: AppGraph,
  action: SoaAction,
  since: string,
): Promise<Array<AuditConfirmation & { groupId: string }>> {
  try {
    const first = (await graph.client
      .api('/auditLogs/directoryAudits')
      .filter(`startswith(activityDisplayName,'${AUDIT_PREFIX[action]}') and activityDateTime ge ${since}`)
      .orderby('activityDateTime asc')
      .top(999)
      .get()) as Page<WireAudit>;
    const { items } = await allPages(graph.client, first, 50_000);
    return items.flatMap((a) =>
      (a.targetResources ?? [])
        .filter((t) => t.id && (t.type ?? 'Group') === 'Group')
        .slice(0, 1)
        .map((t) => ({ ...auditOf(a), groupId: t.id! })),
    );
  } catch (e) {
    throw mapGraphError(e);
  }
}

/**
 * What the provisioning log (Cloud Sync's view of each object per cycle) shows for these groups
 * since `since`: the skipped AD-side changes, and which groups have any entry at all.
 */
export async function findSkippedAdEdits(graph: AppGraph, groupIds: string[], since: string): Promise<SkippedAdEdits> {
  const ids = new Set(groupIds);
  try {
    const first = (await graph.client
      .api('/auditLogs/provisioning')
      .filter(`activityDateTime ge ${since}`)
      .top(999)
      .get()) as Page<WireProvisioning>;
    const { items } = await allPages(graph.client, first, 50_000);
    // `ge` on the server; an entry stamped at `since` itself belongs to the cycle seen before.
    const from = Date.parse(since);
    const mine = items.filter(
      (e) => ids.has(e.targetIdentity?.id as string) && !(Date.parse(e.activityDateTime) <= from),
    );
    const edits = mine
      .filter((e) => e.provisioningStatusInfo?.status === 'skipped')
      .map((e) => ({
        groupId: e.targetIdentity!.id!,
        at: e.activityDateTime,
        changes: (e.modifiedProperties ?? []).map((m) => m.displayName ?? '').filter(Boolean),
      }));
    return { visible: true, edits, logged: [...new Set(mine.map((e) => e.targetIdentity!.id!))] };
  } catch (e) {
    const mapped = mapGraphError(e);
    // No provisioning log (no licence for it, or not offered): not visible, not an error.
    if (isCoded(mapped, 'PermissionDenied', 'BadRequest', 'GroupNotFound'))
      return { visible: false, edits: [], logged: [] };
    throw mapped;
  }
}
