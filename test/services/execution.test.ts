/** Use cases: executing an approved switch (the approver's token, read-back, leases, throttling). */
import assert from 'node:assert/strict';
import { CodedError } from '../../src/domain/errors';
import { transition, type SoaRequest } from '../../src/domain/request';
import { MAX_EXECUTE_TRIES } from '../../src/services/soa-service';
import type { ManualClock } from '../support/manual-clock';
import { approved, G, jobs, requested, world, type World } from './fixture';

describe('use cases: execution', () => {
  let w: World;
  let req: SoaRequest;
  beforeEach(async () => {
    w = world();
    req = await approved(w, await requested(w));
    w.queue.clear();
  });

  /** The request as a crashed instance left it: executing, its lease held by `owner` for `ms` more. */
  async function leftExecuting(owner: string, ms: number): Promise<void> {
    const cur = (await w.store.get(req.id))!;
    const expiresAt = new Date(w.clock.now().getTime() + ms).toISOString();
    await w.store.update(transition(cur, 'executing', w.clock.now(), { lease: { owner, expiresAt } }));
  }

  it("switches with the approver's token, reads it back, then waits for the audit log", async () => {
    assert.equal(await w.service.execute(req.id), 'done');
    assert.deepEqual(
      w.directory.calls.filter((c) => c.as === 'u-megan' && c.method !== 'whoAmI').map((c) => c.method),
      ['readIsCloudManaged', 'setIsCloudManaged', 'readIsCloudManaged'],
    );
    assert.deepEqual(w.directory.writes(), [{ groupId: G.payroll, value: true, as: 'u-megan' }]);
    const after = (await w.store.get(req.id))!;
    assert.equal(after.state, 'awaiting_audit');
    assert.equal(after.switchedAt, w.clock.now().toISOString());
    assert.equal(after.lease, undefined);
    assert.deepEqual(jobs(w), [`audit:${req.id}@2000`]);
  });

  it('a change Graph accepted but that reads back unchanged fails the request, saying so', async () => {
    w.directory.ignoredWrites.add(G.payroll);
    assert.equal(await w.service.execute(req.id), 'done');
    const after = (await w.store.get(req.id))!;
    assert.deepEqual(
      [after.state, after.reason],
      ['failed', 'Microsoft Graph accepted the change but reading it back shows the old value.'],
    );
  });

  it('a group switched by someone else since the request is not written again; the request fails', async () => {
    w.directory.groups.get(G.payroll)!.isCloudManaged = true;
    await w.service.execute(req.id);
    assert.deepEqual(w.directory.writes(), []);
    assert.equal(
      (await w.store.get(req.id))!.reason,
      'The group changed since the request: it is already cloud-managed. Nothing was changed.',
    );
  });

  it('after a restart, a write that already took effect is not repeated', async () => {
    await leftExecuting('crashed-instance', -1000);
    w.directory.groups.get(G.payroll)!.isCloudManaged = true;
    assert.equal(await w.service.execute(req.id), 'done');
    assert.deepEqual(w.directory.writes(), []);
    assert.equal((await w.store.get(req.id))!.state, 'awaiting_audit');
    assert.ok(w.logger.info.calledWith('write already took effect before a restart; not repeated'));
  });

  it('a lease held by another live instance is left alone until it runs out', async () => {
    await leftExecuting('other-instance', 30_000);
    const before = (await w.store.get(req.id))!;
    assert.equal(await w.service.execute(req.id), 'retry');
    assert.deepEqual(await w.store.get(req.id), before);
    assert.deepEqual(w.directory.writes(), []);
    (w.clock as ManualClock).advance(30_001);
    assert.equal(await w.service.execute(req.id), 'done');
    assert.deepEqual(w.directory.writes().length, 1);
  });

  it("throttled: tried again at Graph's Retry-After (else doubling from 1 s), holding the lease", async () => {
    w.directory.failNext('setIsCloudManaged', new CodedError('Throttled', 'slow down', { retryAfterSeconds: 7 }));
    assert.deepEqual(await w.service.execute(req.id, 1), { afterMs: 7000 });
    const held = (await w.store.get(req.id))!;
    assert.deepEqual([held.state, held.lease?.owner], ['executing', 'here']);
    w.directory.failNext('setIsCloudManaged', new CodedError('ServiceUnavailable', 'down'));
    assert.deepEqual(await w.service.execute(req.id, 3), { afterMs: 4000 });
    assert.equal(await w.service.execute(req.id, 4), 'done');
    assert.equal((await w.store.get(req.id))!.state, 'awaiting_audit');
  });

  it(`gives up after ${MAX_EXECUTE_TRIES} tries and fails with the reason`, async () => {
    w.directory.failNext('setIsCloudManaged', new CodedError('Throttled', 'slow down'), MAX_EXECUTE_TRIES);
    const outcomes = [];
    for (let tries = 1; tries <= MAX_EXECUTE_TRIES; tries++) outcomes.push(await w.service.execute(req.id, tries));
    assert.deepEqual(outcomes.at(-1), 'done');
    assert.equal(outcomes.filter((o) => typeof o === 'object').length, MAX_EXECUTE_TRIES - 1);
    assert.equal(w.directory.calls.filter((c) => c.method === 'setIsCloudManaged').length, MAX_EXECUTE_TRIES);
    const after = (await w.store.get(req.id))!;
    assert.equal(after.state, 'failed');
    assert.match(after.reason!, /^Microsoft Graph kept throttling the request after retries\./);
  });

  it('a request already past execution only gets its follow-up job back', async () => {
    await w.service.execute(req.id);
    w.queue.clear();
    assert.equal(await w.service.execute(req.id), 'done');
    assert.deepEqual(jobs(w), [`audit:${req.id}@0`]);
    assert.equal(w.directory.writes().length, 1);
  });
});
