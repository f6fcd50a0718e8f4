import assert from 'node:assert/strict';
import type { Client } from '@microsoft/microsoft-graph-client';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { defaultSeed, GROUP, LOCAL_BOT_APP_ID, USER } from '../../src/fake-tenant/seed';
import type { SyncCycleResult } from '../../src/fake-tenant/model';
import {
  admin,
  appCredential,
  eventually,
  graphAs,
  graphClient,
  rejection,
  startTestTenant,
  withBroadConsent,
} from '../support/fake-tenant';

const ON_PREM_READ_ONLY = /on-premises mastered Directory Sync objects/;

/** A seed in which the bot app may also write group properties (as Graph Explorer would, for the test). */
function seedWithGroupWrite() {
  const seed = withBroadConsent(defaultSeed());
  seed.apps[0]!.delegatedScopes.push('Group.ReadWrite.All');
  return seed;
}

async function auditFor(client: Client, groupId: string, activityPrefix: string) {
  const res = await client
    .api('/auditLogs/directoryAudits')
    .filter(`startswith(activityDisplayName,'${activityPrefix}') and targetResources/any(t:t/id eq '${groupId}')`)
    .orderby('activityDateTime desc')
    .top(5)
    .get();
  return res.value as Array<Record<string, any>>;
}

