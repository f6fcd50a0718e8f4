import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

/** After a move, the bot looks at the next sync cycles: still cloud-managed? AD edits skipped? */
describe('bot: post-switch watch over the next sync cycles', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
    await admin(s.tenant, 'PUT', '/_fake/settings', { syncClient: 'cloudSync' });
  });

  it(
    'reports the skipped AD-side edits after the first cycle, ' + 'and drift when AD takes the group over at the next',
    async () => {
      const { msg, data } = await requestCard(s);
      await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
      // Someone keeps editing the group in AD after the switch.
      assert.equal(
        (
          await admin(s.tenant, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup2}`, {
            description: 'edited in AD after the switch',
          })
        ).status,
        200,
      );
      let since = s.channel.outbound.length;
      await admin(s.tenant, 'POST', '/_fake/sync');
      const first = await s.channel.waitFor(
        (o) => /Sync cycle at|Drift after/.test(o.activity.text ?? ''),
        10_000,
        since,
      );
      assert.match(
        first.activity.text,
        new RegExp(
          String.raw`\*\*SecGroup2\*\* stayed cloud-managed; the sync client skipped it\. AD-side ` +
            String.raw`changes were skipped and are not in the cloud: SecGroup2 \(description\)`,
        ),
      );

      // Something outside the bot hands the group back to AD: the next cycle takes it over.
      const g = s.tenant.tenant.groups.get(GROUP.secGroup2)!;
      g.isCloudManaged = false;
      since = s.channel.outbound.length;
      await admin(s.tenant, 'POST', '/_fake/sync');
      const second = await s.channel.waitFor(
        (o) => /Sync cycle at|Drift after/.test(o.activity.text ?? ''),
        10_000,
        since,
      );
      assert.match(
        second.activity.text,
        /⚠️ Drift after the sync cycle at .*: SecGroup2 is synced from AD again \(taken over\)/,
      );
      // The first cycle's skip is not reported again: the window starts at that cycle.
      assert.doesNotMatch(second.activity.text, /skipped and are not in the cloud/);
      const req = (await s.bot.service.get(String(data.requestId)))!;
      assert.equal(req.watch?.cycles, 2);
      assert.deepEqual(req.watch?.takenOver, [GROUP.secGroup2]);
    },
  );

  it('on Connect Sync, a skipped AD-side edit is not in the provisioning log; the line says so', async () => {
    assert.equal((await admin(s.tenant, 'PUT', '/_fake/settings', { syncClient: 'connectSync' })).status, 200);
    const from = s.channel.outbound.length;
    const { msg, data } = await requestCard(s);
    await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 10_000, from);
    await admin(s.tenant, 'PATCH', `/_fake/ad/groups/${GROUP.secGroup2}`, { description: 'edited in AD' });
    const since = s.channel.outbound.length;
    const cycle = await admin<{ events: Array<{ groupId: string; outcome: string; eventId?: number }> }>(
      s.tenant,
      'POST',
      '/_fake/sync',
    );
    // The sync server skipped the edit (event 6956), and Graph has no trace of it.
    assert.deepEqual(
      cycle.body.events.filter((e) => e.groupId === GROUP.secGroup2).map((e) => [e.outcome, e.eventId]),
      [['skipped', 6956]],
    );
    assert.deepEqual(s.tenant.tenant.provisioningLog, []);
    const line = await s.channel.waitFor((o) => /Sync cycle at|Drift after/.test(o.activity.text ?? ''), 10_000, since);
    assert.doesNotMatch(line.activity.text, /No AD-side edits were skipped/);
    assert.match(
      line.activity.text,
      new RegExp(
        String.raw`\*\*SecGroup2\*\* stayed cloud-managed; the sync client skipped it\. The provisioning log ` +
          String.raw`has no entry since the switch for \*\*SecGroup2\*\*: if Cloud Sync syncs it, no AD-side ` +
          String.raw`edit was skipped\. Connect Sync records skipped edits only as event 6956 on the sync ` +
          String.raw`server, which Graph does not show\.$`,
      ),
    );
  });
});
