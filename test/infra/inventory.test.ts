/**
 * The readiness scan's Graph edge: GraphInventory with the bot's real app credential and Graph
 * client against the fake tenant over HTTPS (group delta pages, repeated entries, throttling,
 * the cloud-managed filter, the count).
 */
import assert from 'node:assert/strict';
import { isCoded } from '../../src/domain/errors';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { defaultSeed, GROUP, LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { appCredential, graphClient, type GraphEndpoint } from '../../src/infra/graph/client';
import { GraphInventory } from '../../src/infra/graph/inventory';
import { systemClock } from '../../src/ports/clock';
import type { InventoryEntry } from '../../src/ports/inventory';
import {
  admin,
  appCredential as testCredential,
  graphClient as testClient,
  startTestTenant,
} from '../support/fake-tenant';
import { readAll } from '../support/inventory';

describe('Graph edge: the readiness inventory (group delta) against the fake tenant', () => {
  let ft: FakeTenant;
  let inventory: GraphInventory;
  const requests = async () => (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
  before(async () => {
    ft = await startTestTenant();
    const endpoint: GraphEndpoint = {
      tenantId: ft.tenantId,
      clientId: LOCAL_BOT_APP_ID,
      clientSecret: LOCAL_BOT_SECRET,
      authorityHost: ft.url,
      graphBaseUrl: ft.url,
      local: true,
    };
    inventory = new GraphInventory(graphClient(endpoint, appCredential(endpoint)), systemClock);
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset');
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 200, deltaPageLinks: 500 });
  });

  it('reads every seed group with its kind, AD origin, extension attributes and member groups', async () => {
    const { groups, pages } = await readAll(inventory);
    assert.equal(pages, 1, 'the seed fits one page');
    assert.equal(groups.size, defaultSeed().groups.length);
    const sec1 = groups.get(GROUP.secGroup1)!;
    assert.equal(sec1.displayName, 'SecGroup1');
    assert.equal(sec1.kind, 'security');
    assert.equal(sec1.fromAd, true);
    assert.equal(sec1.onPremisesSyncEnabled, true);
    assert.deepEqual(sec1.extensionAttributes, ['extensionAttribute3']);
    assert.deepEqual(sec1.childGroupIds, [GROUP.secGroup1Nested], 'member groups only, not users');
    assert.deepEqual(groups.get(GROUP.helpdeskMesg)!.extensionAttributes!.sort(), [
      'extensionAttribute1',
      'extensionAttribute7',
    ]);
    assert.equal(groups.get(GROUP.helpdeskMesg)!.kind, 'mailEnabledSecurity');
    assert.equal(groups.get(GROUP.financeDl)!.kind, 'distribution');
    assert.equal(groups.get(GROUP.projectX)!.kind, 'unified');
    assert.equal(groups.get(GROUP.cloudOnlyEngineering)!.fromAd, false);
    assert.equal(groups.get(GROUP.soaGroup3)!.onPremisesSyncEnabled, null, 'cloud-managed: sync cleared');
    assert.equal(groups.get(GROUP.soaGroup3)!.fromAd, true, 'still carries its SID');
    assert.equal(sec1.provisioningErrors, 0);
  });

  it('counts the groups, lists the cloud-managed ones and reads the tenant sync state', async () => {
    assert.equal(await inventory.countGroups(), defaultSeed().groups.length);
    const seed = defaultSeed();
    const expected = seed.groups.filter((g) => g.ad && g.isCloudManaged).map((g) => g.id);
    assert.ok(expected.length > 0);
    assert.deepEqual((await inventory.cloudManagedIds()).sort(), expected.sort());
    assert.equal(await inventory.tenantSyncEnabled(), true);
    const log = await requests();
    assert.ok(log.some((e) => e.path === '/v1.0/groups/$count' && e.status === 200));
  });

  it('without a count or an organization to read, progress has no total and the sync state is unknown', async () => {
    await admin(ft, 'POST', '/_fake/faults', {
      match: '^/v1\\.0/(groups/\\$count|organization)$',
      status: 403,
      count: 2,
    });
    assert.equal(await inventory.countGroups(), null);
    assert.equal(await inventory.tenantSyncEnabled(), null);
  });

  it('pages until the deltaLink; a group whose members do not fit repeats on the next page', async () => {
    const seed = defaultSeed();
    const users = seed.users.map((u) => u.id);
    const big = seed.groups.find((g) => g.id === GROUP.secGroup2)!;
    const kids = seed.groups.filter((g) => g.id !== big.id && g.kind !== 'unified').map((g) => g.id);
    big.members = [...users, ...kids.slice(0, 4)];
    await admin(ft, 'POST', '/_fake/reset', seed);
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 4, deltaPageLinks: 5 });
    const { groups, pages, entries } = await readAll(inventory);
    assert.equal(groups.size, seed.groups.length, 'every group, once merged');
    const repeats = entries.filter((e) => e.id === big.id);
    assert.ok(repeats.length >= 3, `listed ${repeats.length} times`);
    assert.ok(
      repeats.every((e) => e.displayName === big.displayName),
      'a repeat carries the same properties',
    );
    assert.deepEqual(new Set(repeats.flatMap((e) => e.childGroupIds)), new Set(kids.slice(0, 4)));
    const log = (await requests()).filter((e) => e.path === '/v1.0/groups/delta');
    assert.equal(log.length, pages, 'one request per page');
    assert.ok(pages >= Math.ceil(seed.groups.length / 4));
  });

  it('answers in the documented shape: state tokens only, members@delta with type and id, a deltaLink', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 5 });
    const client = testClient(ft, testCredential(ft));
    const first = (await client.api('/groups/delta?$select=displayName,members').get()) as Record<string, unknown>;
    const next = String(first['@odata.nextLink']);
    assert.match(next, /\/v1\.0\/groups\/delta\?\$skiptoken=[\w-]+$/, 'options travel inside the token');
    const value = first.value as Array<Record<string, unknown>>;
    assert.equal(value.length, 5);
    const withMembers = value.find((g) => g['members@delta'])!;
    for (const m of withMembers['members@delta'] as Array<Record<string, unknown>>) {
      assert.deepEqual(Object.keys(m).sort(), ['@odata.type', 'id']);
      assert.match(String(m['@odata.type']), /^#microsoft\.graph\.(user|group)$/);
    }
    assert.deepEqual(
      Object.keys(value[0]!)
        .filter((k) => k !== 'members@delta')
        .sort(),
      ['displayName', 'id'],
    );
    let page = first;
    while (page['@odata.nextLink']) page = (await client.api(String(page['@odata.nextLink'])).get()) as typeof first;
    assert.match(String(page['@odata.deltaLink']), /\$deltatoken=/);
  });

  it('a throttled page (429 with Retry-After) is read again, not lost', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 4 });
    const first = await inventory.readPage(null);
    await admin(ft, 'POST', '/_fake/faults', { match: '^/v1\\.0/groups/delta$', status: 429, retryAfter: 1, count: 1 });
    await admin(ft, 'DELETE', '/_fake/requests');
    const second = await inventory.readPage(first.next);
    assert.equal(second.entries.length, 4);
    const log = await requests();
    assert.deepEqual(
      log.map((e) => e.status),
      [429, 200],
    );
    assert.equal(log[0]!.query, log[1]!.query, 'the same page asked again');
    const { groups } = await readAll(inventory);
    assert.equal(groups.size, defaultSeed().groups.length);
  });

  it('a Retry-After too long to wait inline fails the page as Throttled; the same cursor reads it later', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 4 });
    const first = await inventory.readPage(null);
    await admin(ft, 'POST', '/_fake/faults', { match: '^/v1\\.0/groups/delta$', status: 429, retryAfter: 60 });
    const e = await inventory.readPage(first.next).then(
      () => null,
      (x: unknown) => x,
    );
    assert.ok(isCoded(e) && e.code === 'Throttled', String(e));
    const again = await inventory.readPage(first.next);
    assert.equal(again.entries.length, 4);
    assert.ok(!first.entries.some((x) => again.entries.some((y) => y.id === x.id)), 'the next page, not the first');
  });

  it('a page token past its lifetime (400 syncStateNotFound) says the scan must start again', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 4 });
    const first = await inventory.readPage(null);
    await admin(ft, 'PUT', '/_fake/settings', { deltaTokenLifetimeSeconds: 0 });
    const e = await inventory.readPage(first.next).then(
      () => null,
      (x: unknown) => x,
    );
    assert.ok(isCoded(e) && e.code === 'Expired' && e.details.restartScan === true, String(e));
    assert.equal((await inventory.readPage(null)).entries.length, 4, 'the first page reads as ever');
    const raw = await admin<{ error: { code: string } }>(ft, 'PUT', '/_fake/settings', {
      deltaTokenLifetimeSeconds: -1,
    });
    assert.equal(raw.status, 400, 'a negative lifetime is refused');
    await admin(ft, 'PUT', '/_fake/settings', { deltaTokenLifetimeSeconds: 7 * 86_400 });
  });

  it('a group deleted during the scan comes as removed on the last page', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 4 });
    const first = await inventory.readPage(null);
    const gone = first.entries[0]!.id;
    assert.equal((await admin(ft, 'DELETE', `/_fake/groups/${gone}`)).status, 204);
    const rest: InventoryEntry[] = [];
    for (let cursor = first.next; cursor;) {
      const p = await inventory.readPage(cursor);
      rest.push(...p.entries);
      cursor = p.next;
    }
    assert.deepEqual(
      rest.filter((e) => e.removed),
      [{ id: gone, childGroupIds: [], removed: true }],
    );
  });
});
