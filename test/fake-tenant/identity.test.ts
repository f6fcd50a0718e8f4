import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { defaultSeed, LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, USER } from '../../src/fake-tenant/seed';
import { ROLE } from '../../src/fake-tenant/model';
import {
  admin,
  appCredential,
  decodeJwt,
  GRAPH_SCOPE,
  graphClient,
  oboCredential,
  rejection,
  ssoToken,
  startTestTenant,
  withBroadConsent,
} from '../support/fake-tenant';

async function tokenEndpoint(ft: FakeTenant, form: Record<string, string>) {
  const res = await fetch(`${ft.url}/${ft.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function forgedToken(claims: Record<string, unknown>, alg = 'RS256'): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const head = Buffer.from(JSON.stringify({ typ: 'JWT', alg, kid: 'not-ours' })).toString('base64url');
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  if (alg === 'none') return `${head}.${body}.`;
  return `${head}.${body}.${sign('sha256', Buffer.from(`${head}.${body}`), privateKey).toString('base64url')}`;
}

describe('fake tenant: identity (real @azure/identity against it)', () => {
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

  it('publishes OpenID metadata and keys for the tenant', async () => {
    const meta = (await (
      await fetch(`${ft.url}/${ft.tenantId}/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, string>;
    assert.equal(meta.token_endpoint, `${ft.url}/${ft.tenantId}/oauth2/v2.0/token`);
    assert.equal(meta.issuer, `${ft.url}/${ft.tenantId}/v2.0`);
    const keys = (await (await fetch(meta.jwks_uri!)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(keys.keys[0]!.kty, 'RSA');
    const unknown = await fetch(`${ft.url}/11111111-1111-1111-1111-111111111111/v2.0/.well-known/openid-configuration`);
    assert.equal(unknown.status, 400);
  });

  const oboTitle =
    'exchanges an SSO token on behalf of the user: Graph token names the user, roles and consented scopes';
  it(oboTitle, async () => {
    const sso = await ssoToken(ft, USER.alex);
    assert.equal(decodeJwt(sso).aud, LOCAL_BOT_APP_ID);
    const { token } = await oboCredential(ft, sso).getToken(GRAPH_SCOPE);
    const c = decodeJwt(token);
    assert.equal(c.oid, USER.alex);
    assert.equal(c.tid, ft.tenantId);
    assert.equal(c.aud, 'https://graph.microsoft.com');
    assert.ok((c.wids as string[]).includes(ROLE.hybridIdentityAdministrator));
    const scp = String(c.scp).split(' ');
    assert.ok(scp.includes('Group-OnPremisesSyncBehavior.ReadWrite.All'));
    assert.ok(!scp.includes('Group.ReadWrite.All'), 'only consented scopes are granted');
  });

  it('client credentials: app-only token carries the granted application permissions as roles', async () => {
    const { token } = await appCredential(ft).getToken(GRAPH_SCOPE);
    const c = decodeJwt(token);
    assert.equal(c.idtyp, 'app');
    assert.deepEqual((c.roles as string[]).sort(), ['AuditLog.Read.All', 'Directory.Read.All', 'Group.Read.All']);
    const bad = await tokenEndpoint(ft, {
      grant_type: 'client_credentials',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      scope: 'https://graph.microsoft.com/User.Read',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'invalid_scope');
    assert.deepEqual(bad.body.error_codes, [1002012]);
  });

  it('expired assertion: invalid_grant AADSTS500133', async () => {
    const sso = await ssoToken(ft, USER.alex, { lifetimeSeconds: -60 });
    const err = await rejection(() => oboCredential(ft, sso).getToken(GRAPH_SCOPE));
    assert.match(err.message, /AADSTS500133/);
    const raw = await tokenEndpoint(ft, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      assertion: sso,
      scope: GRAPH_SCOPE,
    });
    assert.equal(raw.status, 400);
    assert.equal(raw.body.error, 'invalid_grant');
    assert.deepEqual(raw.body.error_codes, [500133]);
    assert.match(String(raw.body.error_description), /^AADSTS500133: /);
  });

  it('assertion for another audience, foreign signer or unsigned: refused', async () => {
    const wrongAud = await ssoToken(ft, USER.alex, { audience: 'api://someone-else' });
    assert.match(
      (await rejection(() => oboCredential(ft, wrongAud).getToken(GRAPH_SCOPE))).message,
      /AADSTS50013.*audience/,
    );
    const now = Math.floor(Date.now() / 1000);
    const claims = { aud: LOCAL_BOT_APP_ID, tid: ft.tenantId, oid: USER.alex, exp: now + 600, iat: now, nbf: now };
    assert.match(
      (await rejection(() => oboCredential(ft, forgedToken(claims)).getToken(GRAPH_SCOPE))).message,
      /AADSTS50013.*signature/,
    );
    assert.match(
      (await rejection(() => oboCredential(ft, forgedToken(claims, 'none')).getToken(GRAPH_SCOPE))).message,
      /AADSTS50013/,
    );
    const raw = await tokenEndpoint(ft, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      assertion: 'not-a-jwt',
      scope: GRAPH_SCOPE,
    });
    assert.equal(raw.status, 400);
    assert.deepEqual(raw.body.error_codes, [50027]);
  });

  it('missing consent: invalid_grant AADSTS65001 with suberror consent_required', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.apps[0]!.delegatedScopes = [];
    assert.equal((await admin(ft, 'POST', '/_fake/reset', seed)).status, 200);
    const sso = await ssoToken(ft, USER.alex);
    const err = await rejection(() => oboCredential(ft, sso).getToken(GRAPH_SCOPE));
    assert.equal(err.name, 'AuthenticationRequiredError');
    assert.match(err.message, /AADSTS65001/);
    const raw = await tokenEndpoint(ft, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      assertion: sso,
      scope: GRAPH_SCOPE,
    });
    assert.equal(raw.body.suberror, 'consent_required');
  });

  const mfaTitle =
    'MFA required by Conditional Access: AADSTS50076 with a claims challenge, passes once the sign-in had MFA';
  it(mfaTitle, async () => {
    const sso = await ssoToken(ft, USER.isaiah);
    const err = await rejection(() => oboCredential(ft, sso).getToken(GRAPH_SCOPE));
    assert.match(err.message, /AADSTS50076/);
    const raw = await tokenEndpoint(ft, {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      requested_token_use: 'on_behalf_of',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      assertion: sso,
      scope: GRAPH_SCOPE,
    });
    assert.ok(JSON.parse(String(raw.body.claims)).access_token);
    const withMfa = await ssoToken(ft, USER.isaiah, { mfa: true });
    const { token } = await oboCredential(ft, withMfa).getToken(GRAPH_SCOPE);
    assert.equal(decodeJwt(token).oid, USER.isaiah);
  });

  it('Conditional Access block: AADSTS53003', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.users.find((u) => u.id === USER.lee)!.signIn = 'blocked';
    await admin(ft, 'POST', '/_fake/reset', seed);
    const sso = await ssoToken(ft, USER.lee, { mfa: true });
    assert.match((await rejection(() => oboCredential(ft, sso).getToken(GRAPH_SCOPE))).message, /AADSTS53003/);
  });

  it('wrong client secret, unknown client, unsupported grant: AAD errors', async () => {
    const sso = await ssoToken(ft, USER.alex);
    assert.match(
      (await rejection(() => oboCredential(ft, sso, 'wrong-secret').getToken(GRAPH_SCOPE))).message,
      /AADSTS7000215/,
    );
    assert.match(
      (
        await rejection(() =>
          appCredential(ft, LOCAL_BOT_SECRET, '99999999-9999-4999-8999-999999999999').getToken(GRAPH_SCOPE),
        )
      ).message,
      /AADSTS700016/,
    );
    const raw = await tokenEndpoint(ft, {
      grant_type: 'password',
      client_id: LOCAL_BOT_APP_ID,
      client_secret: LOCAL_BOT_SECRET,
      scope: GRAPH_SCOPE,
    });
    assert.equal(raw.body.error, 'unsupported_grant_type');
    const noClient = await tokenEndpoint(ft, { grant_type: 'client_credentials', scope: GRAPH_SCOPE });
    assert.deepEqual(noClient.body.error_codes, [900144]);
  });

  it('an OBO failure inside the Graph client surfaces with the AADSTS code for the caller to map', async () => {
    const client = graphClient(ft, oboCredential(ft, await ssoToken(ft, USER.isaiah)));
    const err = await rejection(() => client.api('/me').get());
    assert.match(err.message, /AADSTS50076/);
  });
});
