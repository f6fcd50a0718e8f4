/**
 * Use cases: the worker loop over the queue (concurrency, one job per request, heartbeat,
 * retries, the sweep). Time is sinon's: the worker's polling, the heartbeat interval, the
 * queue's visibility and the slow directory all run on the faked timers and Date.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { CodedError } from '../../src/domain/errors';
import { systemClock } from '../../src/ports/clock';
import type { ReceivedJob } from '../../src/ports/queue';
import { approved, G, jobs, requested, SETTINGS, world, type World } from './fixture';

describe('use cases: the worker', () => {
  let timers: sinon.SinonFakeTimers;
  let w: World;

  /** A world on the faked time; the audit look comes an hour after a switch, out of these tests' way. */
  function start(worker: Partial<typeof SETTINGS.worker> = {}, more: Partial<typeof SETTINGS> = {}): void {
    const audit = { ...SETTINGS.audit, firstDelayMs: 3_600_000 };
    w = world({ clock: systemClock, settings: { audit, ...more, worker: { ...SETTINGS.worker, ...worker } } });
  }

  beforeEach(() => {
    timers = sinon.useFakeTimers({
      now: Date.parse('2026-03-02T09:00:00.000Z'),
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
  });
  afterEach(async () => {
    const stopped = w.service.stop();
    await timers.tickAsync(60_000);
    await stopped;
    timers.restore();
  });

  const state = async (id: string) => (await w.store.get(id))!.state;

  it('handles up to `concurrency` jobs at once', async () => {
    start({ concurrency: 2 });
    const ids = [];
    for (const g of [G.payroll, G.us, G.dach]) ids.push((await approved(w, await requested(w, g))).id);
    w.directory.latencyMs = 1000;
    w.service.startWorker();
    await timers.tickAsync(1500);
    assert.deepEqual(await Promise.all(ids.map(state)), ['executing', 'executing', 'approved']);
    await timers.tickAsync(10_000);
    assert.deepEqual(await Promise.all(ids.map(state)), ['awaiting_audit', 'awaiting_audit', 'awaiting_audit']);
  });

  it('takes one job per request at a time: a second one for it waits its turn', async () => {
    start({ concurrency: 2 });
    const req = await approved(w, await requested(w));
    await w.queue.enqueue({ kind: 'execute', requestId: req.id });
    w.directory.latencyMs = 1000;
    w.service.startWorker();
    await timers.tickAsync(100);
    assert.deepEqual(
      w.queue.waiting().map((m) => [m.job.kind, m.inMs, m.dequeueCount]),
      [
        ['remind', 24 * 3_600_000 - 100, 0],
        ['execute', 150, 0],
        ['expire', 72 * 3_600_000 - 100, 0],
        ['execute', 120_000 - 100, 1],
      ].sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
    await timers.tickAsync(10_000);
    assert.equal(w.directory.writes().length, 1, 'one PATCH');
    // The second job ran after the first: it found the switch done and queued the audit look at once.
    assert.equal(await state(req.id), 'completed');
  });

  it('a job longer than the visibility window keeps its message hidden (heartbeat)', async () => {
    start({ concurrency: 2, visibilityMs: 2000 });
    const req = await approved(w, await requested(w));
    const received = sinon.spy(w.queue, 'receive');
    const extended = sinon.spy(w.queue, 'extend');
    w.directory.latencyMs = 1500;
    w.service.startWorker();
    await timers.tickAsync(6000);
    assert.equal(await state(req.id), 'awaiting_audit');
    assert.ok(extended.callCount >= 3, `${extended.callCount} extensions`);
    const deliveries = await Promise.all(received.returnValues);
    assert.deepEqual(
      deliveries.filter((r): r is ReceivedJob => !!r).map((r) => [r.job.kind, r.dequeueCount]),
      [['execute', 1]],
      'handed out once',
    );
  });

  it('a job that fails is tried again when its message reappears', async () => {
    start();
    const req = await approved(w, await requested(w));
    sinon.stub(w.store, 'get').callThrough().onFirstCall().rejects(new CodedError('StorageUnavailable', 'down'));
    w.service.startWorker();
    await timers.tickAsync(1000);
    assert.equal(await state(req.id), 'approved');
    assert.ok(w.logger.warn.calledWithMatch('job failed', { kind: 'execute', attempt: 1, code: 'StorageUnavailable' }));
    await timers.tickAsync(SETTINGS.worker.visibilityMs);
    assert.equal(await state(req.id), 'awaiting_audit');
  });

  it('throttled: a new message at Retry-After carries the tries so far; the old one goes', async () => {
    start();
    const req = await approved(w, await requested(w));
    w.directory.failNext('setIsCloudManaged', new CodedError('Throttled', 'slow', { retryAfterSeconds: 3 }));
    w.service.startWorker();
    await timers.tickAsync(100);
    assert.deepEqual(
      w.queue.waiting().find((m) => m.job.kind === 'execute'),
      { job: { kind: 'execute', requestId: req.id, attempt: 1 }, inMs: 2900, dequeueCount: 0 },
    );
    assert.equal(w.queue.waiting().filter((m) => m.job.kind === 'execute').length, 1);
    await timers.tickAsync(3000);
    assert.equal(await state(req.id), 'awaiting_audit');
  });

  it('the sweep gives an approval whose job was lost its job back', async () => {
    start({ pollMs: 10_000 });
    const req = await approved(w, await requested(w));
    w.queue.clear();
    await timers.tickAsync(1000);
    w.service.startWorker();
    await timers.tickAsync(19 * 60_000);
    assert.equal(await state(req.id), 'approved');
    await timers.tickAsync(2 * 60_000);
    assert.equal(await state(req.id), 'awaiting_audit');
    assert.ok(w.logger.info.calledWith('requeued stalled executions', { count: 1 }));
  });

  it('an expiry job delivered early waits again; at its time the request expires', async () => {
    start({}, { requestTtlMs: 10 * 60_000, remindAfterMs: 60 * 60_000 });
    const req = await requested(w);
    w.queue.clear();
    await w.queue.enqueue({ kind: 'expire', requestId: req.id });
    w.service.startWorker();
    await timers.tickAsync(1000);
    assert.deepEqual(jobs(w), [`expire:${req.id}@599000`]);
    await timers.tickAsync(599_000);
    assert.equal(await state(req.id), 'expired');
  });
});
