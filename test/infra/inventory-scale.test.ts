/**
 * The readiness inventory on generated tenants: how many Graph requests a whole tenant takes
 * (it follows from the delta page size), everything the generator varies read back, and the
 * one-call-per-fact baseline for comparison.
 */
import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { largeSeed, readinessMix } from '../../src/fake-tenant/large-seed';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { appCredential, graphClient, type GraphEndpoint } from '../../src/infra/graph/client';
import { GraphInventory } from '../../src/infra/graph/inventory';
import { systemClock } from '../../src/ports/clock';
import { admin, startTestTenant } from '../support/fake-tenant';
import { readAll } from '../support/inventory';

const PAGE_GROUPS = 200;
const PAGE_LINKS = 500;

describe('Graph edge: reading a generated tenant for the readiness report', function () {
  this.timeout(120_000);
  let ft: FakeTenant;
  let endpoint: GraphEndpoint;
  const inventory = (batching: boolean) =>
    new GraphInventory(graphClient(endpoint, appCredential(endpoint)), systemClock, batching);
  const graphRequests = async () =>
    (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter((e) => !e.batch);
  before(async () => {
    ft = await startTestTenant();
    endpoint = {
      tenantId: ft.tenantId,
      clientId: LOCAL_BOT_APP_ID,
      clientSecret: LOCAL_BOT_SECRET,
      authorityHost: ft.url,
      graphBaseUrl: ft.url,
      local: true,
    };
  });
  after(async () => {
    await ft.close();
  });

  /** A generated tenant (sent as its options: a 10,000-group seed is over the admin API's body limit). */
  const generate = async (groups: number) => {
    const r = await admin<{ groups: number }>(ft, 'POST', '/_fake/reset', { generate: readinessMix(groups) });
    assert.equal(r.body.groups, largeSeed(readinessMix(groups)).groups.length);
  };

  /** Member links the delta lists (users and groups that exist). */
  const links = () => {
    let n = 0;
    for (const g of ft.tenant.groups.values())
      n += g.members.filter((m) => ft.tenant.groups.has(m) || ft.tenant.users.has(m)).length;
    return n;
  };

  it('2,000 groups in at most ceil(groups / 200) + ceil(member links / 500) + 1 delta requests', async () => {
    await generate(2000);
    const total = ft.tenant.groups.size;
    const bound = Math.ceil(total / PAGE_GROUPS) + Math.ceil(links() / PAGE_LINKS) + 1;
    const reader = inventory(true);
    const { groups, pages } = await readAll(reader);
    const cloud = await reader.cloudManagedIds();
    assert.equal(await reader.countGroups(), total);
    const log = await graphRequests();
    const delta = log.filter((e) => e.path === '/v1.0/groups/delta');
    assert.equal(delta.length, pages, 'one request per page');
    assert.ok(pages <= bound, `${pages} pages, bound ${bound}`);
    assert.ok(log.length <= bound + 3, `${log.length} requests in all`);
    assert.equal(groups.size, total, 'every group read');
    // What the generator varies comes back.
    const all = [...groups.values()];
    assert.ok(all.some((g) => g.kind === 'mailEnabledSecurity' || g.kind === 'distribution'));
    assert.ok(all.some((g) => (g.extensionAttributes ?? []).length > 0));
    assert.ok(all.some((g) => (g.provisioningErrors ?? 0) > 0));
    assert.ok(all.some((g) => !g.fromAd && g.kind === 'unified'));
    assert.ok(all.some((g) => !g.fromAd && g.childGroupIds.some((c) => groups.get(c)?.fromAd)));
    const expectedCloud = [...ft.tenant.groups.values()].filter((g) => g.isCloudManaged).map((g) => g.id);
    assert.deepEqual(cloud.sort(), expectedCloud.sort());
    const pending = all.filter((g) => g.fromAd && g.onPremisesSyncEnabled === null && !cloud.includes(g.id));
    assert.ok(pending.length > 0, 'rolled back, waiting for a sync');
    // Every nesting edge between groups, exactly.
    for (const g of ft.tenant.groups.values()) {
      const kids = g.members.filter((m) => ft.tenant.groups.has(m)).sort();
      assert.deepEqual([...groups.get(g.id)!.childGroupIds].sort(), kids, g.displayName);
    }
  });

  it('10,000 groups: the whole tenant in far fewer requests than the 1,000 the readiness budget allows', async () => {
    await generate(10_000);
    const bound = Math.ceil(ft.tenant.groups.size / PAGE_GROUPS) + Math.ceil(links() / PAGE_LINKS) + 1;
    const reader = inventory(true);
    await reader.countGroups();
    await reader.cloudManagedIds();
    const { groups, pages } = await readAll(reader);
    const requests = (await graphRequests()).length;
    assert.equal(groups.size, ft.tenant.groups.size);
    assert.ok(pages <= bound, `${pages} pages, bound ${bound}`);
    assert.ok(requests <= pages + 3 && requests < 1000, `${requests} requests, ${pages} pages`);
  });

  it('over 999 cloud-managed groups: every page of the filter, each with its ConsistencyLevel', async () => {
    const r = await admin(ft, 'POST', '/_fake/reset', {
      generate: { groups: 2500, users: 50, cloudManagedShare: 0.5 },
    });
    assert.equal(r.status, 200);
    const expected = [...ft.tenant.groups.values()].filter((g) => g.isCloudManaged).map((g) => g.id);
    assert.ok(expected.length > 999, `${expected.length} cloud-managed`);
    assert.deepEqual((await inventory(true).cloudManagedIds()).sort(), expected.sort());
    const pages = (await graphRequests()).filter((e) => e.path === '/v1.0/groups');
    assert.equal(pages.length, Math.ceil(expected.length / 999));
    assert.ok(pages.every((e) => e.status === 200));
  });

  it('the one-call-per-fact baseline reads the same, with at least 10 times the requests', async () => {
    await generate(120);
    const batched = inventory(true);
    const fast = await readAll(batched);
    const fastCloud = await batched.cloudManagedIds();
    const fastRequests = (await graphRequests()).length;
    await admin(ft, 'DELETE', '/_fake/requests');
    const naive = inventory(false);
    const slow = await readAll(naive);
    const slowCloud = await naive.cloudManagedIds();
    const slowRequests = (await graphRequests()).length;
    assert.deepEqual(slowCloud.sort(), fastCloud.sort());
    for (const [id, g] of fast.groups) {
      const s = slow.groups.get(id)!;
      assert.ok(s, id);
      assert.deepEqual(
        { ...s, childGroupIds: [...s.childGroupIds].sort(), extensionAttributes: s.extensionAttributes?.sort() },
        {
          ...g,
          childGroupIds: g.fromAd ? [...g.childGroupIds].sort() : [],
          extensionAttributes: g.extensionAttributes?.sort(),
        },
        g.displayName,
      );
    }
    assert.equal(slow.groups.size, fast.groups.size);
    assert.ok(slowRequests >= 10 * fastRequests, `${slowRequests} requests against ${fastRequests}`);
  });
});
