/** Use cases: a restore point before every switch, shown and exported, and a rollback's cloud edits since its move. */
import assert from 'node:assert/strict';
import { CodedError } from '../../src/domain/errors';
import type { SoaRequest } from '../../src/domain/request';
import { exportRows } from '../../src/services/export';
import { restoreLine, restoreRows } from '../../src/views/restore-point';
import type { ManualClock } from '../support/manual-clock';
import { anchor, approved, G, people, requested, world, type World } from './fixture';

describe('use cases: restore points', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  const stored = async (id: string) => (await w.store.get(id))!;
  const methods = () => w.directory.calls.map((c) => `${c.method}:${String(c.args[0])}`);

  function payrollWithMembers(): void {
    const g = w.directory.groups.get(G.payroll)!;
    g.cloudOnlyMembers = [
      { id: 'u-1', displayName: 'One' },
      { id: 'u-2', displayName: 'Two' },
    ];
    g.children = [G.dach];
    g.owners = ['u-owner'];
    g.extensionAttributes = { extensionAttribute3: 'HR' };
  }

  /** Moves Payroll and completes the move (its audit entry found). */
  async function movedPayroll(): Promise<SoaRequest> {
    const req = await approved(w, await requested(w));
    assert.equal(await w.service.execute(req.id), 'done');
    (w.clock as ManualClock).advance(2000);
    await w.service.pollAudit(req.id, 0);
    w.queue.clear();
    return stored(req.id);
  }

  it('a single switch keeps the group as it was, read with the app identity before the PATCH', async () => {
    payrollWithMembers();
    const req = await approved(w, await requested(w));
    const readAt = w.clock.now().toISOString();
    await w.service.execute(req.id);
    const calls = methods();
    const read = calls.indexOf(`readRestorePoint:${G.payroll}`);
    assert.ok(read >= 0 && read < calls.indexOf(`setIsCloudManaged:${G.payroll}`), calls.join(' '));
    assert.equal(w.directory.calls[read]!.as, 'app');
    assert.equal(w.directory.calls[read]!.args[1], 50_000);
    const [point, ...more] = (await stored(req.id)).restorePoints!;
    assert.equal(more.length, 0);
    assert.equal(point!.readAt, readAt);
    assert.equal(point!.isCloudManaged, false);
    assert.equal(point!.onPremisesSyncEnabled, true);
    assert.deepEqual(point!.members, [
      { id: 'u-1', type: 'user' },
      { id: 'u-2', type: 'user' },
      { id: G.dach, type: 'group' },
    ]);
    assert.equal(
      restoreLine(await stored(req.id)),
      `Restore point ${readAt.slice(0, 16).replace('T', ' ')} UTC: 3 members (2 users, 1 group), 1 owner, ` +
        'extensionAttribute3 set, no parent groups',
    );
    const [row] = exportRows([await stored(req.id)]).rows;
    assert.match(String(row!.at(-1)), /members=3 \(user=2,group=1\); owners=1; ext=extensionAttribute3; .*; complete$/);
  });

  it('every step of a plan gets its own restore point, each read just before its own PATCH', async () => {
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const req = await approved(w, p.request!);
    await w.service.execute(req.id);
    const calls = methods();
    for (const id of [G.dach, G.eu, G.us, G.sales]) {
      const read = calls.indexOf(`readRestorePoint:${id}`);
      assert.ok(read >= 0 && read < calls.indexOf(`setIsCloudManaged:${id}`), `${id}: ${calls.join(' ')}`);
    }
    const after = await stored(req.id);
    assert.deepEqual(
      after.restorePoints!.map((x) => x.groupId),
      [G.dach, G.eu, G.us, G.sales],
    );
    assert.deepEqual(after.restorePoints!.find((x) => x.groupId === G.eu)!.parents, [
      { id: G.sales, displayName: 'Sales' },
    ]);
    assert.equal(restoreLine(after), 'Restore points: 4 groups read before their switch, all complete');
    assert.equal(exportRows([after]).rows.filter((r) => String(r.at(-1)).endsWith('; complete')).length, 4);
  });

  it('members past SNAPSHOT_MAX_MEMBERS are cut, with the count, and the point says it is incomplete', async () => {
    w = world({ settings: { snapshotMaxMembers: 2 } });
    payrollWithMembers();
    const req = await approved(w, await requested(w));
    await w.service.execute(req.id);
    const after = await stored(req.id);
    assert.equal(after.state, 'awaiting_audit');
    assert.deepEqual(after.restorePoints![0]!.membersCut, { total: 3 });
    assert.match(
      restoreLine(after)!,
      /: 3 members, .*\(incomplete: only the first 2 members were kept \(SNAPSHOT_MAX_MEMBERS\), of 3\)$/,
    );
  });

  it('a point that cannot be read is kept as incomplete, never silently, and the switch goes on', async () => {
    w.directory.failNext('readRestorePoint', new CodedError('ServiceUnavailable', 'down'));
    const req = await approved(w, await requested(w));
    await w.service.execute(req.id);
    const after = await stored(req.id);
    assert.equal(after.state, 'awaiting_audit');
    assert.equal(after.restorePoints![0]!.unread.length, 6);
    assert.match(
      restoreLine(after)!,
      /members unread, .*\(incomplete: the group’s properties, .*the source of authority could not be read\)$/,
    );
    assert.ok(w.logger.warn.calledWith('restore point not read'));
  });

  it('a run tried again after throttling keeps the point read before its first attempt', async () => {
    const req = await approved(w, await requested(w));
    w.directory.failNext('setIsCloudManaged', new CodedError('Throttled', 'slow down', { retryAfterSeconds: 7 }));
    assert.deepEqual(await w.service.execute(req.id), { afterMs: 7000 });
    const first = (await stored(req.id)).restorePoints!;
    assert.equal(first.length, 1);
    (w.clock as ManualClock).advance(7000);
    assert.equal(await w.service.execute(req.id, 2), 'done');
    const after = await stored(req.id);
    assert.equal(after.state, 'awaiting_audit');
    assert.deepEqual(after.restorePoints, first);
    assert.equal(methods().filter((m) => m.startsWith('readRestorePoint')).length, 1);
  });

  it('a rollback shows the cloud edits since the move against its restore point, before approval', async () => {
    payrollWithMembers();
    const move = await movedPayroll();
    assert.equal(move.state, 'completed');
    const g = w.directory.groups.get(G.payroll)!;
    g.cloudOnlyMembers.push({ id: 'u-3', displayName: 'Three' });
    g.children = [];
    g.extensionAttributes = { extensionAttribute3: 'Finance' };
    const rollback = await requested(w, G.payroll, 'rollback');
    assert.equal(rollback.state, 'awaiting_approval');
    const changes = rollback.cloudChanges!.changes!;
    assert.deepEqual(changes.membersAdded, [{ id: 'u-3', type: 'user' }]);
    assert.deepEqual(changes.membersRemoved, [{ id: G.dach, type: 'group' }]);
    assert.deepEqual(changes.attributes, ['extensionAttribute3']);
    assert.equal(changes.complete, true);
    const row = restoreRows(rollback).find((r) => r.label === 'Cloud edits since the move')!;
    assert.match(row.value, new RegExp(`^Compared with the restore point of ${move.id} `));
    assert.match(row.value, /members added: 1 user; members removed: 1 group; edited: extensionAttribute3\. AD/);
  });

  it('a rollback whose fresh read misses members says its comparison is incomplete', async () => {
    await movedPayroll();
    w.directory.unreadable.add(G.payroll);
    const rollback = await requested(w, G.payroll, 'rollback');
    assert.equal(rollback.cloudChanges!.changes!.complete, false);
    const row = restoreRows(rollback).find((r) => r.label === 'Cloud edits since the move')!;
    assert.match(row.value, /Incomplete: the restore point or the fresh read missed some parts/);
  });

  it('a rollback with no move on record says its cloud edits were not compared', async () => {
    const g = w.directory.groups.get(G.payroll)!;
    g.isCloudManaged = true;
    g.onPremisesSyncEnabled = null;
    const rollback = await requested(w, G.payroll, 'rollback');
    assert.deepEqual(rollback.cloudChanges, {});
    assert.equal(
      restoreRows(rollback).find((r) => r.label === 'Cloud edits since the move')!.value,
      'Not compared: no restore point was kept when this group was moved.',
    );
  });
});
