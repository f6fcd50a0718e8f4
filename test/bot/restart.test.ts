import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, TestChannel } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people, startStack } from '../support/stack';

describe('bot: state survives a restart', () => {
  it('a request made before a restart is approved after it; a rollback watch resumes after a restart', async () => {
    const ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    const dir = mkdtempSync(join(tmpdir(), 'soa-restart-'));
    const env = { STORE_FILE: join(dir, 'requests.sqlite') };
    try {
      const channel = await new TestChannel('').start();
      let s = await startStack(env, ft, channel);
      await s.channel.say(people.alex, 'move SecGroup2 to cloud');
      const msg = await s.channel.waitFor((o) => !!cardOf(o));
      const data = actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data;
      await s.stop();
      s = await startStack(env, ft, channel);
      const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
      assert.match(cardText(r.card), /Approved by Megan Bowen/);
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));

      await s.channel.say(people.alex, 'rollback SOAGroup3');
      const rb = await s.channel.waitFor((o) => !!cardOf(o) && /Roll back to AD: SOAGroup3/.test(cardText(cardOf(o))));
      const rbData = actions(cardOf(rb)).find((a) => a.verb === 'approve')!.data;
      await s.channel.click(people.megan, rb.id, 'approve', { ...rbData, ackSyncVersions: 'true' });
      await s.channel.waitFor((o) => /the next sync cycle will take it over/.test(o.activity.text ?? ''));
      // Stop while the bot watches for the take-over; the next start resumes the watch.
      await s.stop();

      s = await startStack({ ...env, SYNC_WATCH_TIMEOUT_MIN: '5' }, ft, channel);
      await admin(ft, 'POST', '/_fake/sync');
      const done = await s.channel.waitFor((o) => /managed in AD again/.test(o.activity.text ?? ''));
      assert.match(done.activity.text, /SOAGroup3/);
      assert.equal(ft.tenant.groups.get(GROUP.soaGroup3)!.onPremisesSyncEnabled, true);
      await s.stop();
      await channel.stop();
    } finally {
      await ft.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