describe('fake tenant: the Group SOA life cycle, end to end through the real clients', () => {
  let ft: FakeTenant;
  before(async () => {
    ft = await startTestTenant({ seed: withBroadConsent(defaultSeed()), settings: { auditDelayMs: 400 } });
  });
  after(async () => {
    await ft.close();
  });

  const lifeCycleTitle =
    'synced → read-only → switch → audit after delay → editable → AD rename skipped → ' +
    'rollback → editable → sync takes over → read-only';
  it(lifeCycleTitle, async () => {
    await admin(ft, 'POST', '/_fake/reset', seedWithGroupWrite());
    const alex = await graphAs(ft, USER.alex); // Hybrid Identity Administrator: switches
    const adele = await graphAs(ft, USER.adele); // Groups Administrator: edits group properties
    const id = GROUP.secGroup1;
    const since = new Date(Date.now() - 1000).toISOString();

    // 1. Synced from AD and AD-managed.
    assert.equal(
      (await alex.api(`/groups/${id}/onPremisesSyncBehavior`).select('isCloudManaged').get()).isCloudManaged,
      false,
    );
    assert.equal((await alex.api(`/groups/${id}`).get()).onPremisesSyncEnabled, true);

    // 2. Cloud writes are refused while AD is the source of authority.
    const refused = await rejection(() =>
      adele.api(`/groups/${id}`).patch({ displayName: 'SecGroup1 renamed in cloud' }),
    );
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.code, 'Request_BadRequest');
    assert.match(refused.message, ON_PREM_READ_ONLY);

    // 3. Switch with the approver's token. 204 No Content (current docs).
    const switched = await alex
      .api(`/groups/${id}/onPremisesSyncBehavior`)
      .version('beta')
      .patch({ isCloudManaged: true });
    assert.equal(switched, undefined);
    assert.equal((await alex.api(`/groups/${id}/onPremisesSyncBehavior`).get()).isCloudManaged, true);
    assert.equal(
      (await alex.api(`/groups/${id}`).get()).onPremisesSyncEnabled,
      null,
      'Entra clears onPremisesSyncEnabled after the switch',
    );

    // 4. The audit entry is not visible at once, then appears naming the approver.
    assert.deepEqual(await auditFor(alex, id, 'Change Source of Authority'), []);
    const [entry] = await eventually(async () => {
      const found = await auditFor(alex, id, 'Change Source of Authority');
      return found.length ? found : undefined;
    });
    assert.equal(entry!.activityDisplayName, 'Change Source of Authority from AD to cloud');
    assert.equal(entry!.initiatedBy.user.id, USER.alex);
    assert.equal(entry!.targetResources[0].id, id);
    assert.equal(entry!.result, 'success');
    assert.match(entry!.correlationId, /^[0-9a-f-]{36}$/);
    assert.ok(entry!.activityDateTime >= since);
    const byId = await alex.api(`/auditLogs/directoryAudits/${entry!.id}`).get();
    assert.equal(byId.correlationId, entry!.correlationId);
    const byDate = await alex
      .api('/auditLogs/directoryAudits')
      .filter(`activityDateTime ge ${since} and activityDisplayName eq 'Change Source of Authority from AD to cloud'`)
      .get();
    assert.equal(byDate.value.length, 1);

    // 5. Now editable in the cloud.
    await adele.api(`/groups/${id}`).patch({ DisplayName: 'SecGroup1 (cloud)' });
    assert.equal((await alex.api(`/groups/${id}`).get()).displayName, 'SecGroup1 (cloud)');

    // 6. An AD-side rename is skipped by the sync client (event 6956).
    assert.equal((await admin(ft, 'PATCH', `/_fake/ad/groups/${id}`, { displayName: 'SecGroup1.1' })).status, 200);
    const cycle1 = (await admin<SyncCycleResult>(ft, 'POST', '/_fake/sync')).body;
    const skip = cycle1.events.find((e) => e.groupId === id)!;
    assert.equal(skip.outcome, 'skipped');
    assert.equal(skip.eventId, 6956);
    assert.match(skip.detail!, /SOA of this group is in the cloud/);
    assert.deepEqual(skip.changes, ['displayName']);
    assert.equal((await alex.api(`/groups/${id}`).get()).displayName, 'SecGroup1 (cloud)');

    // 7. Roll back: still cloud-editable until the next sync cycle.
    await alex.api(`/groups/${id}/onPremisesSyncBehavior`).patch({ isCloudManaged: false });
    assert.equal((await alex.api(`/groups/${id}/onPremisesSyncBehavior`).get()).isCloudManaged, false);
    const pending = await alex.api(`/groups/${id}`).get();
    assert.equal(pending.onPremisesSyncEnabled, null, 'not taken over yet');
    await adele.api(`/groups/${id}`).patch({ description: 'edited while waiting for sync' });
    const undo = await eventually(async () => {
      const found = await auditFor(alex, id, 'Undo changes to Source of Authority');
      return found.length ? found : undefined;
    });
    assert.equal(undo[0]!.activityDisplayName, 'Undo changes to Source of Authority from AD DS to cloud');

    // 8. The next sync cycle takes the group over: AD values win, read-only again.
    const lastSyncBefore = pending.onPremisesLastSyncDateTime;
    const cycle2 = (await admin<SyncCycleResult>(ft, 'POST', '/_fake/sync')).body;
    assert.equal(cycle2.events.find((e) => e.groupId === id)!.outcome, 'takenOver');
    const after = await alex.api(`/groups/${id}`).get();
    assert.equal(after.onPremisesSyncEnabled, true);
    assert.equal(after.displayName, 'SecGroup1.1', 'AD rename applied at takeover');
    assert.equal(after.description, null, 'cloud edits are overwritten');
    assert.ok(after.onPremisesLastSyncDateTime > lastSyncBefore);
    const again = await rejection(() => adele.api(`/groups/${id}`).patch({ displayName: 'nope' }));
    assert.match(again.message, ON_PREM_READ_ONLY);
  });

  it('AD changes flow to AD-managed groups at each sync cycle (rename, membership)', async () => {
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
    const alex = await graphAs(ft, USER.alex);
    await admin(ft, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup2}`, {
      displayName: 'SecGroup2-Renamed',
      addMembers: [USER.lee],
    });
    assert.equal((await alex.api(`/groups/${GROUP.secGroup2}`).get()).displayName, 'SecGroup2', 'not before the sync');
    const cycle = (await admin<SyncCycleResult>(ft, 'POST', '/_fake/sync')).body;
    const ev = cycle.events.find((e) => e.groupId === GROUP.secGroup2)!;
    assert.equal(ev.outcome, 'updated');
    assert.deepEqual(ev.changes, ['displayName', 'members']);
    assert.equal((await alex.api(`/groups/${GROUP.secGroup2}`).get()).displayName, 'SecGroup2-Renamed');
    const members = await alex.api(`/groups/${GROUP.secGroup2}/members`).get();
    assert.ok(members.value.some((m: { id: string }) => m.id === USER.lee));
    // Cloud-only groups are not touched by sync.
    assert.equal(
      cycle.events.some((e) => e.groupId === GROUP.cloudOnlyEngineering),
      false,
    );
  });

  const mailEnabledTitle =
    'mail-enabled groups: Exchange error on writes, switchable, and still not Graph-writable after the switch';
  it(mailEnabledTitle, async () => {
    await admin(ft, 'POST', '/_fake/reset', seedWithGroupWrite());
    const alex = await graphAs(ft, USER.alex);
    const adele = await graphAs(ft, USER.adele);
    for (const id of [GROUP.financeDl, GROUP.helpdeskMesg]) {
      const before = await rejection(() => adele.api(`/groups/${id}`).patch({ displayName: 'x' }));
      assert.match(before.message, /mail-enabled groups/);
      await alex.api(`/groups/${id}/onPremisesSyncBehavior`).patch({ isCloudManaged: true });
      const after = await rejection(() => adele.api(`/groups/${id}`).patch({ displayName: 'x' }));
      assert.match(after.message, /mail-enabled groups/);
    }
  });

  it('cloud-only and Microsoft 365 groups have nothing to switch; cloud groups are editable', async () => {
    await admin(ft, 'POST', '/_fake/reset', seedWithGroupWrite());
    const alex = await graphAs(ft, USER.alex);
    const adele = await graphAs(ft, USER.adele);
    for (const id of [GROUP.cloudOnlyEngineering, GROUP.projectX]) {
      assert.equal((await alex.api(`/groups/${id}/onPremisesSyncBehavior`).get()).isCloudManaged, false);
      const err = await rejection(() =>
        alex.api(`/groups/${id}/onPremisesSyncBehavior`).patch({ isCloudManaged: true }),
      );
      assert.equal(err.statusCode, 400);
      assert.match(err.message, /synchronized from on-premises/);
    }
    await adele.api(`/groups/${GROUP.cloudOnlyEngineering}`).patch({ description: 'cloud group' });
    assert.equal((await alex.api(`/groups/${GROUP.cloudOnlyEngineering}`).get()).description, 'cloud group');
  });

  it('PATCH onPremisesSyncBehavior can answer 200 with the object (the other documented behaviour)', async () => {
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
    await admin(ft, 'PUT', '/_fake/settings', { soaPatchStatus: 200 });
    try {
      const alex = await graphAs(ft, USER.alex);
      const res = await alex
        .api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`)
        .patch({ '@odata.type': '#microsoft.graph.onPremisesSyncBehavior', isCloudManaged: true });
      assert.equal(res.isCloudManaged, true);
      assert.equal(res.id, GROUP.secGroup2);
    } finally {
      await admin(ft, 'PUT', '/_fake/settings', { soaPatchStatus: 204 });
    }
  });

  it('audit activity names can use the other documented spelling; app-only tokens read audits', async () => {
    await admin(ft, 'POST', '/_fake/reset', withBroadConsent(defaultSeed()));
    await admin(ft, 'PUT', '/_fake/settings', {
      auditDelayMs: 0,
      auditActivityNames: { convert: 'Change Source of Authority from AD DS to cloud' },
    });
    try {
      const alex = await graphAs(ft, USER.alex);
      await alex.api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`).patch({ isCloudManaged: true });
      const app = graphClient(ft, appCredential(ft));
      const entries = await auditFor(app, GROUP.secGroup2, 'Change Source of Authority');
      assert.equal(entries[0]!.activityDisplayName, 'Change Source of Authority from AD DS to cloud');
      assert.equal(entries[0]!.additionalDetails[0].value, LOCAL_BOT_APP_ID);
    } finally {
      await admin(ft, 'PUT', '/_fake/settings', {
        auditDelayMs: 400,
        auditActivityNames: { convert: 'Change Source of Authority from AD to cloud' },
      });
    }
  });

  it('nesting with a cycle: transitive queries terminate and list each group once', async () => {
    const seed = withBroadConsent(defaultSeed());
    seed.groups.find((g) => g.id === GROUP.secGroup1Leaf)!.members.push(GROUP.secGroup1);
    await admin(ft, 'POST', '/_fake/reset', seed);
    const alex = await graphAs(ft, USER.alex);
    const down = await alex.api(`/groups/${GROUP.secGroup1}/transitiveMembers/microsoft.graph.group`).get();
    assert.deepEqual(down.value.map((g: { displayName: string }) => g.displayName).sort(), [
      'SecGroup1-Leaf',
      'SecGroup1-Nested',
    ]);
    const up = await alex.api(`/groups/${GROUP.secGroup1}/transitiveMemberOf`).get();
    assert.deepEqual(up.value.map((g: { displayName: string }) => g.displayName).sort(), [
      'SecGroup1-Leaf',
      'SecGroup1-Nested',
    ]);
  });
});

describe('fake tenant: scheduled sync cycles', () => {
  it('runs sync cycles on its own when syncIntervalMs is set, completing a rollback', async () => {
    const ft = await startTestTenant({ seed: withBroadConsent(defaultSeed()), settings: { syncIntervalMs: 0 } });
    try {
      const alex = await graphAs(ft, USER.alex);
      await alex.api(`/groups/${GROUP.soaGroup3}/onPremisesSyncBehavior`).patch({ isCloudManaged: false });
      assert.equal((await alex.api(`/groups/${GROUP.soaGroup3}`).get()).onPremisesSyncEnabled, null);
      assert.equal((await admin(ft, 'PUT', '/_fake/settings', { syncIntervalMs: 50 })).status, 200);
      const taken = await eventually(async () => {
        const g = await alex
          .api(`/groups/${GROUP.soaGroup3}`)
          .select('onPremisesSyncEnabled,onPremisesLastSyncDateTime')
          .get();
        return g.onPremisesSyncEnabled === true ? g : undefined;
      });
      assert.ok(taken.onPremisesLastSyncDateTime);
      const history = (await admin<{ history: SyncCycleResult[] }>(ft, 'GET', '/_fake/sync')).body.history;
      assert.ok(history.some((c) => c.events.some((e) => e.groupId === GROUP.soaGroup3 && e.outcome === 'takenOver')));
    } finally {
      await ft.close();
    }
  });
});
