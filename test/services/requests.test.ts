/** Use cases: reading and submitting (names resolved, checks, duplicates, the card recorded). */
import assert from 'node:assert/strict';
import { anchor, G, jobs, people, requested, world, type World } from './fixture';

describe('use cases: reading and submitting', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('resolves names: one match each, several (ambiguous), none (with suggestions)', async () => {
    w.directory.addGroup({ id: 'dup-1', displayName: 'HR' });
    w.directory.addGroup({ id: 'dup-2', displayName: 'hr' });
    const r = await w.service.resolve([
      { name: 'fin-payroll' },
      { name: 'HR' },
      { name: 'Sales-E' },
      { name: G.payroll },
    ]);
    assert.deepEqual(
      r.resolved.map((g) => g.id),
      [G.payroll],
      'the same group named twice is resolved once',
    );
    assert.deepEqual(
      r.ambiguous.map((a) => [a.name, a.matches.length]),
      [['HR', 2]],
    );
    assert.deepEqual(
      r.missing.map((m) => [m.name, m.suggestions.map((g) => g.displayName)]),
      [['Sales-E', ['Sales', 'Sales-EU', 'Sales-DACH', 'Sales-US']]],
    );
  });

  it('submits a request awaiting approval, with its reminder and expiry queued', async () => {
    const req = await requested(w);
    assert.deepEqual([req.state, req.groupName, req.requester], ['awaiting_approval', 'FIN-Payroll', people.alex]);
    assert.deepEqual(jobs(w), [`remind:${req.id}@${24 * 3_600_000}`, `expire:${req.id}@${72 * 3_600_000}`]);
    assert.deepEqual(await w.service.get(req.id.toLowerCase()), req);
    assert.deepEqual(await w.service.mine(people.alex.id), [req]);
  });

  it('refuses a blocked request, and points to the open one that already covers the group', async () => {
    w.directory.groups.get(G.dach)!.isCloudManaged = true;
    w.directory.groups.get(G.dach)!.onPremisesSyncEnabled = null;
    const blocked = await w.service.submit(G.dach, 'move', people.alex, anchor);
    assert.deepEqual([blocked.blocked, blocked.request], [true, undefined]);
    assert.equal(blocked.checks.find((c) => c.id === 'soaState')?.status, 'fail');

    const plan = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const dup = await w.service.submit(G.us, 'move', people.lee, anchor);
    assert.deepEqual([dup.request, dup.duplicate?.id], [undefined, plan.request!.id]);
  });

  it('records where the card was posted without making the card out of date, and refreshes the board', async () => {
    const req = await requested(w);
    const moved = { ...anchor, cardActivityId: 'card-2' };
    const next = await w.service.attachCard(req.id, moved);
    assert.deepEqual([next.version, next.history.length, next.anchor], [2, 1, moved]);
    await w.service.idle();
    assert.ok(w.onChange.calledOnceWith(next));
    assert.equal((await w.service.approve(req.id, 1, people.megan, true)).outcome, 'done');
  });

  it("lists what a user may decide, or says why they may not (roles read with the user's token)", async () => {
    const req = await requested(w);
    assert.deepEqual((await w.service.pendingFor(people.megan)).requests, [req]);
    const lee = await w.service.pendingFor(people.lee);
    assert.deepEqual([lee.requests, lee.canApprove], [[], false]);
    assert.match(
      lee.reason!,
      /^Approving needs one of these directory roles, active now: Hybrid Identity Administrator/,
    );
    const alex = await w.service.pendingFor(people.alex);
    assert.equal(alex.reason, 'You requested this change, so someone else must approve it.');
    const megan = await w.service.standing(people.megan);
    assert.deepEqual(megan, { name: 'Megan Bowen', roles: ['Hybrid Identity Administrator'], canApprove: true });
  });
});
