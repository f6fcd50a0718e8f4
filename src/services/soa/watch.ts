/** After a move: the next sync cycles watched for drift (AD taking a group back) and skipped AD edits. */
import { isCoded } from '../../domain/errors';
import type { ServicePorts } from './shared';

/** Sync cycles watched after a move. */
const WATCH_CYCLES = 2;

/**
 * After a move: at the next sync cycles, is every switched group still cloud-managed (not
 * taken over by AD again), and what does the provisioning log show of skipped AD-side edits
 * (Cloud Sync's; Connect Sync's skips are not in Graph)? One thread line per cycle seen,
 * WATCH_CYCLES cycles, so drift is seen, not assumed.
 */
export async function watch(ports: ServicePorts, id: string, attempt: number): Promise<'done' | 'retry'> {
  const req = await ports.store.get(id);
  if (!req || req.action !== 'move' || req.state !== 'completed') return 'done';
  const { intervalMs, timeoutMs } = ports.settings.syncWatch;
  const app = ports.directory.app();
  const since = req.watch?.lastCycleAt ?? req.switchedAt ?? req.updatedAt;
  const lastSync = await app.readTenantLastSync();
  if (!lastSync || lastSync <= since) {
    const waitedFrom = new Date(req.watch?.lastCycleAt ?? req.switchedAt ?? req.updatedAt).getTime();
    if (ports.clock.now().getTime() < waitedFrom + timeoutMs)
      await ports.queue.enqueue({ kind: 'watch', requestId: id, attempt }, intervalMs);
    else
      await ports.notifier
        .post(req.anchor, {
          text: ports.presenter.notice({ kind: 'watchStopped', requestId: id, withinMs: timeoutMs }),
        })
        .catch(() => undefined);
    return 'done';
  }
  const ids = req.plan ? req.plan.steps.filter((st) => st.state === 'done').map((st) => st.groupId) : [req.groupId];
  const names = new Map(
    req.plan ? req.plan.steps.map((st) => [st.groupId, st.groupName]) : [[req.groupId, req.groupName]],
  );
  const name = (g: string) => names.get(g) ?? g;
  const states = await app.readSyncStates(ids);
  const takenOver = ids.filter((g) => states.get(g)?.onPremisesSyncEnabled === true);
  const skipped = await app.findSkippedAdEdits(ids, since);
  const seen = {
    cycles: (req.watch?.cycles ?? 0) + 1,
    lastCycleAt: lastSync,
    takenOver,
    skippedEdits: skipped.edits,
  };
  try {
    await ports.store.update({
      ...req,
      watch: seen,
      version: req.version + 1,
      updatedAt: ports.clock.now().toISOString(),
    });
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return 'retry';
    throw e;
  }
  await ports.notifier
    .post(
      req.anchor,
      ports.presenter.watchLine(req, {
        lastSync,
        since: req.watch?.lastCycleAt ?? null,
        takenOver: takenOver.map(name),
        provisioning: skipped.visible
          ? {
              skipped: skipped.edits.map((e) => ({ name: name(e.groupId), changes: e.changes })),
              unlogged: ids.filter((g) => !skipped.logged.includes(g)).map(name),
              groups: ids.length,
            }
          : null,
      }),
    )
    .catch((e) => ports.logger.warn('thread post failed', { requestId: id, error: String(e) }));
  if (seen.cycles < WATCH_CYCLES)
    await ports.queue.enqueue({ kind: 'watch', requestId: id, attempt: attempt + 1 }, intervalMs);
  return 'done';
}
