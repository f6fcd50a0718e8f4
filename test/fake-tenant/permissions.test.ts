import assert from 'node:assert/strict';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { defaultSeed, GROUP, USER } from '../../src/fake-tenant/seed';
import { ROLE } from '../../src/fake-tenant/model';
import {
  admin,
  appCredential,
  graphAs,
  graphClient,
  rejection,
  startTestTenant,
  withBroadConsent,
} from '../support/fake-tenant';

describe('fake tenant: authorisation from the bearer token', () => {
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

  it('a user without an allowed directory role gets 403 Authorization_RequestDenied on the SOA switch', async () => {
    const lee = await graphAs(ft, USER.lee);
    for (const call of [
      () => lee.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).get(),
      () => lee.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).patch({ isCloudManaged: true }),
    ]) {
      const err = await rejection(call);
      assert.equal(err.statusCode, 403);
      assert.equal(err.code, 'Authorization_RequestDenied');
    }
    // Reading groups needs no directory role.
    assert.equal((await lee.api(`/groups/${GROUP.secGroup1}`).get()).id, GROUP.secGroup1);
    assert.equal(
      (await graphAs(ft, USER.alex).then((c) => c.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).get()))
        .isCloudManaged,
      false,
    );
  });

  it('Groups Administrator is allowed by default, and the allowed roles are configurable', async () => {
    const adele = await graphAs(ft, USER.adele);
    assert.equal((await adele.api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`).get()).isCloudManaged, false);
    const seed = withBroadConsent(defaultSeed());
    seed.policy = { soaRoles: [ROLE.hybridIdentityAdministrator, ROLE.globalAdministrator] };
    await admin(ft, 'POST', '/_fake/reset', seed);
    const strict = await graphAs(ft, USER.adele);
    assert.equal(
      (
        await rejection(() =>
          strict.api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`).patch({ isCloudManaged: true }),
        )
      ).statusCode,
      403,
    );
  });

  it('without the Group-OnPremisesSyncBehavior scope the switch is refused even for an admin', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.apps[0]!.delegatedScopes = seed.apps[0]!.delegatedScopes.filter(
      (s) => s !== 'Group-OnPremisesSyncBehavior.ReadWrite.All',
    );
    seed.apps[0]!.delegatedScopes.push('Group.ReadWrite.All', 'Directory.ReadWrite.All'); // do not substitute
    await admin(ft, 'POST', '/_fake/reset', seed);
    const alex = await graphAs(ft, USER.alex);
    assert.equal(
      (
        await rejection(() =>
          alex.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).patch({ isCloudManaged: true }),
        )
      ).statusCode,
      403,
    );
  });

  it('app-only tokens are authorised by their roles claim', async () => {
    const app = graphClient(ft, appCredential(ft));
    assert.equal((await app.api(`/groups/${GROUP.secGroup1}`).get()).id, GROUP.secGroup1);
    assert.equal(
      (
        await rejection(() =>
          app.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).patch({ isCloudManaged: true }),
        )
      ).statusCode,
      403,
    );
    const seed = withBroadConsent(defaultSeed());
    seed.apps[0]!.applicationPermissions = ['Group-OnPremisesSyncBehavior.ReadWrite.All'];
    await admin(ft, 'POST', '/_fake/reset', seed);
    const writer = graphClient(ft, appCredential(ft));
    await writer.api(`/groups/${GROUP.secGroup1}/onPremisesSyncBehavior`).patch({ isCloudManaged: true });
    const audits = ft.tenant.audits;
    assert.equal(audits.length, 1);
    assert.equal(audits[0]!.initiatedBy.user, null);
    assert.equal(audits[0]!.initiatedBy.app!.appId, seed.apps[0]!.clientId);
    assert.equal(
      (await rejection(() => writer.api(`/groups/${GROUP.secGroup1}`).get())).statusCode,
      403,
      'no Group.Read.All any more',
    );
  });

  it('group property writes need Group.ReadWrite.All and a group-writing role', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.apps[0]!.delegatedScopes.push('Group.ReadWrite.All');
    await admin(ft, 'POST', '/_fake/reset', seed);
    const alex = await graphAs(ft, USER.alex); // Hybrid Identity Administrator cannot edit groups
    assert.equal(
      (await rejection(() => alex.api(`/groups/${GROUP.cloudOnlyEngineering}`).patch({ description: 'x' }))).statusCode,
      403,
    );
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
    const adele = await graphAs(ft, USER.adele); // role, but the app lacks the scope
    assert.equal(
      (await rejection(() => adele.api(`/groups/${GROUP.cloudOnlyEngineering}`).patch({ description: 'x' })))
        .statusCode,
      403,
    );
  });

  it('audit logs need AuditLog.Read.All and a reader role', async () => {
    const lee = await graphAs(ft, USER.lee);
    assert.equal((await rejection(() => lee.api('/auditLogs/directoryAudits').get())).statusCode, 403);
    const alex = await graphAs(ft, USER.alex);
    assert.deepEqual((await alex.api('/auditLogs/directoryAudits').get()).value, []);
  });
});
