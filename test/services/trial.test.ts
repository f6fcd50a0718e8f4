/**
 * Use cases: trial conversions. One approval covers the move and its rollback; reminders a
 * day and an hour before the end; the rollback at the end with the approver's token, once;
 * Keep in the cloud and Roll back now (approvers only); no approver token: the thread asks.
 * Jobs are run by hand as the queue hands them out, on the manual clock.
 */
import assert from 'node:assert/strict';
import { CodedError, isCoded } from '../../src/domain/errors';
import type { SoaRequest } from '../../src/domain/request';
import type { ManualClock } from '../support/manual-clock';
import { anchor, approved, G, jobs, people, runDue, world, type World } from './fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('use cases: trial conversions', () => {
  let w: World;
  let clock: ManualClock;
  beforeEach(() => {
    w = world();
    clock = w.clock as ManualClock;
  });

  /** Moves the clock to `ms` before the trial's end (negative: after it) and runs what is due. */
  async function toEnd(req: SoaRequest, ms: number): Promise<void> {
    const end = Date.parse((await stored(req.id)).trial!.endsAt!);
    clock.advance(end - ms - clock.now().getTime());
    await runDue(w);
  }

  const stored = async (id: string) => (await w.store.get(id))!;
  const rollbacks = async () => (await w.store.list({ limit: 100 })).filter((r) => r.action === 'rollback');

  /** Alex asks for a 7-day trial of FIN-Payroll, Megan approves, it is switched and confirmed. */
  async function switchedTrial(trial = 'for 7 days'): Promise<SoaRequest> {
    const r = await w.service.submit(G.payroll, 'move', people.alex, anchor, { trial });
    assert.ok(r.request, 'requested');
    await approved(w, r.request);
    await runDue(w);
    clock.advance(w.settings.audit.firstDelayMs);
    await runDue(w);
    const req = await stored(r.request.id);
    assert.equal(req.state, 'completed');
    return req;
  }

  it('approved once: reminded a day and an hour ahead, rolled back at its end with the approver token', async () => {
    const req = await switchedTrial();
    assert.equal(req.trial!.endsAt, new Date(Date.parse(req.switchedAt!) + 7 * DAY).toISOString());
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: people.megan.id }]);
    // Queued as the switch was confirmed: the end a hop at a time (at most 6 days), the first
    // reminder for a day before the end.
    const confirmedAfter = w.settings.audit.firstDelayMs;
    assert.ok(jobs(w).includes(`trialEnd:${req.id}@${6 * DAY}`), jobs(w).join(' '));
    assert.ok(jobs(w).includes(`trialReminder:${req.id}@${6 * DAY - confirmedAfter}`), jobs(w).join(' '));
    const card = w.service['ports'].presenter.requestCard(req);
    assert.match(JSON.stringify(card), /trial until Mon 9 Mar 09:00 UTC/);
    const before = w.notifier.posts.length;
    await toEnd(req, DAY + 1);
    assert.equal(w.notifier.posts.length, before, 'nothing before a day ahead');
    await toEnd(req, DAY);
    const day = w.notifier.posts.at(-1)!.message;
    assert.ok('card' in day);
    assert.match(day.text!, /<at>Alex Wilber<\/at>: trial R-\w+ \(\*\*FIN-Payroll\*\* in the cloud\) ends in a day/);
    assert.deepEqual(
      (day.card.actions as Array<{ title: string; verb: string }>).map((a) => [a.title, a.verb]),
      [
        ['Keep in the cloud', 'trialKeep'],
        ['Roll back now', 'trialRollback'],
      ],
    );
    await toEnd(req, HOUR);
    assert.match(w.notifier.texts().at(-1)!, /ends in an hour, at Mon 9 Mar 09:00 UTC/);
    assert.equal((await stored(req.id)).trial!.reminded!.hour !== undefined, true);
    assert.deepEqual(await rollbacks(), [], 'no rollback before the end');
    await toEnd(req, 0);
    const [rb] = await rollbacks();
    assert.ok(rb);
    assert.equal(rb.trialOf, req.id);
    assert.equal(rb.approver!.id, people.megan.id);
    // Its own card in the thread, read fresh: its checks, and no cloud edit since the move.
    const posted = w.notifier.posts.find((p) => 'card' in p.message && p.message.text?.includes(rb.id))!;
    assert.match(
      posted.message.text!,
      /Trial R-\w+ of \*\*FIN-Payroll\*\* in the cloud has ended: rollback R-\w+ runs now/,
    );
    assert.equal((await stored(rb.id)).anchor.cardActivityId, `posted-card-${w.notifier.posts.indexOf(posted) + 1}`);
    assert.ok(rb.checks.length > 0, 'its own prerequisite checks');
    assert.equal(rb.cloudChanges?.since?.requestId, req.id);
    assert.deepEqual(w.directory.writes().at(-1), { groupId: G.payroll, value: false, as: people.megan.id });
    // A duplicate end job is harmless: no second rollback, no second write.
    await w.service.endTrial(req.id);
    await w.service.endTrial(req.id);
    await runDue(w);
    assert.equal((await rollbacks()).length, 1);
    assert.equal(w.directory.writes().filter((x) => !x.value).length, 1);
    // Audit confirmation and the sync take-over, as for a manual rollback.
    clock.advance(w.settings.audit.firstDelayMs);
    await runDue(w);
    const waiting = await stored(rb.id);
    assert.equal(waiting.state, 'waiting_for_sync');
    assert.ok(waiting.audit, 'audit confirmed');
    w.directory.syncCycle();
    clock.advance(w.settings.syncWatch.intervalMs);
    await runDue(w);
    assert.equal((await stored(rb.id)).state, 'taken_over');
    assert.match(
      JSON.stringify(w.service['ports'].presenter.requestCard(await stored(req.id))),
      /trial ended: rollback R-/,
    );
  });

  it('a restart between the switch and its confirmation loses neither the reminder nor the end', async () => {
    const r = await w.service.submit(G.payroll, 'move', people.alex, anchor, { trial: 'for 7 days' });
    await approved(w, r.request!);
    await runDue(w);
    assert.equal((await stored(r.request!.id)).state, 'awaiting_audit');
    // The process dies: the queue keeps nothing of this request; a new one starts.
    w.queue.clear();
    assert.equal(await w.service.resume(), 1);
    clock.advance(w.settings.audit.firstDelayMs);
    await runDue(w);
    const req = await stored(r.request!.id);
    assert.equal(req.state, 'completed');
    assert.deepEqual(
      jobs(w)
        .filter((j) => j.startsWith('trial'))
        .sort(),
      [`trialEnd:${req.id}@${6 * DAY}`, `trialReminder:${req.id}@${6 * DAY - w.settings.audit.firstDelayMs}`],
    );
    await toEnd(req, -1);
    assert.equal((await rollbacks()).length, 1, 'rolled back at its end');
  });

  it('a group changed in the cloud during the trial: at the end its rollback waits for an approver', async () => {
    const req = await switchedTrial();
    w.directory.groups.get(G.payroll)!.cloudOnlyMembers.push({ id: 'u-guest', displayName: 'Guest Auditor' });
    await toEnd(req, 0);
    const [rb] = await rollbacks();
    assert.ok(rb);
    assert.equal(rb.state, 'awaiting_approval');
    assert.deepEqual(
      rb.cloudChanges?.changes?.membersAdded.map((m) => m.id),
      ['u-guest'],
    );
    assert.ok(!jobs(w).some((j) => j.startsWith(`execute:${rb.id}`)), 'nothing runs by itself');
    assert.equal(w.directory.writes().filter((x) => !x.value).length, 0);
    const posted = w.notifier.posts.at(-1)!.message;
    assert.ok('card' in posted);
    assert.match(posted.text!, /does not run by itself: \*\*FIN-Payroll\*\* changed in the cloud since its move/);
    assert.match(JSON.stringify(posted.card), /Guest Auditor/);
    // The trial shows its rollback; an approver approves it on its card, and it runs.
    assert.equal((await stored(req.id)).trial!.rollbackId, rb.id);
    await approved(w, rb);
    await runDue(w);
    assert.deepEqual(w.directory.writes().at(-1), { groupId: G.payroll, value: false, as: people.megan.id });
  });

  it('Keep in the cloud ends the trial without a rollback; only approvers may click it', async () => {
    const req = await switchedTrial();
    const no = await w.service.keepTrial(req.id, people.alex);
    assert.equal(no.outcome, 'refused');
    assert.match(no.message!, /Only approvers can keep a trial in the cloud or roll it back/);
    const ok = await w.service.keepTrial(req.id, people.adele);
    assert.equal(ok.outcome, 'done');
    assert.match(w.notifier.texts().at(-1)!, /Adele Vance kept the group in the cloud/);
    await toEnd(req, HOUR);
    await toEnd(req, -1);
    assert.deepEqual(await rollbacks(), []);
    assert.equal(w.directory.writes().length, 1);
    const again = await w.service.rollbackTrialNow(req.id, people.megan);
    assert.equal(again.outcome, 'stale');
  });

  it('Roll back now runs the rollback at once with the clicker token; the end job then does nothing', async () => {
    const req = await switchedTrial();
    assert.equal((await w.service.rollbackTrialNow(req.id, people.alex)).outcome, 'refused');
    const d = await w.service.rollbackTrialNow(req.id, people.adele);
    assert.equal(d.outcome, 'done');
    assert.match(
      w.notifier.texts().find((t) => t.includes('rollback R-'))!,
      /of \*\*FIN-Payroll\*\* in the cloud is cut short by Adele Vance: rollback R-\w+ runs now with Adele Vance's/,
    );
    await runDue(w);
    assert.deepEqual(w.directory.writes().at(-1), { groupId: G.payroll, value: false, as: people.adele.id });
    await toEnd(req, -1);
    assert.equal((await rollbacks()).length, 1);
    assert.equal(w.directory.writes().length, 2);
  });

  it('without an approver token at its end, the thread asks for one click, which runs it', async () => {
    const req = await switchedTrial('for 12 hours');
    w.directory.failNext('whoAmI', new CodedError('InteractionRequired', 'sign in again'));
    await toEnd(req, 0);
    assert.deepEqual(await rollbacks(), []);
    const ask = w.notifier.posts.at(-1)!.message;
    assert.ok('card' in ask);
    assert.match(ask.text!, /no approver's sign-in is at hand/);
    // Asked once: the end job again stays quiet.
    await w.service.endTrial(req.id);
    assert.equal(w.notifier.posts.at(-1)!.message, ask);
    assert.equal((await w.service.rollbackTrialNow(req.id, people.adele)).outcome, 'done');
    assert.match(w.notifier.texts().at(-1)!, /has ended: rollback R-\w+ runs now with Adele Vance's sign-in/);
    await runDue(w);
    assert.deepEqual(w.directory.writes().at(-1), { groupId: G.payroll, value: false, as: people.adele.id });
  });

  it('refuses a trial of zero, negative or over 90 days, or on a rollback; nothing is stored', async () => {
    for (const trial of ['for 0 days', 'for -3 days', 'for 91 days', 'for 0 hours']) {
      await assert.rejects(
        w.service.submit(G.payroll, 'move', people.alex, anchor, { trial }),
        (e) => isCoded(e, 'InvalidInput'),
        trial,
      );
      assert.equal(w.service.trialCheck({ trial }, 'move')?.ok, false, trial);
    }
    assert.equal(w.service.trialCheck({ trial: 'for 7 days' }, 'plan')?.ok, false);
    await assert.rejects(w.service.submit(G.payroll, 'rollback', people.alex, anchor, { trial: 'for 7 days' }), (e) =>
      isCoded(e, 'InvalidInput'),
    );
    assert.deepEqual(await w.store.list({ limit: 10 }), []);
    assert.deepEqual(jobs(w), []);
  });
});
