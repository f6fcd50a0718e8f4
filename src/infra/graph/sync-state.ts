/** When groups and the tenant last synced from AD: what the watch after a switch looks at. */
import type { StepResult } from './batch';
import { mapGraphError } from './errors';
import { fail, ok, type AppGraph, type Page, type WireGroup } from './wire';

export interface SyncState {
  onPremisesSyncEnabled: boolean | null;
  onPremisesLastSyncDateTime: string | null;
}

export async function readSyncState(graph: AppGraph, groupId: string): Promise<SyncState> {
  try {
    const g = (await graph.client
      .api(`/groups/${groupId}`)
      .select('id,onPremisesSyncEnabled,onPremisesLastSyncDateTime')
      .get()) as WireGroup;
    return {
      onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
      onPremisesLastSyncDateTime: g.onPremisesLastSyncDateTime ?? null,
    };
  } catch (e) {
    throw mapGraphError(e, { groupId });
  }
}

/** Batched (20 per $batch); a group that no longer exists is absent from the map. */
export async function readSyncStates(graph: AppGraph, groupIds: string[]): Promise<Map<string, SyncState>> {
  const r = await graph.batch(
    groupIds.map((id, i) => ({
      id: String(i),
      url: `/groups/${id}?$select=id,onPremisesSyncEnabled,onPremisesLastSyncDateTime`,
    })),
  );
  const out = new Map<string, SyncState>();
  groupIds.forEach((id, i) => {
    const x = r.get(String(i));
    if (ok<WireGroup>(x))
      out.set(id, {
        onPremisesSyncEnabled: x.body.onPremisesSyncEnabled ?? null,
        onPremisesLastSyncDateTime: x.body.onPremisesLastSyncDateTime ?? null,
      });
    else if ((x as StepResult | undefined)?.status !== 404) throw fail(x, id);
  });
  return out;
}

export async function readTenantLastSync(graph: AppGraph): Promise<string | null> {
  try {
    const r = (await graph.client.api('/organization').select('id,onPremisesLastSyncDateTime').get()) as Page<{
      onPremisesLastSyncDateTime?: string | null;
    }>;
    return r.value[0]?.onPremisesLastSyncDateTime ?? null;
  } catch (e) {
    throw mapGraphError(e);
  }
}
