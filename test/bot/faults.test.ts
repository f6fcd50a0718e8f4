import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { GROUP } from '../../src/fake-tenant/seed';
import { MAX_EXECUTE_TRIES } from '../../src/services/soa-service';
import { cardOf, cardText } from '../support/connector';
import { FakeTokenService } from '../support/token-service';
import { startAzurite, type Azurite } from '../support/azurite';
import { admin, eventually, ssoToken, startTestTenant } from '../support/fake-tenant';
import { people, requestCard as requestApproval, soaPatches, startStack, type Stack } from '../support/stack';

/** Faults at every edge: Graph, sign-in, the directory changing, Bot Connector, storage. */
const requestCard = (s: Stack) => requestApproval(s, undefined, undefined, { ackSyncVersions: 'true' });
const PATCH = { match: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior$`, method: 'PATCH' };
const stateOf = async (s: Stack, id: unknown) => (await s.bot.service.get(String(id)))!.state;

describe('faults: Graph throttling, outages and timeouts', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it(
    'a 429 storm at the write: retries are bounded, then the request fails with the reason and ' +
      'nothing is switched',
    async function () {
      this.timeout(60_000);
      s = await startStack();
      const { msg, data } = await requestCard(s);
      await admin(s.tenant, 'POST', '/_fake/faults', { ...PATCH, status: 429, retryAfter: 0, count: 1000 });
      await s.channel.click(people.megan, msg.id, 'approve', data);
      const failed = await s.channel.waitFor((o) => /failed:/.test(o.activity.text ?? ''), 45_000);
      assert.match(failed.activity.text, /kept throttling/);
      const attempts = await soaPatches(s, GROUP.secGroup2);
      // Each try: the call and the Graph client's 3 retries.
      assert.ok(attempts.length <= MAX_EXECUTE_TRIES * 4, `${attempts.length} PATCH attempts`);
      assert.ok(attempts.length >= MAX_EXECUTE_TRIES, `${attempts.length} PATCH attempts`);
      assert.ok(attempts.every((a) => a.status === 429));
      assert.equal(await stateOf(s, data.requestId), 'failed');
    },
  );

  it("Retry-After is honoured between tries, inside a call and between the work queue's retries", async function () {
    this.timeout(30_000);
    s = await startStack();
    const { msg, data } = await requestCard(s);
    // Four 429s: the Graph client's own three retries, then the rescheduled job.
    await admin(s.tenant, 'POST', '/_fake/faults', { ...PATCH, status: 429, retryAfter: 1, count: 4 });
    await s.channel.click(people.megan, msg.id, 'approve', data);
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 20_000);
    const attempts = await soaPatches(s, GROUP.secGroup2);
    assert.deepEqual(
      attempts.map((a) => a.status),
      [429, 429, 429, 429, 204],
    );
    const at = attempts.map((a) => Date.parse(a.at));
    for (let i = 1; i < at.length; i++)
      assert.ok(at[i]! - at[i - 1]! >= 950, `try ${i + 1} came ${at[i]! - at[i - 1]!} ms after the one before`);
  });

  it(
    'a Retry-After too long to wait inside a step is not slept through: the job is rescheduled and ' +
      'the request stays resumable',
    async function () {
      s = await startStack();
      const { msg, data } = await requestCard(s);
      await admin(s.tenant, 'POST', '/_fake/faults', { ...PATCH, status: 429, retryAfter: 120, count: 1 });
      await s.channel.click(people.megan, msg.id, 'approve', data);
      await eventually(async () => ((await soaPatches(s, GROUP.secGroup2)).length ? true : undefined), 10_000);
      await s.bot.service.idle();
      assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 1, 'no retry inside the step');
      assert.equal(await stateOf(s, data.requestId), 'executing');
    },
  );

  it(
    'a Graph timeout on a read: the step is retried and the switch happens once; on the card read: ' +
      'an error card at once',
    async function () {
      this.timeout(30_000);
      s = await startStack({ GRAPH_TIMEOUT_SECONDS: '0.4' });
      const { msg, data } = await requestCard(s);
      await admin(s.tenant, 'POST', '/_fake/faults', {
        match: `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior$`,
        method: 'GET',
        delayMs: 3000,
        count: 1,
      });
      await s.channel.click(people.megan, msg.id, 'approve', data);
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 20_000);
      assert.deepEqual(
        (await soaPatches(s, GROUP.secGroup2)).map((p) => p.status),
        [204],
      );

      await admin(s.tenant, 'POST', '/_fake/faults', { match: '/\\$batch$', delayMs: 3000, count: 20 });
      const since = s.channel.outbound.length;
      const t0 = Date.now();
      await s.channel.say(people.alex, 'move SecGroup1 to cloud');
      const r = await s.channel.waitFor(() => true, 15_000, since);
      assert.match(cardText(cardOf(r)), /did not answer in time/);
      assert.ok(Date.now() - t0 < 2900, `answered after ${Date.now() - t0} ms`);
      assert.equal((await s.bot.service.forGroup(GROUP.secGroup1)).length, 0);
    },
  );
});

describe('faults: sign-in failures at the on-behalf-of exchange', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('Conditional Access blocks the approver (53003): told who to ask; nothing changes', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'PATCH', `/_fake/users/${people.megan.aadObjectId}`, { signIn: 'blocked' });
    const r = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.match(r.message ?? '', /Conditional Access policy blocked the sign-in.*Ask your identity team/);
    assert.doesNotMatch(r.message ?? '', /AADSTS|eyJ/);
    assert.equal(await stateOf(s, data.requestId), 'awaiting_approval');
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0);
  });

  it('an expired assertion (500133): told to sign in again; nothing changes', async () => {
    const ft = await startTestTenant({ settings: { auditDelayMs: 50 } });
    const tokens = await new FakeTokenService(ft).start();
    try {
      s = await startStack({ OAUTH_CONNECTION_NAME: 'graph', BOT_FRAMEWORK_OAUTH_URL: tokens.url }, ft);
      const { msg, data } = await requestCard(s);
      tokens.hold(
        `29:${people.megan.aadObjectId}`,
        'graph',
        await ssoToken(ft, people.megan.aadObjectId, { lifetimeSeconds: -3600 }),
      );
      const r = await s.channel.click(people.megan, msg.id, 'approve', data);
      assert.match(r.message ?? '', /Your sign-in has expired\. Sign in again, then click again\./);
      assert.equal(await stateOf(s, data.requestId), 'awaiting_approval');
      assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0);
    } finally {
      await s.stop();
      s = undefined as unknown as Stack;
      await tokens.stop();
      await ft.close();
    }
  });
});

describe('faults: the directory changes between request and approval', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('the group was deleted: the request fails saying so, no write', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'DELETE', `/_fake/groups/${GROUP.secGroup2}`);
    await s.channel.click(people.megan, msg.id, 'approve', data);
    const failed = await s.channel.waitFor((o) => /failed:/.test(o.activity.text ?? ''), 10_000);
    assert.match(failed.activity.text, /no longer exists in Entra ID/);
    assert.equal((await s.graphRequests((e) => e.method === 'PATCH')).length, 0);
    assert.equal(await stateOf(s, data.requestId), 'failed');
  });

  it('the group was renamed in AD and synced: the switch acts on the same object (by id), once', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup2}`, { displayName: 'SecGroup2-Renamed' });
    await admin(s.tenant, 'POST', '/_fake/sync');
    await s.channel.click(people.megan, msg.id, 'approve', data);
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 10_000);
    assert.deepEqual(
      (await soaPatches(s, GROUP.secGroup2)).map((p) => p.status),
      [204],
    );
  });

  it(
    'the approver lost the role after clicking Approve, before the switch ran: Graph refuses, the ' +
      'request fails with the reason',
    async () => {
      s = await startStack({ WORKER_POLL_MS: '400' });
      const { msg, data } = await requestCard(s);
      const r = await s.channel.click(people.megan, msg.id, 'approve', data);
      assert.match(cardText(r.card), /Approved by Megan Bowen/);
      await admin(s.tenant, 'PATCH', `/_fake/users/${people.megan.aadObjectId}`, { roles: [] });
      const failed = await s.channel.waitFor((o) => /failed:/.test(o.activity.text ?? ''), 10_000);
      assert.match(failed.activity.text, /lacks the directory role|Hybrid Identity Administrator/);
      assert.equal((await soaPatches(s, GROUP.secGroup2)).filter((p) => p.status < 300).length, 0);
    },
  );
});

