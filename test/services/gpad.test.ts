/** Use cases: the Group Provisioning to AD checklist after a move marked "still needed in AD". */
import assert from 'node:assert/strict';
import type { SoaRequest } from '../../src/domain/request';
import { anchor, G, people, requested, world, type World } from './fixture';

const SID = 'S-1-5-21-1004336348-1177238915-682003330-1104';

describe('use cases: GPAD checklist after the switch', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  /** Megan approves with the toggle set (or not); the request as stored. */
  async function approvedWith(req: SoaRequest, stillNeededInAd: boolean): Promise<SoaRequest> {
    const d = await w.service.approve(req.id, req.history.length, people.megan, true, stillNeededInAd);
    assert.equal(d.outcome, 'done', d.outcome === 'done' ? '' : d.message);
    await w.service.idle();
    w.queue.clear();
    return (await w.store.get(req.id))!;
  }
  const checklists = () => w.notifier.texts().filter((t) => t.includes('Group Provisioning to AD'));

  it('the toggle is recorded with the approver and the time; after the switch it is posted once', async () => {
    const req = await approvedWith(await requested(w), true);
    assert.deepEqual(req.stillNeededInAd, {
      by: { id: people.megan.id, name: people.megan.name },
      at: w.clock.now().toISOString(),
    });
    w.directory.groups.get(G.payroll)!.cloudOnlyMembers = [{ id: 'u-pradeep', displayName: 'Pradeep Gupta' }];
    assert.deepEqual(checklists(), []);
    await w.service.execute(req.id);
    const posted = checklists();
    assert.equal(posted.length, 1);
    assert.match(posted[0]!, new RegExp(`^Request ${req.id}: marked still needed in AD`));
    assert.match(posted[0]!, new RegExp(`matched by its SID \\*\\*${SID}\\*\\*`));
    assert.match(posted[0]!, /Cloud-only members are not written to AD: Pradeep Gupta\./);
    assert.deepEqual((await w.store.get(req.id))!.gpadPosted, [G.payroll]);
    // The job again (a duplicate delivery), the audit, the watch: no second checklist.
    await w.service.execute(req.id);
    await w.service.pollAudit(req.id, 0);
    assert.equal((await w.store.get(req.id))!.state, 'completed');
    assert.equal(checklists().length, 1);
  });

  it('without the toggle, nothing is posted about provisioning back', async () => {
    const req = await approvedWith(await requested(w), false);
    assert.equal(req.stillNeededInAd, undefined);
    await w.service.execute(req.id);
    assert.equal((await w.store.get(req.id))!.state, 'awaiting_audit');
    assert.deepEqual(checklists(), []);
  });

  it('a mail-enabled group marked still needed: the thread says it cannot be provisioned back', async () => {
    w.directory.groups.get(G.payroll)!.kind = 'mailEnabledSecurity';
    const req = await approvedWith(await requested(w), true);
    await w.service.execute(req.id);
    const [text] = checklists();
    assert.match(text!, /\*\*FIN-Payroll\*\* is a mail-enabled security group: it \*\*cannot be provisioned back\*\*/);
    assert.doesNotMatch(text!, /Universal/);
  });

  it('a plan: the checklist names each switched group once; a stopped plan resumed adds only the rest', async () => {
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    let req = await approvedWith(p.request!, true);
    w.directory.ignoredWrites.add(G.eu);
    await w.service.execute(req.id);
    req = (await w.store.get(req.id))!;
    assert.equal(req.state, 'stopped');
    // Step 1 was switched before step 2 failed: its checklist is owed now.
    let posted = checklists();
    assert.equal(posted.length, 1);
    assert.match(posted[0]!, /\*\*Sales-DACH\*\* \(contoso\.local\\Sales-DACH\)/);
    assert.doesNotMatch(posted[0]!, /Sales-EU|Sales-US/);
    w.directory.ignoredWrites.clear();
    const resumed = await w.service.resumePlan(req.id, req.history.length, people.megan);
    assert.equal(resumed.outcome, 'done');
    await w.service.idle();
    w.queue.clear();
    await w.service.execute(req.id);
    posted = checklists();
    assert.equal(posted.length, 2);
    for (const name of ['Sales-EU', 'Sales-US', 'Sales'])
      assert.match(posted[1]!, new RegExp(`\\*\\*${name}\\*\\* \\(contoso\\.local\\\\${name}\\)`));
    assert.doesNotMatch(posted[1]!, /Sales-DACH/);
    assert.equal(posted[1]!.split('☐ A Cloud Sync provisioning agent').length, 2, 'the common items once');
    assert.deepEqual((await w.store.get(req.id))!.gpadPosted, [G.dach, G.eu, G.us, G.sales]);
  });
});
