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
      const req = (await s.bot.service.get(String(data.requestId)))!;
      assert.equal(req.watch?.cycles, 2);
      assert.deepEqual(req.watch?.takenOver, [GROUP.secGroup2]);
    },
  );
});
