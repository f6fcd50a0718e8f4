import assert from 'node:assert/strict';
import { Client } from '@microsoft/microsoft-graph-client';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { defaultSeed, GROUP, LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, USER } from '../../src/fake-tenant/seed';
import { admin, graphAs, rejection, ssoToken, startTestTenant, withBroadConsent } from '../support/fake-tenant';

/** The real Graph client, presenting whatever token the test hands it. */
function clientWithToken(ft: FakeTenant, token: string): Client {
  return Client.initWithMiddleware({
    baseUrl: ft.url,
    customHosts: new Set(['localhost']),
    authProvider: { getAccessToken: async () => token },
  });
}

async function appToken(ft: FakeTenant): Promise<string> {
  const res = await fetch(`${ft.url}/${ft.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('fake tenant: bad input gets Graph-shaped errors, never a crash', () => {
  let ft: FakeTenant;
  before(async () => {
    ft = await startTestTenant({ seed: withBroadConsent(defaultSeed()) });
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
  });
  afterEach(async () => {
    // Whatever the test sent, the server still answers normally.
    const alex = await graphAs(ft, USER.alex);
    assert.equal((await alex.api('/organization').get()).value.length, 1);
  });

  it('malformed or wrong JSON bodies: 400 with Graph error codes, state unchanged', async () => {
    const alex = await graphAs(ft, USER.alex);
    const bodies: unknown[] = [
      '{"isCloudManaged": tru',
      '[]',
      { isCloudManaged: 'yes' },
      { isCloudManaged: true, extra: 1 },
      {},
    ];
    for (const body of bodies) {
      const err = await rejection(() =>
        alex
          .api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`)
          .header('Content-Type', 'application/json')
          .patch(body),
      );
      assert.equal(err.statusCode, 400, JSON.stringify(body));
      assert.ok(['BadRequest', 'Request_BadRequest'].includes(String(err.code)), String(err.code));
    }
    assert.equal(ft.tenant.groups.get(GROUP.secGroup1)!.isCloudManaged, false);
    assert.equal(ft.tenant.audits.length, 0);
  });

  it('unknown ids, unknown segments, wrong methods', async () => {
    const alex = await graphAs(ft, USER.alex);
    assert.equal(
      (
        await rejection(() =>
          alex
            .api('/groups/00000000-0000-4000-8000-00000000dead/onPremisesSyncBehavior')
            .patch({ isCloudManaged: true }),
        )
      ).statusCode,
      404,
    );
    assert.equal((await rejection(() => alex.api("/groups/'; DROP TABLE groups;--").get())).statusCode, 400);
    assert.equal((await rejection(() => alex.api(`/groups/${GROUP.secGroup1}/owners/x/y`).get())).statusCode, 400);
    assert.equal((await rejection(() => alex.api(`/groups/${GROUP.secGroup1}`).delete())).statusCode, 405);
    assert.equal((await rejection(() => alex.api('/auditLogs/directoryAudits/Directory_nope').get())).statusCode, 404);
  });

  it('bad OData: syntax, unsupported operators and properties, bad paging token', async () => {
    const alex = await graphAs(ft, USER.alex);
    const filters = [
      'displayName eq',
      "(displayName eq 'a'",
      "contains(displayName,'a')",
      "displayName eq 'a' and",
      'displayName gt 5 5',
      "description eq 'x'",
    ];
    for (const f of filters) {
      const err = await rejection(() => alex.api('/groups').filter(f).get());
      assert.equal(err.statusCode, 400, f);
    }
    assert.equal(
      (
        await rejection(() =>
          alex.api('/auditLogs/directoryAudits').filter('activityDateTime gt 2020-01-01T00:00:00Z').get(),
        )
      ).statusCode,
      400,
    );
    assert.equal(
      (await rejection(() => alex.api('/auditLogs/directoryAudits').orderby('category').get())).statusCode,
      400,
    );
    assert.equal((await rejection(() => alex.api('/groups').query({ $skiptoken: 'garbage' }).get())).statusCode, 400);
    assert.equal((await rejection(() => alex.api('/groups').top(0).get())).statusCode, 400);
    assert.equal((await rejection(() => alex.api('/groups').query({ $frobnicate: '1' }).get())).statusCode, 400);
    assert.equal(
      (await rejection(() => alex.api('/groups').query({ $search: '"displayName:Sec"' }).get())).code,
      'Request_UnsupportedQuery',
    );
  });

  it('unsigned, forged, expired and foreign tokens: 401 InvalidAuthenticationToken', async () => {
    const cases: Array<[string, RegExp]> = [
      ['', /empty/],
      ['not.a.jwt', /Invalid signature|not well formed/],
      ['abc', /not well formed/],
    ];
    // Unsigned: a real token's claims with alg "none".
    const real = await appToken(ft);
    const [, payload] = real.split('.');
    cases.push([`${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`, /signature/i]);
    // Signed by another tenant instance (different keys).
    const other = await startTestTenant({ seed: withBroadConsent(defaultSeed()) });
    try {
      cases.push([await appToken(other), /signature/i]);
    } finally {
      await other.close();
    }
    // An SSO token (audience = the bot) is not a Graph token.
    cases.push([await ssoToken(ft, USER.alex), /audience/]);
    // Expired.
    await admin(ft, 'PUT', '/_fake/settings', { accessTokenLifetimeSeconds: -60 });
    cases.push([await appToken(ft), /expired/]);
    await admin(ft, 'PUT', '/_fake/settings', { accessTokenLifetimeSeconds: 3600 });
    for (const [token, message] of cases) {
      const err = await rejection(() => clientWithToken(ft, token).api('/organization').get());
      assert.equal(err.statusCode, 401, token.slice(0, 20));
      assert.equal(err.code, 'InvalidAuthenticationToken');
      assert.match(err.message, message);
    }
  });

  it('admin API: invalid seeds, faults and settings are refused with a message and change nothing', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.groups[0]!.members.push('00000000-0000-4000-8000-0000000000ff');
    const bad = await admin<{ error: { message: string } }>(ft, 'POST', '/_fake/reset', seed);
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /unknown member/);
    assert.equal(ft.tenant.groups.size, 13, 'the previous tenant is kept');
    assert.equal((await admin(ft, 'POST', '/_fake/reset', '{"tenantId":')).status, 400);
    assert.equal(
      (await admin(ft, 'POST', '/_fake/reset', { tenantId: 'x', organization: {}, users: [], apps: [], groups: [] }))
        .status,
      400,
    );
    assert.equal((await admin(ft, 'POST', '/_fake/faults', { match: '(', status: 429 })).status, 400);
    assert.equal((await admin(ft, 'POST', '/_fake/faults', { match: '/me', status: 200 })).status, 400);
    assert.equal((await admin(ft, 'POST', '/_fake/faults', { match: '/me', status: 429, count: -1 })).status, 400);
    assert.equal((await admin(ft, 'PUT', '/_fake/settings', { latencyMs: -5 })).status, 400);
    assert.equal((await admin(ft, 'PUT', '/_fake/settings', { soaPatchStatus: 201 })).status, 400);
    assert.equal((await admin(ft, 'PUT', '/_fake/settings', { bogus: 1 })).status, 400);
    assert.equal((await admin(ft, 'PUT', '/_fake/settings', { syncClient: 'dirSync', latencyMs: 5 })).status, 400);
    assert.equal(ft.settings.latencyMs, 0);
    assert.equal(ft.settings.syncClient, 'cloudSync');
    assert.equal(
      (await admin(ft, 'POST', '/_fake/sso-token', { oid: '00000000-0000-4000-8000-0000000000ff' })).status,
      404,
    );
    assert.equal((await admin(ft, 'POST', '/_fake/sso-token', {})).status, 400);
    assert.equal(
      (await admin(ft, 'PATCH', `/_fake/ad/groups/${GROUP.cloudOnlyEngineering}`, { displayName: 'x' })).status,
      409,
    );
    assert.equal((await admin(ft, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup1}`, { colour: 'blue' })).status, 400);
    assert.equal(
      (await admin(ft, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup1}`, { addMembers: ['nobody'] })).status,
      400,
    );
    assert.equal((await admin(ft, 'GET', '/_fake/nothing-here')).status, 404);
  });

  it('oversized bodies are refused', async () => {
    const res = await fetch(`${ft.url}/v1.0/$batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: 'x'.repeat(5 * 1024 * 1024),
    });
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'Request_EntityTooLarge');
  });
});
