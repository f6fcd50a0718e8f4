/**
 * The fake tenant's reads for the readiness report, on the wire: group delta (query options,
 * state tokens, deltaLink rounds, bad input), the cloud-managed filter with paging, the count.
 */
import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import { defaultSeed, GROUP } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { admin, appCredential, graphClient, rejection, startTestTenant } from '../support/fake-tenant';

type Body = Record<string, unknown> & { value: Array<Record<string, unknown>> };

describe('fake tenant: group delta, the cloud-managed filter and $count', () => {
  let ft: FakeTenant;
  let app: Client;
  before(async () => {
    ft = await startTestTenant();
    app = graphClient(ft, appCredential(ft));
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset');
  });

  const all = async (first: string, headers: Record<string, string> = {}) => {
    const items: Array<Record<string, unknown>> = [];
    let page = (await app.api(first).headers(headers).get()) as Body;
    let requests = 1;
    items.push(...page.value);
    while (page['@odata.nextLink']) {
      page = (await app.api(String(page['@odata.nextLink'])).headers(headers).get()) as Body;
      items.push(...page.value);
      requests += 1;
    }
    return { items, last: page, requests };
  };

  it('refuses what group delta does not support, with a clear error', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/groups/delta?$top=5', 400, /\$top' is not supported/],
      ['/groups/delta?$orderby=displayName', 400, /not supported/],
      ['/groups/delta?$select=nope', 400, /property named 'nope'/],
      ["/groups/delta?$filter=displayName eq 'SecGroup1'", 400, /only on the object id/],
      ['/groups/delta?$expand=owners', 400, /expand only members/],
      ['/groups/delta?$skiptoken=garbage', 400, /state token is invalid/],
    ];
    for (const [url, status, message] of cases) {
      const e = await rejection(() => app.api(url).get());
      assert.equal(e.statusCode, status, url);
      assert.match(String(e.message), message, url);
    }
    const first = (await app.api('/groups/delta?$select=id').get()) as Body;
    const token = /\$deltatoken=([\w-]+)/.exec(String(first['@odata.deltaLink']))![1]!;
    const e = await rejection(() => app.api(`/groups/delta?$deltatoken=${token}&$select=displayName`).get());
    assert.match(String(e.message), /first delta request only/);
  });

  it('filters on object ids, and lists without members unless they are selected', async () => {
    const filter = `id eq '${GROUP.secGroup1}' or id eq '${GROUP.secGroup2}'`;
    const r = (await app.api(`/groups/delta?$filter=${encodeURIComponent(filter)}&$select=displayName`).get()) as Body;
    assert.deepEqual(r.value.map((g) => g.displayName).sort(), ['SecGroup1', 'SecGroup2']);
    assert.ok(r.value.every((g) => !('members@delta' in g)));
    const withMembers = (await app.api(`/groups/delta?$filter=${encodeURIComponent(filter)}`).get()) as Body;
    assert.ok(
      withMembers.value.every((g) => Array.isArray(g['members@delta'])),
      'members by default',
    );
  });

  it('a deltaLink starts the next round: every group again, and the groups deleted since', async () => {
    const first = await all('/groups/delta?$select=displayName,members');
    assert.equal(first.items.length, defaultSeed().groups.length);
    await admin(ft, 'DELETE', `/_fake/groups/${GROUP.projectX}`);
    const round = await all(String(first.last['@odata.deltaLink']));
    const removed = round.items.filter((g) => g['@removed']);
    assert.deepEqual(removed, [{ id: GROUP.projectX, '@removed': { reason: 'deleted' } }]);
    assert.equal(round.items.length - removed.length, defaultSeed().groups.length - 1);
    assert.ok(
      round.items.every((g) => g['@removed'] || 'displayName' in g),
      'the first round\u2019s $select',
    );
  });

  it('pages the cloud-managed filter ($top, ConsistencyLevel, $count) and counts with the same filter', async () => {
    const seed = defaultSeed();
    const synced = seed.groups.filter((g) => g.ad);
    for (const g of synced.slice(0, 3)) g.isCloudManaged = true;
    await admin(ft, 'POST', '/_fake/reset', seed);
    const expected = synced.filter((g) => g.isCloudManaged).map((g) => g.id);
    const filter = encodeURIComponent('onPremisesSyncBehavior/isCloudManaged eq true');
    const eventual = { ConsistencyLevel: 'eventual' };
    const e = await rejection(() => app.api(`/groups?$filter=${filter}&$select=id`).get());
    assert.equal(e.statusCode, 400, 'an advanced query: refused without ConsistencyLevel and $count');
    const r = await all(`/groups?$filter=${filter}&$select=id&$count=true&$top=2`, eventual);
    assert.deepEqual(r.items.map((g) => g.id).sort(), expected.sort());
    assert.ok(r.items.every((g) => Object.keys(g).join() === 'id'));
    assert.equal(r.requests, Math.ceil(expected.length / 2));
    const count = (await app.api(`/groups/$count?$filter=${filter}`).headers(eventual).get()) as unknown;
    assert.equal(Number(count), expected.length);
    assert.equal(Number(await app.api('/groups/$count').headers(eventual).get()), seed.groups.length);
    const noHeader = await rejection(() => app.api('/groups/$count').get());
    assert.equal(noHeader.statusCode, 400);
  });

  it('page sizes are settings, checked', async () => {
    const bad = await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 0 });
    assert.equal(bad.status, 400);
    const good = await admin<{ deltaPageLinks: number }>(ft, 'PUT', '/_fake/settings', { deltaPageLinks: 7 });
    assert.equal(good.body.deltaPageLinks, 7);
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 200, deltaPageLinks: 500 });
  });
});
