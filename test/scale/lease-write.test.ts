import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { GROUP } from '../../src/fake-tenant/seed';
import { cardOf, cardText } from '../support/connector';
import { admin, eventually, startTestTenant } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

const SWITCH = '/groups/[^/]+/onPremisesSyncBehavior$';

/**
 * Two instances on one store (SQLite here; the fault-injection run on Blob Storage found it):
 * the first one's write is throttled with a Retry-After its Graph client waits for inline,
 * longer than its lease. Meanwhile a second instance starts, takes the request over once the
 * lease has run out, and switches the group. When the first one wakes, it must not send its
 * write again: the group is switched once. The same for a plan's step.
 */
describe('a write held past its lease by an inline retry', function () {
  this.timeout(60_000);
  let ft: FakeTenant;
  let a: Stack | undefined;
  let b: Stack | undefined;

  afterEach(async () => {
    await b?.stop();
    await a?.stop();
    await ft?.close();
    a = b = undefined;
  });

  /**
   * Approves `text`'s request on A with its next write throttled (the longest Retry-After the
   * Graph client sleeps through inside one call); once A met it, starts B on the same store.
   */
  async function takenOverWhileHeld(text: string): Promise<void> {
    ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    a = await startStack({}, ft); // LEASE_SECONDS 1
    const { msg, data } = await requestCard(a, text, undefined, { ackSyncVersions: 'true' });
    await admin(ft, 'POST', '/_fake/faults', { match: SWITCH, method: 'PATCH', status: 429, retryAfter: 10, count: 1 });
    const click = await a.channel.click(people.megan, msg.id, 'approve', data);
    assert.match(cardText(click.card), /Approved by Megan Bowen/);
    const faultsLeft = async () =>
      (await admin<Array<{ remaining: number }>>(ft, 'GET', '/_fake/faults')).body.reduce((n, f) => n + f.remaining, 0);
    await eventually(async () => ((await faultsLeft()) === 0 ? true : undefined), 10_000);
    // Instance B on the same store: on start it queues the unfinished execution again.
    b = await startStack({ STORE_FILE: a.config.storeFile }, ft, a.channel);
    await b.channel.waitFor((o) => o.kind === 'update' && /Completed/.test(cardText(cardOf(o))), 30_000);
    // A's job ends (its inline retry, if any, included) before A stops.
    await a.bot.service.stop();
  }

  const switches = async () =>
    (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter(
      (e) => e.method === 'PATCH' && new RegExp(SWITCH).test(e.path),
    );

  it('is not sent once another instance has taken the request over: one switch', async () => {
    await takenOverWhileHeld('move SecGroup2 to cloud');
    assert.deepEqual(
      (await switches()).map((p) => `${p.path.split('/')[3]} ${p.status}`),
      [`${GROUP.secGroup2} 429`, `${GROUP.secGroup2} 204`],
      'the throttled write, then one switch',
    );
    assert.equal(ft.tenant.groups.get(GROUP.secGroup2)!.isCloudManaged, true);
  });

  it("nor a plan's step: each group is switched once", async () => {
    await takenOverWhileHeld('move SecGroup1 and its nested groups to cloud');
    const done = (await switches()).filter((p) => p.status < 300).map((p) => p.path.split('/')[3]);
    const groups = [GROUP.secGroup1Leaf, GROUP.secGroup1Nested, GROUP.secGroup1];
    assert.deepEqual([...done].sort(), [...groups].sort(), 'each group of the plan switched once');
    for (const g of groups) assert.equal(ft.tenant.groups.get(g)!.isCloudManaged, true);
  });
});
