import { defaultSeed, LOCAL_BOT_APP_ID } from '../../src/fake-tenant/seed';
import assert from 'node:assert/strict';
import { PageIterator, type Client, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { GROUP, USER } from '../../src/fake-tenant/seed';
import {
  admin,
  appCredential,
  graphAs,
  graphClient,
  rejection,
  startTestTenant,
  withBroadConsent,
} from '../support/fake-tenant';

type G = { id: string; displayName: string; [k: string]: unknown };
const names = (v: G[]) => v.map((g) => g.displayName).sort();

describe('fake tenant: groups, nesting and queries (real Graph client)', () => {
  let ft: FakeTenant;
  let alex: Client;
  before(async () => {
    ft = await startTestTenant({ seed: withBroadConsent(defaultSeed()) });
    alex = await graphAs(ft, USER.alex);
  });
  after(async () => {
    await ft.close();
  });

  it('filters by displayName with eq, startswith and OData quote escaping', async () => {
    const eq = await alex.api('/groups').filter("displayName eq 'SecGroup1'").get();
    assert.deepEqual(names(eq.value), ['SecGroup1']);
    const sw = await alex.api('/groups').filter("startswith(displayName,'SecGroup1')").get();
    assert.deepEqual(names(sw.value), ['SecGroup1', 'SecGroup1-Leaf', 'SecGroup1-Nested']);
    const quoted = await alex.api('/groups').filter("displayName eq 'O''Brien Admins'").get();
    assert.deepEqual(names(quoted.value), ["O'Brien Admins"]);
    const dup = await alex
      .api('/groups')
      .filter("displayName eq 'Marketing'")
      .select('id,displayName,description')
      .get();
    assert.equal(dup.value.length, 2, 'display names are not unique');
    assert.notEqual(dup.value[0].id, dup.value[1].id);
  });

  it('returns the SOA-relevant properties, with $select limiting them', async () => {
    const g = await alex.api(`/groups/${GROUP.helpdeskMesg}`).get();
    assert.equal(g.mailEnabled, true);
    assert.equal(g.securityEnabled, true);
    assert.equal(g.onPremisesSyncEnabled, true);
    assert.match(g.onPremisesSecurityIdentifier, /^S-1-5-21-/);
    assert.equal(g.onPremisesSamAccountName, 'Helpdesk MESG');
    assert.ok(!('onPremisesExtensionAttributes' in g), 'select-only property not returned by default');
    const sel = await alex.api(`/groups/${GROUP.helpdeskMesg}`).select('id,onPremisesExtensionAttributes').get();
    assert.deepEqual(
      Object.keys(sel)
        .filter((k) => !k.startsWith('@'))
        .sort(),
      ['id', 'onPremisesExtensionAttributes'],
    );
    assert.equal(sel.onPremisesExtensionAttributes.extensionAttribute1, 'IT-Helpdesk');
    const m365 = await alex.api(`/groups/${GROUP.projectX}`).get();
    assert.deepEqual(m365.groupTypes, ['Unified']);
    assert.equal(m365.onPremisesSyncEnabled, null);
    const dl = await alex.api(`/groups/${GROUP.financeDl}`).get();
    assert.equal(dl.securityEnabled, false);
    assert.equal(dl.mailEnabled, true);
  });

  it('refuses what Graph refuses: bad OData, unknown property, advanced query without ConsistencyLevel', async () => {
    const syntax = await rejection(() => alex.api('/groups').filter("displayName eq 'unterminated").get());
    assert.equal(syntax.statusCode, 400);
    assert.equal(syntax.code, 'BadRequest');
    assert.match(syntax.message, /Invalid filter clause/);
    const prop = await rejection(() => alex.api('/groups').filter("visibility eq 'Private'").get());
    assert.equal(prop.code, 'Request_UnsupportedQuery');
    const sel = await rejection(() => alex.api('/groups').select('id,noSuchThing').get());
    assert.equal(sel.statusCode, 400);
    assert.match(sel.message, /noSuchThing/);
    const ne = await rejection(() => alex.api('/groups').filter("displayName ne 'SecGroup1'").get());
    assert.equal(ne.code, 'Request_UnsupportedQuery');
    const neOk = await alex
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .filter("displayName ne 'SecGroup1'")
      .get();
    assert.equal(neOk['@odata.count'], 12);
    const top = await rejection(() => alex.api('/groups').top(1000).get());
    assert.match(top.message, /between 1 and 999/);
  });

  it('counts with $count + ConsistencyLevel, and finds cloud-managed groups as Entra documents', async () => {
    const res = await alex
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .filter('onPremisesSyncBehavior/isCloudManaged eq true')
      .select('id,displayName')
      .get();
    assert.deepEqual(names(res.value), ['SOAGroup3']);
    assert.equal(res['@odata.count'], 1);
    const noHeader = await alex.api('/groups').query({ $count: 'true' }).get();
    assert.equal(noHeader['@odata.count'], undefined, '$count without the header is ignored');
    const seg = await rejection(() => alex.api('/groups/$count').get());
    assert.equal(seg.statusCode, 400);
  });

  it('pages with $top and @odata.nextLink; PageIterator walks every page', async () => {
    const first = await alex.api('/groups').top(5).select('id,displayName').get();
    assert.equal(first.value.length, 5);
    assert.ok(first['@odata.nextLink'].startsWith(ft.url));
    const seen: string[] = [];
    const it = new PageIterator(alex, first as PageCollection, (g: G) => {
      seen.push(g.id);
      return true;
    });
    await it.iterate();
    assert.equal(seen.length, 13);
    assert.equal(new Set(seen).size, 13);
  });

  it('lists direct members, child groups (OData cast), parents and transitive relations', async () => {
    const members = await alex.api(`/groups/${GROUP.secGroup1}/members`).get();
    assert.equal(members.value.length, 3);
    assert.deepEqual(members.value.map((m: G) => m['@odata.type']).sort(), [
      '#microsoft.graph.group',
      '#microsoft.graph.user',
      '#microsoft.graph.user',
    ]);
    const children = await alex.api(`/groups/${GROUP.secGroup1}/members/microsoft.graph.group`).get();
    assert.deepEqual(names(children.value), ['SecGroup1-Nested']);
    const trans = await alex.api(`/groups/${GROUP.secGroup1}/transitiveMembers/microsoft.graph.group`).get();
    assert.deepEqual(names(trans.value), ['SecGroup1-Leaf', 'SecGroup1-Nested']);
    const parents = await alex.api(`/groups/${GROUP.secGroup2}/memberOf`).get();
    assert.deepEqual(names(parents.value), ['AppAccess-Parent']);
    const up = await alex.api(`/groups/${GROUP.secGroup1Leaf}/transitiveMemberOf`).get();
    assert.deepEqual(names(up.value), ['SecGroup1', 'SecGroup1-Nested']);
  });

  it('pages members (default 100, $top up to 999) on a large generated tenant with cycles', async () => {
    const big = await startTestTenant({ seed: withBroadConsent(defaultSeed()) });
    try {
      const r = await admin(big, 'POST', '/_fake/reset', {
        generate: { groups: 1500, users: 300, depth: 5, breadth: 6, cycles: 3 },
      });
      assert.equal(r.status, 200);
      await admin(big, 'PATCH', `/_fake/apps/${LOCAL_BOT_APP_ID}`, {
        delegatedScopes: withBroadConsent(defaultSeed()).apps[0]!.delegatedScopes,
      });
      const client = await graphAs(big, USER.alex);
      const roots = await client
        .api('/groups')
        .filter("startswith(displayName,'BIG-Root-1')")
        .select('id,displayName')
        .get();
      const root = roots.value.find((g: G) => g.displayName === 'BIG-Root-1');
      const all = await client
        .api(`/groups/${root.id}/transitiveMembers/microsoft.graph.group`)
        .select('id')
        .top(999)
        .get();
      let count = all.value.length;
      let next = all['@odata.nextLink'];
      while (next) {
        const p = await client.api(next).get();
        count += p.value.length;
        next = p['@odata.nextLink'];
      }
      // 6 + 36 + 216 + 1296 would exceed 1500 in one tree; the first tree holds the budget's first groups.
      assert.ok(count > 100, `expected a deep tree, got ${count}`);
      const defaultPage = await client.api('/groups').get();
      assert.equal(defaultPage.value.length, 100);
      assert.ok(defaultPage['@odata.nextLink']);
    } finally {
      await big.close();
    }
  });

  it('answers unknown and malformed ids like Graph', async () => {
    const missing = await rejection(() => alex.api('/groups/99999999-9999-4999-8999-999999999999').get());
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.code, 'Request_ResourceNotFound');
    const bad = await rejection(() => alex.api('/groups/not-a-guid').get());
    assert.equal(bad.statusCode, 400);
    assert.match(bad.message, /Invalid object identifier/);
    const seg = await rejection(() => alex.api('/groupz').get());
    assert.equal(seg.statusCode, 400);
  });

  it("serves organization, /me and the caller's directory roles", async () => {
    const org = await alex.api('/organization').get();
    assert.equal(org.value[0].onPremisesSyncEnabled, true);
    assert.ok(org.value[0].onPremisesLastSyncDateTime);
    const me = await alex.api('/me').get();
    assert.equal(me.id, USER.alex);
    const roles = await alex
      .api('/me/transitiveMemberOf/microsoft.graph.directoryRole')
      .select('displayName,roleTemplateId')
      .get();
    assert.deepEqual(
      roles.value.map((r: G) => r.displayName),
      ['Hybrid Identity Administrator'],
    );
    const lee = await graphAs(ft, USER.lee);
    assert.deepEqual((await lee.api('/me/transitiveMemberOf/microsoft.graph.directoryRole').get()).value, []);
    const app = graphClient(ft, appCredential(ft));
    const meApp = await rejection(() => app.api('/me').get());
    assert.equal(meApp.statusCode, 400);
    assert.match(meApp.message, /delegated/);
    assert.equal((await app.api('/organization').get()).value.length, 1);
  });

  it('serves the same resources on /beta', async () => {
    const g = await alex.api(`/groups/${GROUP.soaGroup3}/onPremisesSyncBehavior`).version('beta').get();
    assert.equal(g.isCloudManaged, true);
    assert.match(g['@odata.context'], /\/beta\//);
  });

  const title = 'searches and sorts with the advanced-query header; reads users by id or UPN and /me group memberships';
  it(title, async () => {
    const found = await alex
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .search('"displayName:Nested"')
      .select('displayName')
      .get();
    assert.deepEqual(names(found.value), ['SecGroup1-Nested']);
    const sorted = await alex.api('/groups').orderby('displayName desc').select('displayName').top(3).get();
    assert.deepEqual(
      sorted.value.map((g: G) => g.displayName),
      ['SOAGroup3', 'SecGroup2', 'SecGroup1-Nested'],
    );
    const sortFiltered = await rejection(() =>
      alex.api('/groups').filter("startswith(displayName,'Sec')").orderby('displayName').get(),
    );
    assert.equal(sortFiltered.code, 'Request_UnsupportedQuery');
    const byUpn = await alex.api('/users/lee@contoso.com').get();
    assert.equal(byUpn.id, USER.lee);
    assert.equal((await alex.api(`/users/${USER.lee}`).select('id,displayName').get()).displayName, 'Lee Gu');
    const diego = await graphAs(ft, '00000000-0000-0000-0000-0000000000030');
    const direct = await diego.api('/me/memberOf').get();
    assert.deepEqual(names(direct.value), ['AppAccess-Parent', 'CloudOnly-Engineering', 'SecGroup1']);
    const lynne = await graphAs(ft, '00000000-0000-0000-0000-0000000000033');
    const transitive = await lynne.api('/me/transitiveMemberOf/microsoft.graph.group').select('displayName').get();
    assert.deepEqual(names(transitive.value), [
      'Finance DL',
      'Marketing',
      'SecGroup1',
      'SecGroup1-Leaf',
      'SecGroup1-Nested',
    ]);
  });
});
