/** After a rollback: the sync cycle taking the group (or every group of a plan) over from the cloud again. */
import { isCoded } from '../../domain/errors';
import { transition, type SoaRequest } from '../../domain/request';
import { save, type ServicePorts } from './shared';

type SyncState = { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };

/** After a rollback: one look at whether the sync cycle has taken the group over. */
export async function pollTakeover(ports: ServicePorts, id: string, attempt: number): Promise<'done' | 'retry'> {
  const { clock } = ports;
  const req = await ports.store.get(id);
  if (!req || req.state !== 'waiting_for_sync') return 'done';
  const { intervalMs, timeoutMs } = ports.settings.syncWatch;
  const s = req.plan ? await planSyncState(ports, req) : await ports.directory.app().readSyncState(req.groupId);
  if (s.onPremisesSyncEnabled === true) {
    try {
      await save(
        ports,
        transition(req, 'taken_over', clock.now(), {
          takenOverAt: s.onPremisesLastSyncDateTime ?? clock.now().toISOString(),
        }),
      );
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
    }
    return 'done';
  }
  const since = new Date(req.history.find((h) => h.state === 'waiting_for_sync')?.at ?? req.updatedAt).getTime();
  if (clock.now().getTime() >= since + timeoutMs) {
    ports.logger.warn('sync take-over not seen in time', { requestId: id });
    await ports.notifier
      .post(req.anchor, { text: ports.presenter.notice({ kind: 'takeoverLate', request: req }) })
      .catch(() => undefined);
    return 'done';
  }
  await ports.queue.enqueue({ kind: 'takeover', requestId: id, attempt: attempt + 1 }, intervalMs);
  return 'done';
}

/** A rollback plan is taken over when every group in it is synced from AD again. */
async function planSyncState(ports: ServicePorts, req: SoaRequest): Promise<SyncState> {
  const ids = req.plan!.steps.filter((st) => st.state === 'done').map((st) => st.groupId);
  const states = await ports.directory.app().readSyncStates(ids);
  const all = ids.every((id) => states.get(id)?.onPremisesSyncEnabled === true);
  const last =
    [...states.values()]
      .map((x) => x.onPremisesLastSyncDateTime ?? '')
      .sort()
      .pop() || null;
  return { onPremisesSyncEnabled: all ? true : null, onPremisesLastSyncDateTime: last };
}
