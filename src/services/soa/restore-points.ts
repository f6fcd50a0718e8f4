/**
 * Restore points: each group is read (with the bot's own identity) and kept with its request
 * just before its switch or rollback; a rollback request compares the group as it is now with
 * the restore point of its move, so the card shows the cloud edits AD will overwrite.
 */
import type { SoaAction } from '../../domain/command';
import { isCoded } from '../../domain/errors';
import type { SoaRequest } from '../../domain/request';
import { cloudChanges, type CloudChangeReport, type RestorePoint } from '../../domain/restore-point';
import { leased } from './leases';
import { snapshotCap, type ServicePorts } from './shared';

/** A point whose read failed as a whole: kept, and shown as incomplete. */
function unreadPoint(groupId: string, readAt: string): RestorePoint {
  return {
    groupId,
    readAt,
    displayName: null,
    description: null,
    mail: null,
    mailEnabled: null,
    securityEnabled: null,
    proxyAddresses: [],
    extensionAttributes: {},
    owners: [],
    members: [],
    parents: [],
    isCloudManaged: null,
    onPremisesSyncEnabled: null,
    unread: ['group', 'extensionAttributes', 'owners', 'members', 'parents', 'sourceOfAuthority'],
  };
}

/**
 * Reads `groupId` and stores it with the request (version + 1, lease renewed) before its PATCH.
 * A point already kept for the group is left as it is: after a restart it was read before any
 * write. A read that fails keeps an incomplete point and the switch goes on: the switch changes
 * only the source of authority, never what the point records (see docs/production.md).
 */
export async function takeRestorePoint(ports: ServicePorts, req: SoaRequest, groupId: string): Promise<SoaRequest> {
  const read = await withRestorePoint(ports, req, groupId);
  if (read === req) return req;
  const next = leased(ports, { ...read, version: req.version + 1, updatedAt: ports.clock.now().toISOString() });
  await ports.store.update(next);
  return next;
}

/**
 * The request with `groupId`'s restore point added, read now (the same request when one is
 * kept already), not stored: the caller stores it before the switch (a plan's step, with the
 * lease renewed by the write's guard).
 */
export async function withRestorePoint(ports: ServicePorts, req: SoaRequest, groupId: string): Promise<SoaRequest> {
  if (req.restorePoints?.some((p) => p.groupId === groupId)) return req;
  let point: RestorePoint;
  try {
    point = await ports.directory.app().readRestorePoint(groupId, snapshotCap(ports));
  } catch (e) {
    ports.logger.warn('restore point not read', {
      requestId: req.id,
      groupId,
      code: isCoded(e) ? e.code : 'unexpected',
    });
    point = unreadPoint(groupId, ports.clock.now().toISOString());
  }
  if (point.unread.length)
    ports.logger.warn('restore point incomplete', { requestId: req.id, groupId, unread: point.unread.join(',') });
  return { ...req, restorePoints: [...(req.restorePoints ?? []), point] };
}

/** The newest restore point a move kept for this group, with its request. */
async function lastMovePoint(
  ports: ServicePorts,
  groupId: string,
): Promise<{ requestId: string; point: RestorePoint } | null> {
  const moves = await ports.store.list({ groupId, includeArchived: true, limit: 50 });
  for (const r of moves) {
    if (r.action !== 'move') continue;
    const point = r.restorePoints?.find((p) => p.groupId === groupId);
    if (point) return { requestId: r.id, point };
  }
  return null;
}

/**
 * For a rollback: what changed in the cloud since the group's move, against that move's restore
 * point; an empty report when no move kept one. A fresh read that fails gives an incomplete diff.
 */
export async function cloudChangesSinceMove(
  ports: ServicePorts,
  groupId: string,
  action: SoaAction,
): Promise<CloudChangeReport | undefined> {
  if (action !== 'rollback') return undefined;
  const base = await lastMovePoint(ports, groupId);
  if (!base) return {};
  let now: RestorePoint;
  try {
    now = await ports.directory.app().readRestorePoint(groupId, snapshotCap(ports));
  } catch {
    now = unreadPoint(groupId, ports.clock.now().toISOString());
  }
  return { since: { requestId: base.requestId, readAt: base.point.readAt }, changes: cloudChanges(base.point, now) };
}
