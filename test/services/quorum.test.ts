/** Use cases: several approvals (APPROVALS_REQUIRED) and a second stage (SECOND_STAGE_GROUP_ID). */
import assert from 'node:assert/strict';
import type { ApprovalPolicy } from '../../src/domain/policy';
import type { SoaRequest } from '../../src/domain/request';
import { CardPresenter } from '../../src/views/presenter';
import { cardText } from '../support/connector';
import type { ManualClock } from '../support/manual-clock';
import { anchor, G, HIA, jobs, people, requested, world, type World } from './fixture';

const CAB = 'c0000000-0000-4000-8000-0000000000ab';
const quorum = (p: Partial<ApprovalPolicy>) => ({ policy: { approverRoles: [HIA], allowSelfApproval: false, ...p } });
const stored = async (w: World, id: string) => (await w.store.get(id))!;
const executions = (w: World) => jobs(w).filter((j) => j.startsWith('execute:'));
const card = (w: World, req: SoaRequest) => cardText(new CardPresenter(w.settings.policy).requestCard(req));

describe('use cases: quorum and second stage', () => {
  it('2 of 2: the same approver twice counts once and nothing runs; a second approver completes it', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    const req = await requested(w);
    assert.deepEqual(req.quorum, { approvals: 2 });
    const first = await w.service.approve(req.id, 1, people.megan, true);
    assert.equal(first.outcome, 'done');
    assert.equal(first.request.state, 'awaiting_approval');
    assert.deepEqual(
      first.request.approvals?.map((a) => [a.by.name, a.stage]),
      [['Megan Bowen', 1]],
    );
    assert.equal(first.request.history.length, 1, 'counted, not a state change: the card version stays');
    assert.match(card(w, first.request), /waiting for approval \(1 of 2\)/);
    assert.match(card(w, first.request), /1 of 2 approvals: Megan Bowen \(/);
    assert.match(card(w, first.request), /not Megan Bowen \(approved already/);
    await w.service.idle();
    assert.match(
      w.notifier.texts().at(-1)!,
      /^Megan Bowen approved request R-\w+ for \*\*FIN-Payroll\*\* \(1 of 2\); 1 more/,
    );

    const versionBefore = (await stored(w, req.id)).version;
    const twice = await w.service.approve(req.id, 1, people.megan, true);
    assert.equal(twice.outcome, 'refused');
    assert.match(
      (twice as { message: string }).message,
      /^You already approved request R-\w+ at .*; a person's approval counts once\. It still waits for 1 approval/,
    );
    assert.equal((await stored(w, req.id)).version, versionBefore, 'the card and the request are unchanged');
    assert.deepEqual(executions(w), [], 'nothing runs');

    const done = await w.service.approve(req.id, 1, people.adele, true);
    assert.equal(done.request.state, 'approved');
    assert.deepEqual(done.request.approver, people.adele, 'the approver who completed the quorum runs it');
    assert.deepEqual(executions(w), [`execute:${req.id}@0`]);
    await w.service.idle();
    assert.match(
      w.notifier.texts().at(-1)!,
      /has all its approvals \(Megan Bowen, Adele Vance\); running it with Adele Vance's sign-in, .* the quorum\./,
    );
    const timeline = cardText(new CardPresenter(w.settings.policy).statusCard('t', [done.request], '', true));
    assert.match(timeline, /waiting for approval \(Megan Bowen\): approval 1 of 2($| )/);
    assert.match(timeline, /approved \(Adele Vance\): 2 of 2 approvals; runs with Adele Vance's sign-in/);
    await w.service.execute(req.id);
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-adele' }]);
    assert.match((await stored(w, req.id)).history.find((h) => h.state === 'approved')!.note!, /^2 of 2 approvals;/);
  });

  it('the requester counts only with ALLOW_SELF_APPROVAL, and then once; roles are read at each click', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    w.directory.addPerson(people.alex, [HIA]);
    const req = await requested(w);
    const self = await w.service.approve(req.id, 1, people.alex, true);
    assert.equal((self as { message: string }).message, 'You requested this change, so someone else must approve it.');
    w.directory.addPerson(people.adele, []);
    const noRole = await w.service.approve(req.id, 1, people.adele, true);
    assert.match((noRole as { message: string }).message, /^Approving needs one of these directory roles/);

    const w2 = world({ settings: quorum({ approvalsRequired: 2, allowSelfApproval: true }) });
    w2.directory.addPerson(people.alex, [HIA]);
    const r2 = await requested(w2);
    assert.equal((await w2.service.approve(r2.id, 1, people.alex, true)).outcome, 'done');
    assert.equal((await w2.service.approve(r2.id, 1, people.alex, true)).outcome, 'refused', 'once');
    const done = await w2.service.approve(r2.id, 1, people.megan, true);
    assert.equal(done.request.state, 'approved');
    assert.deepEqual(
      done.request.approvals?.map((a) => [a.by.id, !!a.selfApproved]),
      [
        ['u-alex', true],
        ['u-megan', false],
      ],
    );
  });

  it('two approvals at once are both counted: one approval, one execution', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    const req = await requested(w);
    const [a, b] = await Promise.all([
      w.service.approve(req.id, 1, people.megan, true),
      w.service.approve(req.id, 1, people.adele, true),
    ]);
    assert.deepEqual([a.outcome, b.outcome], ['done', 'done']);
    const after = await stored(w, req.id);
    assert.equal(after.state, 'approved');
    assert.equal(after.approvals?.length, 2);
    assert.equal(executions(w).length, 1);
  });

  it('a rejection (with its reason) ends the request, even with approvals counted', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    const req = await requested(w);
    await w.service.approve(req.id, 1, people.megan, true);
    const r = await w.service.reject(req.id, 1, people.adele, 'Not before the audit.');
    assert.deepEqual([r.request.state, r.request.reason], ['rejected', 'Not before the audit.']);
    const late = await w.service.approve(req.id, 2, people.adele, true);
    assert.equal(late.outcome, 'stale');
    assert.deepEqual(executions(w), []);
  });

  describe('second stage', () => {
    let w: World;
    let req: SoaRequest;
    beforeEach(async () => {
      w = world({ settings: quorum({ secondStage: { groupId: CAB, approvals: 1 } }) });
      w.directory.addPerson(people.lee, [], [CAB]);
      req = await requested(w);
    });

    it('a member of the group approves after the first stage; it runs with the first-stage approver', async () => {
      const early = await w.service.approve(req.id, 1, people.lee, true);
      assert.match((early as { message: string }).message, /^Approving needs one of these directory roles/);
      const first = await w.service.approve(req.id, 1, people.megan, true);
      assert.equal(first.request.state, 'awaiting_approval');
      assert.equal(first.request.approver, undefined);
      const text = card(w, first.request);
      assert.match(text, /waiting for approval \(second stage, 0 of 1\)/);
      assert.match(text, /Runs with.*Megan Bowen's sign-in/s);
      assert.match(text, new RegExp(`members of the second-stage group \\(${CAB}\\)`));
      assert.doesNotMatch(text, /I confirm/, 'the second stage is not asked to confirm the sync versions');
      await w.service.idle();
      assert.match(w.notifier.texts().at(-1)!, /The first stage is complete; the switch will run with Megan Bowen/);

      const adele = await w.service.approve(req.id, 1, people.adele, false);
      assert.match((adele as { message: string }).message, /waits for its second stage, which needs members/);
      const megan = await w.service.approve(req.id, 1, people.megan, true);
      assert.match((megan as { message: string }).message, /^You already approved/);
      assert.deepEqual(executions(w), []);

      const lee = await w.service.approve(req.id, 1, people.lee, false);
      assert.equal(lee.request.state, 'approved');
      assert.deepEqual(lee.request.approver, people.megan);
      assert.equal(lee.request.history.at(-1)!.by, 'Lee Gu');
      await w.service.execute(req.id);
      assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
    });

    it('a member of the group may reject at the second stage; a non-member may not', async () => {
      await w.service.approve(req.id, 1, people.megan, true);
      w.directory.addPerson(people.adele, []);
      const no = await w.service.reject(req.id, 1, people.adele, 'Not this week.');
      assert.equal(no.outcome, 'refused');
      const yes = await w.service.reject(req.id, 1, people.lee, 'The board did not review it.');
      assert.deepEqual([yes.request.state, yes.request.approver?.name], ['rejected', 'Lee Gu']);
    });

    it('pending lists what waits for you per stage; the reminder of the second stage names it', async () => {
      const clock = w.clock as ManualClock;
      const before = await w.service.pendingFor(people.lee);
      assert.deepEqual(before.stages, { first: [], second: [], approvedByYou: [] });
      assert.equal((await w.service.pendingFor(people.megan)).stages!.first.length, 1);
      await w.service.remind(req.id);
      assert.match(w.notifier.texts().at(-1)!, /still waits for 1 more approval at the first stage \(0 of 1\)/);

      await w.service.approve(req.id, 1, people.megan, true);
      const lee = await w.service.pendingFor(people.lee);
      assert.deepEqual(
        lee.stages!.second.map((r) => r.id),
        [req.id],
      );
      const megan = await w.service.pendingFor(people.megan);
      assert.deepEqual([megan.stages!.first, megan.stages!.approvedByYou.map((r) => r.id)], [[], [req.id]]);
      assert.ok(
        jobs(w).includes(`remind:${req.id}@${w.settings.remindAfterMs}`),
        'the second stage gets its own reminder',
      );
      clock.advance(w.settings.remindAfterMs);
      await w.service.remind(req.id);
      assert.match(
        w.notifier.texts().at(-1)!,
        /still waits for 1 more approval at the second stage \(0 of 1\).*Who may approve now \(second stage/,
      );
    });
  });

  it('an approval waiting for a sign-in survives another counted approval and finishes as a counted one', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    const req = await requested(w);
    assert.equal(await w.service.awaitSignIn(req.id, 1, people.adele, true, 50076), true);
    await w.service.approve(req.id, 1, people.megan, true);
    const waiting = await stored(w, req.id);
    assert.deepEqual(
      waiting.signInsPending?.map((p) => p.approver.id),
      ['u-adele'],
    );
    const found = await w.service.pendingSignIn(people.adele, anchor);
    const d = await w.service.approve(req.id, found!.pending.cardVersion, people.adele, true);
    assert.equal(d.request.state, 'approved');
    assert.equal(d.request.approver?.id, 'u-adele');
    assert.equal(d.request.signInsPending, undefined);
  });

  it('one quorum covers a plan: every step runs with the completing approver', async () => {
    const w = world({ settings: quorum({ approvalsRequired: 2 }) });
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const id = p.request!.id;
    await w.service.approve(id, 1, people.megan, true);
    assert.equal((await stored(w, id)).state, 'awaiting_approval');
    await w.service.approve(id, 1, people.adele, true);
    await w.service.execute(id);
    const writers = new Set(w.directory.writes().map((x) => x.as));
    assert.deepEqual([...writers], ['u-adele']);
    assert.equal(w.directory.writes().length, 4);
  });

  it('with the defaults nothing about the quorum is stored and the card reads as before', async () => {
    const w = world();
    const req = await requested(w);
    assert.equal(req.quorum, undefined);
    assert.match(card(w, req), /Who may decide: Hybrid Identity Administrator, other than the requester\./);
    assert.doesNotMatch(card(w, req), /of 1|Runs with/);
  });
});