describe('faults: Bot Connector failures when the bot posts', () => {
  let s: Stack;
  afterEach(async () => {
    s?.channel.clearFaults();
    await s?.stop();
  });

  it(
    'failed posts are retried; when they keep failing ' + 'the request still completes and nothing is lost',
    async function () {
      this.timeout(60_000);
      s = await startStack();
      const { msg, data } = await requestCard(s);
      // Two failures: the connector client retries and the thread line arrives.
      s.channel.failNext(2, 503, { kinds: ['send', 'reply'] });
      await s.channel.click(people.megan, msg.id, 'approve', data);
      await s.channel.waitFor((o) => /was approved by Megan Bowen/.test(o.activity.text ?? ''), 15_000);
      assert.ok(s.channel.failed.length >= 2);
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 15_000);

      // Posts keep failing for a whole request (the bot was removed from the conversation: 403,
      // not retried): its state is stored and moves on all the same.
      const second = await requestApproval(s, 'rollback SOAGroup3', people.alex, { ackSyncVersions: 'true' });
      s.channel.failNext(10_000, 403, { kinds: ['send', 'reply', 'update'] });
      const r = await s.channel.click(people.megan, second.msg.id, 'approve', second.data);
      assert.equal(r.status, 200);
      await eventually(
        async () => ((await stateOf(s, second.data.requestId)) === 'waiting_for_sync' ? true : undefined),
        40_000,
        100,
      );
      s.channel.clearFaults();
      const since = s.channel.outbound.length;
      await s.channel.say(people.alex, `status ${String(second.data.requestId)}`);
      // The status card answers the message; a late board update may come first.
      const status = await s.channel.waitFor((o) => o.kind !== 'update' && !!cardOf(o), 10_000, since);
      assert.match(cardText(cardOf(status)), /waiting for the next sync cycle|Rolled back by Megan Bowen/);
    },
  );
});

