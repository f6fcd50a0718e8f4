/**
 * Use cases: change windows. An approved switch waits for the next window and runs at its
 * opening (at once inside one); a plan pauses at a window's end, between steps, and resumes at
 * the next window by itself. Time is the ManualClock's; the queue is driven by hand.
 */
import assert from 'node:assert/strict';
import { isWindowProblem, parseWindows, windowRefusal, type ChangeWindows } from '../../src/domain/windows';
import type { UserDirectory } from '../../src/ports/directory';
import { CardPresenter } from '../../src/views/presenter';
import { statusLine } from '../../src/views/status-line';
import { whenRefused } from '../../src/views/when';
import type { ManualClock } from '../support/manual-clock';
import { anchor, approved, G, jobs, people, requested, world, type World } from './fixture';

const H = 3_600_000;
const DAY = 24 * H;
const BOTTOM_UP = [G.dach, G.eu, G.us, G.sales];

function windows(text: string, zone = 'UTC'): ChangeWindows {
  const w = parseWindows(text, zone);
  if (!w || isWindowProblem(w)) throw new Error(`not windows: ${text}`);
  return w;
}

describe('use cases: change windows', () => {
  let w: World;
  let clock: ManualClock;

  /** A world with these windows; the clock starts on Monday 2 March 2026, 09:00 UTC. */
  function start(text: string, zone = 'UTC'): void {
    w = world({ settings: { windows: windows(text, zone) } });
    clock = w.clock as ManualClock;
  }

  const stored = async (id: string) => (await w.store.get(id))!;
  const lastPost = () => w.notifier.texts().at(-1) ?? '';

  /**
   * Runs the jobs visible now, as the worker would: execute and audit through the service; a
   * reminder or an expiry of an approved request does nothing, so those are only taken off.
   */
  async function runDue(): Promise<void> {
    for (let r = await w.queue.receive(60_000); r; r = await w.queue.receive(60_000)) {
      const { kind, requestId, attempt } = r.job;
      const out =
        kind === 'execute'
          ? await w.service.execute(requestId)
          : kind === 'audit'
            ? await w.service.pollAudit(requestId, attempt ?? 0)
            : 'done';
      if (typeof out === 'object') await w.queue.enqueue(r.job, out.afterMs);
      if (out !== 'retry') await w.queue.complete(r);
    }
  }

  const executeJobs = () => jobs(w).filter((j) => j.startsWith('execute:'));

  it('while it waits for its window, the requester can cancel it, and nothing runs at the opening', async () => {
    start('Sat 22:00-Sun 04:00; Wed 20:00-22:00', 'Europe/Berlin');
    const req = await approved(w, await requested(w));
    assert.equal((await stored(req.id)).notBefore, '2026-03-04T19:00:00.000Z');
    const d = await w.service.cancel(req.id, people.alex);
    assert.equal(d.outcome, 'done', JSON.stringify(d));
    clock.advance(Date.parse('2026-03-04T19:00:01Z') - clock.now().getTime());
    await runDue();
    assert.equal((await stored(req.id)).state, 'cancelled');
    assert.deepEqual(w.directory.writes(), []);
  });

  it('an approved switch outside every window waits for the next opening and runs there, once', async () => {
    // Saturday 22:00 in Berlin is 21:00 UTC in March (CET).
    start('Sat 22:00-Sun 04:00; Wed 20:00-22:00', 'Europe/Berlin');
    const req = await approved(w, await requested(w));
    let now = await stored(req.id);
    assert.equal(now.state, 'approved');
    assert.equal(now.notBefore, '2026-03-04T19:00:00.000Z');
    // Shown in the windows' zone, and in UTC.
    assert.equal(statusLine(now), 'Approved by Megan Bowen · scheduled for Wed 4 Mar 20:00 Europe/Berlin (19:00 UTC)');
    assert.match(
      lastPost(),
      /outside the change windows, it runs with their sign-in when the next one opens, Wed 4 Mar 20:00 Europe\/Berlin/,
    );
    // `status` and the board say it too.
    const view = new CardPresenter(w.settings.policy);
    const board = JSON.stringify(view.boardCard('ops', [now], [], clock.now().toISOString()));
    const status = JSON.stringify(view.statusCard('Your requests', [now], '', false));
    for (const card of [board, status])
      assert.match(card, /scheduled for Wed 4 Mar 20:00 Europe\/Berlin \(19:00 UTC\)/);
    // The job the approval queued comes early: it queues itself again for the opening.
    await runDue();
    assert.deepEqual(w.directory.writes(), []);
    const wait = Date.parse('2026-03-04T19:00:00Z') - clock.now().getTime();
    assert.deepEqual(executeJobs(), [`execute:${req.id}@${wait}`]);
    // The sweep for lost jobs leaves it alone: it has its job.
    clock.advance(wait - 1000);
    assert.equal(await w.service.sweep(60_000), 0);
    // A duplicate job a second early does nothing either.
    assert.equal(await w.service.execute(req.id), 'done');
    assert.equal((await stored(req.id)).state, 'approved');
    assert.deepEqual(w.directory.writes(), []);
    clock.advance(1000);
    await runDue();
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
    now = await stored(req.id);
    assert.ok(['awaiting_audit', 'completed'].includes(now.state), now.state);
    assert.equal(now.switchedAt, '2026-03-04T19:00:00.000Z');
    assert.equal(await w.service.execute(req.id), 'done');
    assert.equal(w.directory.writes().length, 1);
  });

  it('a request with its own later time keeps it when that is inside a window, else the window after', async () => {
    start('Sat 22:00-Sun 04:00; Wed 20:00-22:00', 'Europe/Berlin');
    const own = async (groupId: string, notBefore: string) => {
      const req = await requested(w, groupId);
      await w.store.update({ ...req, notBefore, version: req.version + 1 });
      return (await approved(w, await stored(req.id))).notBefore;
    };
    // Saturday 23:30 UTC is inside; Thursday noon is not: the next window is Saturday 22:00 (21:00 UTC).
    assert.equal(await own(G.payroll, '2026-03-07T23:30:00.000Z'), '2026-03-07T23:30:00.000Z');
    assert.equal(await own(G.us, '2026-03-05T12:00:00.000Z'), '2026-03-07T21:00:00.000Z');
  });

  it('inside a window it runs at once', async () => {
    start('Mon 08:00-12:00');
    const req = await approved(w, await requested(w));
    const now = await stored(req.id);
    assert.equal(now.notBefore, undefined);
    assert.equal(statusLine(now), 'Approved by Megan Bowen · starting');
    assert.match(lastPost(), /was approved by Megan Bowen; running it with their sign-in\.$/);
    await runDue();
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
    assert.equal((await stored(req.id)).switchedAt, '2026-03-02T09:00:00.000Z');
  });

  it('a wait longer than six days goes in hops of at most six days', async () => {
    // The window closed at 09:00, as the approval came: the next is a week on, less a minute.
    start('Mon 08:00-09:00');
    const req = await approved(w, await requested(w));
    assert.equal((await stored(req.id)).notBefore, '2026-03-09T08:00:00.000Z');
    await runDue();
    assert.deepEqual(executeJobs(), [`execute:${req.id}@${6 * DAY}`]);
    clock.advance(6 * DAY);
    await runDue();
    assert.deepEqual(w.directory.writes(), []);
    assert.deepEqual(executeJobs(), [`execute:${req.id}@${23 * H}`]);
    clock.advance(23 * H);
    await runDue();
    assert.equal(w.directory.writes().length, 1);
  });

  it('a job that comes after its window closed waits for the next one, and the card says when', async () => {
    start('Mon 08:00-09:30; Thu 20:00-21:00');
    const req = await approved(w, await requested(w));
    assert.equal((await stored(req.id)).notBefore, undefined);
    // A backlog: the worker reaches the job at 09:45.
    clock.advance(45 * 60_000);
    await runDue();
    assert.deepEqual(w.directory.writes(), []);
    const now = await stored(req.id);
    assert.equal(now.notBefore, '2026-03-05T20:00:00.000Z');
    assert.equal(statusLine(now), 'Approved by Megan Bowen · scheduled for Thu 5 Mar 20:00 UTC');
    assert.match(JSON.stringify(w.notifier.cards.at(-1)), /scheduled for Thu 5 Mar 20:00 UTC/);
    clock.advance(Date.parse('2026-03-05T20:00:00Z') - clock.now().getTime());
    await runDue();
    assert.equal(w.directory.writes().length, 1);
  });

  it('a plan pauses at the window end between steps and resumes at the next window, each group once', async () => {
    start('Mon 10:00-11:30; Wed 22:00-23:00');
    // Each switch takes 40 minutes of this tenant's time.
    const forUser = w.directory.forUser.bind(w.directory);
    w.directory.forUser = (p) => {
      const d = forUser(p);
      const slow: UserDirectory['setIsCloudManaged'] = async (...args) => {
        await d.setIsCloudManaged(...args);
        clock.advance(40 * 60_000);
      };
      return { ...d, setIsCloudManaged: slow };
    };
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const req = await approved(w, p.request!);
    assert.equal((await stored(req.id)).notBefore, '2026-03-02T10:00:00.000Z');
    clock.advance(H);
    await runDue();
    // Steps at 10:00, 10:40 and 11:20 (it ends after the window's, at 12:00); the fourth waits.
    let now = await stored(req.id);
    assert.equal(now.state, 'approved');
    assert.deepEqual(
      now.plan!.steps.map((s) => [s.state, s.switchedAt]),
      [
        ['done', '2026-03-02T10:00:00.000Z'],
        ['done', '2026-03-02T10:40:00.000Z'],
        ['done', '2026-03-02T11:20:00.000Z'],
        ['pending', undefined],
      ],
    );
    assert.equal(now.pausedAt, '2026-03-02T12:00:00.000Z');
    assert.equal(now.notBefore, '2026-03-04T22:00:00.000Z');
    assert.equal(now.approver?.id, people.megan.id);
    assert.equal(
      statusLine(now),
      'Paused at the end of the change window · 3 of 4 groups switched · resumes Wed 4 Mar 22:00 UTC',
    );
    assert.equal(
      lastPost(),
      `<at>Alex Wilber</at> ⏸️ Plan ${req.id} (the tree under Sales): ` +
        'Paused at the end of the change window after 3 of 4 groups; ' +
        'the rest run when the next window opens, Wed 4 Mar 22:00 UTC, without a new approval.',
    );
    assert.deepEqual(executeJobs(), [`execute:${req.id}@${2 * DAY + 10 * H}`]);
    // Nothing runs before the next window, even on a job that comes early.
    clock.advance(2 * DAY + 10 * H - 1000);
    assert.equal(await w.service.execute(req.id), 'done');
    assert.equal(w.directory.writes().length, 3);
    clock.advance(1000);
    await runDue();
    now = await stored(req.id);
    assert.ok(['awaiting_audit', 'completed'].includes(now.state), now.state);
    assert.equal(now.plan!.steps[3]!.switchedAt, '2026-03-04T22:00:00.000Z');
    assert.deepEqual(
      w.directory.writes().map((x) => [x.groupId, x.as]),
      BOTTOM_UP.map((g) => [g, 'u-megan']),
    );
    assert.equal(now.pausedAt, undefined);
  });

  it('a scheduled time outside every window is refused with the next window named', () => {
    start('Sat 22:00-Sun 04:00; Wed 20:00-22:00', 'Europe/Berlin');
    const zone = w.settings.windows!.zone;
    assert.equal(windowRefusal(new Date('2026-03-07T22:30:00Z'), w.settings.windows), null);
    const r = windowRefusal(new Date('2026-03-03T21:00:00Z'), w.settings.windows)!;
    const text = new CardPresenter(w.settings.policy).notice({
      kind: 'outsideWindows',
      scheduledFor: '2026-03-03T21:00:00.000Z',
      opens: r.opens.toISOString(),
      closes: r.closes.toISOString(),
      zone,
    });
    assert.equal(
      text,
      'Tue 3 Mar 22:00 Europe/Berlin (21:00 UTC) is outside every change window (CHANGE_WINDOWS). ' +
        'The next one opens Wed 4 Mar 20:00 Europe/Berlin (19:00 UTC) and closes Wed 4 Mar 22:00 ' +
        'Europe/Berlin (21:00 UTC); ask for a time inside it, or leave the time out: an approved request ' +
        'waits for the next window.',
    );
    // The request's own time goes through it: refused before anything is stored, the window named.
    w = world({
      settings: {
        windows: windows('Sat 22:00-Sun 04:00; Wed 20:00-22:00', 'Europe/Berlin'),
        schedule: { zone: 'Europe/Berlin', maxDays: 30 },
      },
    });
    const outside = w.service.readSchedule('tomorrow at 22:00');
    assert.equal(outside.ok ? 'accepted' : outside.problem, 'outsideWindows');
    assert.match(
      whenRefused(outside as Extract<typeof outside, { ok: false }>, 'Europe/Berlin'),
      /next one opens Wed 4 Mar/,
    );
    const inside = w.service.readSchedule('on Saturday at 23:00');
    assert.ok(inside.ok, JSON.stringify(inside));
  });

  it('a plan resumed after a failed step outside every window waits for the next one', async () => {
    start('Mon 08:00-10:00; Tue 08:00-10:00');
    w.directory.failNext('setIsCloudManaged', new Error('refused'));
    const p = await w.service.submitPlan({ kind: 'tree', rootId: G.sales }, people.alex, anchor);
    const req = await approved(w, p.request!);
    await runDue();
    assert.equal((await stored(req.id)).state, 'stopped');
    clock.advance(2 * H);
    const stopped = await stored(req.id);
    const d = await w.service.resumePlan(req.id, stopped.history.length, people.adele);
    assert.equal(d.outcome, 'done');
    assert.equal((await stored(req.id)).notBefore, '2026-03-03T08:00:00.000Z');
    await runDue();
    assert.deepEqual(w.directory.writes().length, 1);
    clock.advance(22 * H);
    await runDue();
    assert.deepEqual(
      w.directory.writes().map((x) => [x.groupId, x.as]),
      [[G.dach, 'u-megan'], ...BOTTOM_UP.map((g) => [g, 'u-adele'])],
    );
  });
});
