/**
 * Use cases: scheduled switches. Approved ahead of time, run at their time and not before (the
 * execute job goes back to the queue when early), cancelled or rejected until they start, and a
 * request whose time comes before its approval. Jobs are run by hand as the queue hands them out.
 */
import assert from 'node:assert/strict';
import type { SoaRequest } from '../../src/domain/request';
import type { ScheduleReading } from '../../src/services/soa-service';
import { CardPresenter } from '../../src/views/presenter';
import type { ManualClock } from '../support/manual-clock';
import { anchor, approved, G, jobs, people, runDue, world, type World } from './fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('use cases: scheduled switches', () => {
  let w: World;
  let clock: ManualClock;
  beforeEach(() => {
    // Mon 2 Mar 2026, 09:00 UTC: 10:00 in Berlin.
    w = world({ settings: { schedule: { zone: 'Europe/Berlin', maxDays: 30 } } });
    clock = w.clock as ManualClock;
  });

  /** Alex asks to move FIN-Payroll at `when`; the request as stored. */
  async function scheduled(when: string, groupId = G.payroll): Promise<SoaRequest> {
    const reading: ScheduleReading = w.service.readSchedule(when);
    assert.ok(reading.ok, JSON.stringify(reading));
    const r = await w.service.submit(groupId, 'move', people.alex, anchor, undefined, reading);
    return r.request!;
  }

  const stored = async (id: string) => (await w.store.get(id))!;
  const posted = () => w.notifier.texts();

  it('is approved ahead of time and runs at its time, not before; the thread hears it start', async () => {
    const req = await scheduled('at 22:00');
    assert.equal(req.scheduledFor, '2026-03-02T21:00:00.000Z');
    assert.equal(req.notBefore, req.scheduledFor);
    assert.equal(w.service.readSchedule('at 22:00').zone, 'Europe/Berlin');
    const ok = await approved(w, req);
    assert.match(
      w.notifier.texts().at(-1)!,
      /approved by Megan Bowen; it runs at Mon 2 Mar 22:00 Europe\/Berlin \(21:00 UTC\) with their sign-in/,
    );
    assert.equal(ok.state, 'approved');
    await runDue(w);
    assert.equal((await stored(req.id)).state, 'approved', 'the job received at once went back to the queue');
    assert.deepEqual(w.directory.writes(), []);
    assert.ok(jobs(w).includes(`execute:${req.id}@${12 * HOUR}`), jobs(w).join(' '));
    // An hour before: the approver whose sign-in will run it is reminded, by name.
    clock.advance(11 * HOUR);
    await runDue(w);
    const reminder = w.notifier.posts.at(-1)!.message;
    assert.match(
      reminder.text!,
      /<at>Megan Bowen<\/at>: request R-\w+ \(move to cloud of \*\*FIN-Payroll\*\*\) starts/,
    );
    assert.deepEqual('mentions' in reminder && reminder.mentions, [
      { id: people.megan.channelUserId, name: 'Megan Bowen' },
    ]);
    clock.advance(HOUR - 1000);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), [], 'one second before its time, nothing is written');
    assert.equal((await stored(req.id)).state, 'approved');
    clock.advance(1000);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
    // Started: the audit look follows (a second execute job, the creation's, made sure of it).
    assert.ok(['awaiting_audit', 'completed'].includes((await stored(req.id)).state));
    assert.equal(posted().filter((t) => /starting now, as scheduled for Mon 2 Mar 22:00/.test(t)).length, 1);
    assert.equal(posted().filter((t) => /starts in an hour/.test(t)).length, 1, 'one reminder');
  });

  it('duplicate or early execute jobs are harmless; the sweep leaves a request waiting for its time', async () => {
    const req = await approved(w, await scheduled('in 3 hours'));
    for (let i = 0; i < 3; i++) await w.queue.enqueue({ kind: 'execute', requestId: req.id });
    await runDue(w);
    assert.deepEqual(w.directory.writes(), []);
    assert.equal(await w.service.sweep(0), 0);
    clock.advance(3 * HOUR);
    await runDue(w);
    assert.equal(w.directory.writes().length, 1, 'exactly one PATCH');
  });

  it('a time weeks ahead is carried in queue hops of at most six days and does not expire before it', async () => {
    const req = await approved(w, await scheduled('at 2026-03-25 22:00'));
    assert.equal(req.expiresAt, '2026-03-28T21:00:00.000Z', 'one TTL (72 h) after its time');
    assert.ok(
      w.queue.waiting().every((m) => m.inMs <= 6 * DAY),
      jobs(w).join(' '),
    );
    for (let day = 0; day < 23; day++) {
      clock.advance(DAY);
      await runDue(w);
    }
    assert.equal((await stored(req.id)).state, 'approved');
    assert.ok(w.queue.waiting().every((m) => m.inMs <= 6 * DAY));
    clock.advance(HOUR * 12 - 1000);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), []);
    clock.advance(1000);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
  });

  it('the requester can cancel it until it starts; then nothing runs', async () => {
    const req = await approved(w, await scheduled('in 2 hours'));
    const refused = await w.service.cancel(req.id, people.megan);
    assert.equal(refused.outcome, 'refused', 'only the requester cancels');
    const d = await w.service.cancel(req.id, people.alex);
    assert.equal(d.outcome, 'done');
    assert.equal((await stored(req.id)).state, 'cancelled');
    clock.advance(2 * HOUR);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), []);
    assert.equal(posted().filter((t) => /starting now/.test(t)).length, 0);
  });

  it('an approver can reject it until it starts; not once it has started', async () => {
    const first = await approved(w, await scheduled('in 2 hours'));
    const d = await w.service.reject(first.id, first.history.length, people.adele, 'not during month-end close');
    assert.equal(d.outcome, 'done');
    assert.deepEqual([d.request.state, d.request.reason], ['rejected', 'not during month-end close']);
    clock.advance(2 * HOUR);
    await runDue(w);
    assert.deepEqual(w.directory.writes(), []);

    const second = await approved(w, await scheduled('in 1 hour', G.us));
    clock.advance(HOUR);
    await runDue(w);
    const late = await w.service.reject(second.id, second.history.length, people.adele, 'too late now');
    assert.equal(late.outcome, 'stale');
    assert.equal(w.directory.writes().length, 1);
    // An unscheduled approved request cannot be rejected or cancelled either (it starts at once).
    const now = await approved(w, await w.service.submit(G.dach, 'move', people.alex, anchor).then((r) => r.request!));
    assert.equal((await w.service.cancel(now.id, people.alex)).outcome, 'stale');
  });

  it('not approved by its time: the thread hears it once, and it runs as soon as it is approved', async () => {
    const req = await scheduled('in 2 hours');
    clock.advance(2 * HOUR);
    await runDue(w);
    await w.queue.enqueue({ kind: 'execute', requestId: req.id });
    await runDue(w);
    const late = posted().filter((t) => /was scheduled for .* but is not approved yet/.test(t));
    assert.equal(late.length, 1, posted().join('\n'));
    assert.match(late[0]!, /runs as soon as it is approved, unless it expires first/);
    assert.equal((await stored(req.id)).state, 'awaiting_approval');
    await approved(w, await stored(req.id));
    await runDue(w);
    assert.equal(w.directory.writes().length, 1);
  });

  it('status lines and the card say "scheduled for …" until it starts', async () => {
    const req = await scheduled('at 2026-03-07 22:00');
    const presenter = new CardPresenter(w.settings.policy);
    assert.match(
      presenter.requestCard(req).fallbackText as string,
      /waiting for approval · expires .* · scheduled for Sat 7 Mar 22:00 Europe\/Berlin \(21:00 UTC\)/,
    );
    const ok = await approved(w, req);
    const card = JSON.stringify(presenter.requestCard(ok));
    assert.match(card, /waiting for its time · scheduled for Sat 7 Mar 22:00/);
    assert.match(card, /"verb":"reject"/, 'the card still offers Reject');
    assert.doesNotMatch(card, /"verb":"approve"/);
  });
});