describe('faults: the work queue fails after an approval was recorded (SQLite)', () => {
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
  });

  it('the approval stands, and the sweep queues the switch that was not queued', async () => {
    s = await startStack();
    const { msg, data } = await requestCard(s);
    // A real SQLite failure on the queue table only, from a second connection to the same file.
    const db = new Database(s.config.storeFile);
    db.exec("CREATE TRIGGER lose_jobs BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;");
    try {
      const r = await s.channel.click(people.megan, msg.id, 'approve', data);
      assert.match(cardText(r.card), /Approved by Megan Bowen/, 'the decision is recorded and shown');
    } finally {
      db.exec('DROP TRIGGER lose_jobs');
      db.close();
    }
    assert.equal(await stateOf(s, data.requestId), 'approved');
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0);
    assert.equal(await s.bot.service.sweep(0), 1);
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 10_000);
    assert.deepEqual(
      (await soaPatches(s, GROUP.secGroup2)).map((p) => p.status),
      [204],
    );
  });
});

describe('faults: storage unavailable (Azure Blob Storage and Queues via Azurite)', function () {
  this.timeout(90_000);
  let az: Azurite;
  let s: Stack;
  before(async () => {
    az = await startAzurite();
    s = await startStack({
      STORAGE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: az.connectionString,
      STORAGE_CONTAINER: 'faults',
      STORAGE_QUEUE: 'faults',
    });
  });
  after(async () => {
    await s?.stop();
    await az?.stop();
  });

  it(
    'fails closed: with storage down an Approve cannot be recorded, so nothing is switched; after ' +
      'it returns the request is as it was',
    async () => {
      const { msg, data } = await requestCard(s);
      await az.pause();
      try {
        // The readiness probe says so, so a load balancer stops sending work here.
        assert.equal((await fetch(`${s.bot.http.url}/readyz`)).status, 503);
        assert.equal((await fetch(`${s.bot.http.url}/healthz`)).status, 200, 'alive all the same');
        const r = await s.channel.click(people.megan, msg.id, 'approve', data);
        assert.equal(r.status, 200, JSON.stringify(r));
        assert.match(
          r.message ?? JSON.stringify(r),
          /request store is unavailable right now, so nothing was recorded or changed/,
        );
      } finally {
        await az.resume();
      }
      assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 0, 'no switch without a recorded approval');
      assert.equal(await stateOf(s, data.requestId), 'awaiting_approval');
      // Storage is back: the same card works.
      assert.equal((await fetch(`${s.bot.http.url}/readyz`)).status, 200);
      const again = await s.channel.click(people.megan, msg.id, 'approve', data);
      assert.match(cardText(again.card), /Approved by Megan Bowen/);
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 20_000);
      assert.deepEqual(
        (await soaPatches(s, GROUP.secGroup2)).map((p) => p.status),
        [204],
      );
    },
  );
});
