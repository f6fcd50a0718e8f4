/** Use cases: plans (a tree bottom-up, stopped at a failed step, resumed, audited, rolled back). */
import assert from 'node:assert/strict';
import type { SoaRequest } from '../../src/domain/request';
import { planView } from '../../src/views/plan-card';
import type { ManualClock } from '../support/manual-clock';
import { anchor, approved, G, jobs, people, requested, world, type World } from './fixture';

const BOTTOM_UP = [G.dach, G.eu, G.us, G.sales];

describe('use cases: plans', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  /** Alex asks for the Sales tree, Megan approves it; the jobs the approval queued are dropped. */
  async function approvedTree(): Promise<SoaRequest> {
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const req = await approved(w, p.request!);
    w.queue.clear();
    return req;
  }

  const stored = async (id: string) => (await w.store.get(id))!;

  it('a tree plan runs bottom-up, with the tenant-level checks only', async () => {
    const p = await w.service.previewPlan({ kind: 'tree', rootId: G.sales });
    assert.equal(p.plan.label, 'the tree under Sales');
    assert.deepEqual(
      p.plan.steps.map((s) => s.groupId),
      BOTTOM_UP,
    );
    assert.deepEqual(
      p.checks.map((c) => c.id),
      ['tenantSync', 'reconciliation', 'syncVersions'],
    );
    assert.equal(p.blocked, false);
  });

  it('a plan with nothing to switch, or more groups than a plan holds, is refused with the reason', async () => {
    for (const g of [G.eu, G.dach]) w.directory.groups.get(g)!.onPremisesSyncEnabled = null;
    const p = await w.service.previewPlan({ kind: 'tree', rootId: G.eu });
    assert.equal(p.blocked, true);
    assert.equal(
      p.problem,
      'Nothing to switch: all 2 groups in the tree under Sales-EU are skipped ' +
        '(not managed in AD: already cloud-managed, or created in the cloud).',
    );
    const kids = Array.from({ length: 2001 }, (_, i) => `c${i}`);
    for (const id of kids) w.directory.addGroup({ id, displayName: `Leaf-${id}` });
    w.directory.groups.get(G.sales)!.children = kids;
    const big = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    assert.equal(big.request, undefined);
    assert.equal(
      big.problem,
      'The plan would cover more than 2000 groups; split it (for example by sub-tree or name prefix).',
    );
  });

  it("executes step by step with the approver's token, then matches the audit entries to the steps", async () => {
    const req = await approvedTree();
    assert.equal(await w.service.execute(req.id), 'done');
    assert.deepEqual(
      w.directory.writes().map((x) => [x.groupId, x.value, x.as]),
      BOTTOM_UP.map((g) => [g, true, 'u-megan']),
    );
    let now = await stored(req.id);
    assert.equal(now.state, 'awaiting_audit');
    assert.deepEqual(
      now.plan!.steps.map((s) => s.state),
      ['done', 'done', 'done', 'done'],
    );
    assert.deepEqual(jobs(w), [`audit:${req.id}@2000`]);
    w.queue.clear();
    await w.service.pollAudit(req.id, 0);
    now = await stored(req.id);
    assert.equal(now.state, 'completed');
    assert.deepEqual(
      now.plan!.steps.map((s) => s.audit?.id),
      ['Directory_1', 'Directory_2', 'Directory_3', 'Directory_4'],
    );
    assert.deepEqual(jobs(w), [`watch:${req.id}@30000`]);
  });

  it('an audit entry not visible is looked for again; after the timeout the plan completes with a note', async () => {
    const req = await approvedTree();
    await w.service.execute(req.id);
    w.queue.clear();
    w.directory.audits.splice(1, 1);
    await w.service.pollAudit(req.id, 0);
    const waiting = await stored(req.id);
    assert.equal(waiting.state, 'awaiting_audit');
    assert.deepEqual(
      waiting.plan!.steps.map((s) => !!s.audit),
      [true, false, true, true],
    );
    assert.deepEqual(jobs(w), [`audit:${req.id}@4000`]);
    (w.clock as ManualClock).advance(15 * 60_000);
    await w.service.pollAudit(req.id, 1);
    const done = await stored(req.id);
    assert.equal(done.state, 'completed');
    assert.equal(
      done.history.at(-1)!.note,
      '1 of 4 audit entries were not visible within 15 min; each change was verified by reading it back.',
    );
  });

  it('a failed step stops the plan there, the rest untouched; resumed, it continues at that step', async () => {
    const req = await approvedTree();
    w.directory.ignoredWrites.add(G.eu);
    await w.service.execute(req.id);
    const stopped = await stored(req.id);
    assert.equal(stopped.state, 'stopped');
    assert.deepEqual(
      stopped.plan!.steps.map((s) => s.state),
      ['done', 'failed', 'untouched', 'untouched'],
    );
    const readBack = 'Microsoft Graph accepted the change but reading it back shows the old value.';
    assert.equal(stopped.reason, `step 2 of 4 (Sales-EU) failed: ${readBack}`);
    assert.deepEqual(jobs(w), [`audit:${req.id}@2000`], 'the switched step gets its audit look');

    const old = await w.service.resumePlan(req.id, stopped.history.length - 1, people.megan);
    assert.equal(
      (old as { message: string }).message,
      `That card was out of date; here is plan ${req.id} as it stands now.`,
    );
    w.directory.ignoredWrites.clear();
    const resumed = await w.service.resumePlan(req.id, stopped.history.length, people.adele);
    assert.equal(resumed.outcome, 'done');
    assert.equal(resumed.request.history.at(-1)!.note, 'resumed');
    await w.service.execute(req.id);
    assert.deepEqual(
      w.directory.writes().map((x) => [x.groupId, x.as]),
      [
        [G.dach, 'u-megan'],
        [G.eu, 'u-megan'],
        [G.eu, 'u-adele'],
        [G.us, 'u-adele'],
        [G.sales, 'u-adele'],
      ],
    );
    assert.equal((await stored(req.id)).state, 'awaiting_audit');
    const again = await w.service.resumePlan(req.id, (await stored(req.id)).history.length, people.megan);
    assert.equal(
      (again as { message: string }).message,
      `Request ${req.id} is done and waiting for the audit log by Adele Vance; only a stopped plan can be resumed.`,
    );
  });

  it('a finished move plan is rolled back by a new plan, top-down, which needs its own approval', async () => {
    const single = await requested(w);
    const notPlan = await w.service.requestPlanRollback(single.id, people.alex, anchor);
    assert.equal(
      notPlan.message,
      `Request ${single.id} is not a move plan; roll single groups back with "rollback &lt;group&gt;".`,
    );
    const req = await approvedTree();
    const early = await w.service.requestPlanRollback(req.id, people.alex, anchor);
    assert.equal(
      early.message,
      `Plan ${req.id} is approved by Megan Bowen; it can be rolled back once it has finished or stopped.`,
    );
    await w.service.execute(req.id);
    await w.service.pollAudit(req.id, 0);
    const rb = await w.service.requestPlanRollback(req.id, people.alex, anchor);
    const rollback = rb.request!;
    assert.deepEqual(
      [rollback.action, rollback.state, rollback.plan!.rollbackOf],
      ['rollback', 'awaiting_approval', req.id],
    );
    assert.deepEqual(
      rollback.plan!.steps.map((s) => s.groupId),
      [...BOTTOM_UP].reverse(),
    );
    const twice = await w.service.requestPlanRollback(req.id, people.alex, anchor);
    assert.equal(twice.message, `Some of these groups already have open requests: ${rollback.id}.`);
    await approved(w, rollback);
    await w.service.execute(rollback.id);
    assert.deepEqual(
      w.directory
        .writes()
        .filter((x) => !x.value)
        .map((x) => x.groupId),
      [...BOTTOM_UP].reverse(),
    );
  });

  it("a rollback plan reads each step's group fresh, level by level, and shows its warnings", async () => {
    const req = await approvedTree();
    await w.service.execute(req.id);
    await w.service.pollAudit(req.id, 0);
    const moved = await stored(req.id);
    assert.equal(moved.state, 'completed');
    // After the move: a cloud-only member in Sales-EU, a cloud edit of Sales-US, Sales-DACH unreadable.
    const before = moved.plan!.steps[0]!.switchedAt!;
    (w.clock as ManualClock).advance(60_000);
    w.directory.groups.get(G.eu)!.cloudOnlyMembers = [{ id: 'u-pradeep', displayName: 'Pradeep Gupta' }];
    w.directory.cloudEdits.push({ groupId: G.us, activity: 'Update group', at: w.clock.now().toISOString() });
    w.directory.unreadable.add(G.dach);

    const rollback = (await w.service.requestPlanRollback(req.id, people.alex, anchor)).request!;
    const reads = w.directory.calls.filter((c) => c.method === 'readRollbackFacts');
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]!.args[0], [
      [{ groupId: G.sales, since: before }],
      [
        { groupId: G.us, since: before },
        { groupId: G.eu, since: before },
      ],
      [{ groupId: G.dach, since: before }],
    ]);
    const warnings = new Map(rollback.plan!.steps.map((st) => [st.groupId, st.warnings]));
    assert.deepEqual(warnings.get(G.sales), []);
    assert.deepEqual(warnings.get(G.eu), ['1 cloud-only member(s), removed when AD takes it over: Pradeep Gupta']);
    assert.deepEqual(warnings.get(G.us), [
      'edited in the cloud since the switch (Update group): AD values replace these edits at the take-over',
    ]);
    assert.deepEqual(warnings.get(G.dach), [
      'members could not be read (cloud-only members are removed when AD takes it over)',
      'cloud edits since the switch could not be read (AD values replace them at the take-over)',
    ]);
    assert.deepEqual(rollback.plan!.rollbackChecks, { cloudMembers: 1, cloudEdits: 1, unread: 1 });
    assert.match(
      planView(rollback).summary,
      new RegExp(
        String.raw`^4 groups to roll back · 1 with cloud-only members \(removed when AD takes over\) · 1 edited ` +
          String.raw`in the cloud since the switch \(AD values replace the edits\) · 1 whose rollback checks could ` +
          String.raw`not be read$`,
      ),
    );
  });

  it('a running plan refreshes its card by time, not per step: every 5 s of work', async () => {
    /** The card updates of a 31-step plan run with `perSwitchMs` on the clock for each switch. */
    async function run(perSwitchMs: number): Promise<{ steps: number; cards: number }> {
      w = world();
      const kids = Array.from({ length: 30 }, (_, i) => `k${i}`);
      for (const id of kids) w.directory.addGroup({ id, displayName: `Leaf-${id}` });
      w.directory.groups.get(G.sales)!.children = kids;
      const forUser = w.directory.forUser.bind(w.directory);
      w.directory.forUser = (user) => {
        const dir = forUser(user);
        const switchIt = dir.setIsCloudManaged.bind(dir);
        return {
          ...dir,
          setIsCloudManaged: async (...args: Parameters<typeof switchIt>) => {
            (w.clock as ManualClock).advance(perSwitchMs);
            return switchIt(...args);
          },
        };
      };
      const req = await approvedTree();
      const before = w.notifier.cards.length;
      assert.equal(await w.service.execute(req.id), 'done');
      return { steps: req.plan!.steps.length, cards: w.notifier.cards.length - before };
    }
    // No time passes: only the cards of the run's own transitions (running, then switched).
    const quick = await run(0);
    assert.equal(quick.steps, 31);
    // One second per switch: a refresh after every fifth step besides those.
    const slow = await run(1000);
    assert.equal(slow.cards - quick.cards, Math.floor(31 / 5), `${slow.cards} card updates against ${quick.cards}`);
  });

  it('stores a running plan once per switch (the guard that renews the lease), restore point included', async () => {
    const kids = Array.from({ length: 30 }, (_, i) => `k${i}`);
    for (const id of kids) w.directory.addGroup({ id, displayName: `Leaf-${id}` });
    w.directory.groups.get(G.sales)!.children = kids;
    const req = await approvedTree();
    const update = w.store.update.bind(w.store);
    const writes: Array<{ restorePoints: number; done: number }> = [];
    w.store.update = async (r) => {
      writes.push({
        restorePoints: r.restorePoints?.length ?? 0,
        done: r.plan?.steps.filter((st) => st.state === 'done').length ?? 0,
      });
      return update(r);
    };
    assert.equal(await w.service.execute(req.id), 'done');
    const steps = req.plan!.steps.length;
    // Running, one per switch, switched: where three per step were written before.
    assert.equal(writes.length, steps + 2, `${writes.length} writes for ${steps} steps`);
    // Each switch's write holds its group's restore point, and the steps done before it.
    writes.slice(1, -1).forEach((x, i) => assert.deepEqual(x, { restorePoints: i + 1, done: i }));
    assert.equal((await stored(req.id)).restorePoints?.length, steps);
  });
});
