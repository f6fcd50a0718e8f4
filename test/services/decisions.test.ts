/** Use cases: deciding a request (the click gate, the policy read at the click, the versioned write). */
import assert from 'node:assert/strict';
import { CodedError } from '../../src/domain/errors';
import { G, HIA, jobs, people, requested, world, type World } from './fixture';
import type { ManualClock } from '../support/manual-clock';

describe('use cases: decisions', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it("approve reads the approver's roles at the click: a role lost since refuses, one granted allows", async () => {
    const req = await requested(w);
    w.directory.addPerson(people.megan, []);
    const refused = await w.service.approve(req.id, 1, people.megan, true);
    assert.equal(refused.outcome, 'refused');
    assert.match((refused as { message: string }).message, /^Approving needs one of these directory roles/);
    assert.equal((await w.store.get(req.id))!.state, 'awaiting_approval');

    w.directory.addPerson(people.megan, [HIA]);
    const done = await w.service.approve(req.id, 1, people.megan, true);
    assert.equal(done.outcome, 'done');
    assert.equal(done.request.state, 'approved');
    assert.deepEqual(done.request.approver, people.megan);
    assert.deepEqual(
      w.directory.calls.filter((c) => c.method === 'whoAmI').map((c) => c.as),
      ['u-megan', 'u-megan'],
      'one read per click, with the clicker',
    );
    assert.ok(jobs(w).includes(`execute:${req.id}@0`));
    await w.service.idle();
    assert.match(w.notifier.texts().join('\n'), /was approved by Megan Bowen/);
  });

  it('the requester cannot approve their own request unless self-approval is on (the history says so)', async () => {
    w.directory.addPerson(people.alex, [HIA]);
    const req = await requested(w);
    const d = await w.service.approve(req.id, 1, people.alex, true);
    assert.deepEqual(
      [d.outcome, (d as { message: string }).message],
      ['refused', 'You requested this change, so someone else must approve it.'],
    );

    const w2 = world({ settings: { policy: { approverRoles: [HIA], allowSelfApproval: true } } });
    w2.directory.addPerson(people.alex, [HIA]);
    const req2 = await requested(w2);
    const ok = await w2.service.approve(req2.id, 1, people.alex, true);
    assert.equal(ok.outcome, 'done');
    assert.equal(ok.request.selfApproved, true);
    assert.equal(ok.request.history.at(-1)!.note, 'self-approved (ALLOW_SELF_APPROVAL)');
  });

  it('approve needs the sync-version acknowledgement ticked', async () => {
    const req = await requested(w);
    const d = await w.service.approve(req.id, 1, people.megan, false);
    assert.deepEqual(
      [d.outcome, (d as { message: string }).message],
      ['refused', 'Confirm the sync client versions (the tick box on the card) before approving.'],
    );
    assert.equal(w.directory.calls.filter((c) => c.method === 'whoAmI').length, 0, 'refused before any Graph call');
  });

  it('a click on an out-of-date card does not act; it answers with the request as it stands', async () => {
    const req = await requested(w);
    const d = await w.service.approve(req.id, 0, people.megan, true);
    assert.equal(d.outcome, 'stale');
    assert.equal(
      (d as { message: string }).message,
      `That card was out of date; here is request ${req.id} as it stands now.`,
    );
    assert.equal((await w.store.get(req.id))!.version, 1);
  });

  it('a double click (two approvals at once) records one decision; the other is told who decided', async () => {
    const req = await requested(w);
    const [a, b] = await Promise.all([
      w.service.approve(req.id, 1, people.megan, true),
      w.service.approve(req.id, 1, people.adele, true),
    ]);
    assert.deepEqual([a.outcome, b.outcome].sort(), ['done', 'stale']);
    const winner = a.outcome === 'done' ? 'Megan Bowen' : 'Adele Vance';
    const loser = (a.outcome === 'stale' ? a : b) as { message: string };
    assert.equal(
      loser.message,
      `Someone else decided request ${req.id} a moment earlier: it is approved by ${winner}.`,
    );
    assert.equal(jobs(w).filter((j) => j.startsWith('execute:')).length, 1, 'one execution queued');
  });

  it('a bookkeeping write between the read and the decision (a reminder) does not lose the decision', async () => {
    const req = await requested(w);
    w.store.interleave(async () => {
      const cur = (await w.store.get(req.id))!;
      await w.store.update({ ...cur, remindedAt: w.clock.now().toISOString(), version: cur.version + 1 });
    });
    const d = await w.service.approve(req.id, 1, people.megan, true);
    assert.equal(d.outcome, 'done');
    const stored = (await w.store.get(req.id))!;
    assert.deepEqual([stored.state, stored.version, !!stored.remindedAt], ['approved', 3, true]);
  });

  it('reject needs a reason of a few words and a standing approver; then the request is closed', async () => {
    const req = await requested(w);
    const short = await w.service.reject(req.id, 1, people.megan, '  no ');
    assert.equal((short as { message: string }).message, 'Give a reason for the rejection (at least a few words).');
    const noRole = await w.service.reject(req.id, 1, people.lee, 'Not during the payroll run.');
    assert.equal(noRole.outcome, 'refused');
    const d = await w.service.reject(req.id, 1, people.megan, ' Not during the payroll run. ');
    assert.equal(d.outcome, 'done');
    assert.deepEqual([d.request.state, d.request.reason], ['rejected', 'Not during the payroll run.']);
    assert.equal(w.notifier.cards.length, 1, 'the card everyone sees is updated');
    const again = await w.service.approve(req.id, 2, people.adele, true);
    assert.equal((again as { message: string }).message, `Request ${req.id} is already rejected by Megan Bowen.`);
  });

  it('cancel: only by the requester, only while open', async () => {
    const req = await requested(w);
    const other = await w.service.cancel(req.id, people.megan);
    assert.deepEqual(
      [other.outcome, (other as { message: string }).message],
      ['refused', 'Only the requester can cancel a request.'],
    );
    const d = await w.service.cancel(req.id, people.alex);
    assert.equal(d.request.state, 'cancelled');
    const again = await w.service.cancel(req.id, people.alex);
    assert.equal((again as { message: string }).message, `Request ${req.id} is already cancelled.`);
  });

  it('expiry: a click after the time expires the request; expireDue expires the others', async () => {
    const clock = w.clock as ManualClock;
    const a = await requested(w);
    const b = await requested(w, G.sales);
    clock.advance(w.settings.requestTtlMs - 1000);
    assert.equal(await w.service.expireDue(), 0);
    clock.advance(1000);
    const d = await w.service.approve(a.id, 1, people.megan, true);
    assert.deepEqual(
      [d.outcome, (d as { message: string }).message, d.request.state],
      ['stale', `Request ${a.id} expired before a decision.`, 'expired'],
    );
    assert.equal(await w.service.expireDue(), 1);
    assert.equal((await w.store.get(b.id))!.state, 'expired');
  });

  it('a late decision: a refusal is said in the thread naming the clicker; otherwise the card is updated', async () => {
    const req = await requested(w);
    const refused = await w.service.approve(req.id, 1, people.megan, false);
    await w.service.lateDecision(refused, people.megan, null, req.id);
    assert.deepEqual(w.notifier.posts.at(-1)!.message, {
      text:
        `<at>Megan Bowen</at>: your click on request ${req.id} did not go through. ` +
        'Confirm the sync client versions (the tick box on the card) before approving.',
      mentions: [{ id: '29:megan', name: 'Megan Bowen' }],
    });
    await w.service.lateDecision(null, people.lee, new CodedError('Throttled', 'busy'), req.id);
    assert.match(
      w.notifier.texts().at(-1)!,
      /^Lee Gu: your click on request R-\w+ did not go through\. Microsoft Graph kept/,
    );
    const cards = w.notifier.cards.length;
    await w.service.lateDecision(await approvedDecision(w, req.id), people.megan, null, req.id);
    assert.equal(w.notifier.cards.length, cards + 1);
  });
});

async function approvedDecision(w: World, id: string) {
  const req = (await w.store.get(id))!;
  return w.service.approve(id, req.history.length, people.megan, true);
}
