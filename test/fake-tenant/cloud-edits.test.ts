import assert from 'node:assert/strict';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { defaultSeed, GROUP, USER } from '../../src/fake-tenant/seed';
import { admin, graphAs, rejection, startTestTenant, withBroadConsent } from '../support/fake-tenant';

const PRADEEP = '00000000-0000-0000-0000-0000000000036';
const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

/** A seed in which the bot app may also write groups (as an admin tool would, for the test). */
function seedWithGroupWrite() {
  const seed = withBroadConsent(defaultSeed());
  seed.apps[0]!.delegatedScopes.push('Group.ReadWrite.All');
  return seed;
}

/** Edits made in the cloud while a group is cloud-managed, as the audit log records them. */
describe('fake tenant: cloud edits of a group (property writes, members added) and their audit entries', () => {
  let ft: FakeTenant;
  before(async () => {
    ft = await startTestTenant({ seed: seedWithGroupWrite() });
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset', seedWithGroupWrite());
  });

  it('refused while AD manages the group; after the switch both edits are made and audited', async () => {
    const adele = await graphAs(ft, USER.adele);
    const members = `/groups/${GROUP.secGroup2}/members/$ref`;
    const refused = await rejection(() => adele.api(members).post(ref(PRADEEP)));
    assert.equal(refused.statusCode, 400);
    assert.match(refused.message, /on-premises mastered Directory Sync objects/);
    assert.ok(!ft.tenant.groups.get(GROUP.secGroup2)!.members.includes(PRADEEP), 'nothing changed');

    const alex = await graphAs(ft, USER.alex);
    await alex.api(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`).patch({ isCloudManaged: true });
    await adele.api(`/groups/${GROUP.secGroup2}`).patch({ description: 'edited in the cloud' });
    await adele.api(members).post(ref(PRADEEP));
    const listed = await alex.api(`/groups/${GROUP.secGroup2}/members/microsoft.graph.user`).get();
    assert.ok((listed.value as Array<{ id: string }>).some((u) => u.id === PRADEEP));

    const entries = (await alex
      .api('/auditLogs/directoryAudits')
      .filter(`targetResources/any(t:t/id eq '${GROUP.secGroup2}')`)
      .orderby('activityDateTime asc')
      .get()) as { value: Array<Record<string, any>> };
    assert.deepEqual(
      entries.value.map((a) => a.activityDisplayName),
      ['Change Source of Authority from AD to cloud', 'Update group', 'Add member to group'],
    );
    const [, update, add] = entries.value;
    assert.equal(update!.initiatedBy.user.id, USER.adele);
    assert.deepEqual(update!.targetResources[0].modifiedProperties, [
      { displayName: 'Description', oldValue: '[null]', newValue: '["edited in the cloud"]' },
    ]);
    // Entra lists the member first, then the group it was added to.
    assert.deepEqual(
      add!.targetResources.map((t: { id: string; type: string }) => [t.id, t.type]),
      [
        [PRADEEP, 'User'],
        [GROUP.secGroup2, 'Group'],
      ],
    );
  });

  it('bad member references change nothing: a duplicate, an unknown object, a malformed body', async () => {
    const adele = await graphAs(ft, USER.adele);
    const members = `/groups/${GROUP.cloudOnlyEngineering}/members/$ref`;
    const before = [...ft.tenant.groups.get(GROUP.cloudOnlyEngineering)!.members];
    await adele.api(members).post(ref(USER.isaiah));
    const dup = await rejection(() => adele.api(members).post(ref(USER.isaiah)));
    assert.equal(dup.statusCode, 400);
    assert.match(dup.message, /already exist/);
    const unknown = await rejection(() => adele.api(members).post(ref('00000000-0000-4000-8000-0000000000ff')));
    assert.equal(unknown.statusCode, 404);
    const bad = await rejection(() => adele.api(members).post({ id: USER.lee }));
    assert.equal(bad.statusCode, 400);
    const mail = await rejection(() => adele.api(`/groups/${GROUP.financeDl}/members/$ref`).post(ref(USER.lee)));
    assert.match(mail.message, /mail-enabled/);
    assert.deepEqual(ft.tenant.groups.get(GROUP.cloudOnlyEngineering)!.members, [...before, USER.isaiah]);
    const lee = await graphAs(ft, USER.lee);
    assert.equal((await rejection(() => lee.api(members).post(ref(USER.lee)))).statusCode, 403, 'no group role');
  });
});
