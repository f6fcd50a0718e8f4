/**
 * Full stack: a switch scheduled a few seconds ahead, approved at once, runs at its time and not
 * before, exactly once, although both bot processes sharing Azurite are stopped and started
 * again in between (the schedule is a stored request carried by the work queue).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { GROUP } from '../../src/fake-tenant/seed';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { actions, cardOf, cardText, TestChannel } from '../support/connector';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people } from '../support/stack';

/** Far enough ahead for the request, its approval and (on an idle machine) a restart of both processes. */
const AHEAD_S = 20;

describe('scheduled switches: durable and exactly once across a restart and two instances', function () {
  this.timeout(90_000);
  let ft: FakeTenant;
  let az: Azurite;
  let bots: BotProcess[] = [];
  let channel: TestChannel;
  let env: Record<string, string>;

  before(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 300 } });
    az = await startAzurite();
    const suffix = randomUUID().slice(0, 8);
    env = {
      FAKE_TENANT_PORT: String(ft.port),
      STORAGE: 'blob',
      AZURE_STORAGE_CONNECTION_STRING: az.connectionString,
      STORAGE_CONTAINER: `requests-${suffix}`,
      STORAGE_QUEUE: `work-${suffix}`,
      CHANGE_TIMEZONE: 'Europe/Berlin',
    };
    bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
    channel = await new TestChannel(bots[0]!.url).start();
  });

  after(async () => {
    for (const b of bots) await b.kill();
    await channel?.stop();
    await az?.stop();
    await ft?.close();
  });

  const patchesOf = async (groupId: string) =>
    (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter(
      (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${groupId}/onPremisesSyncBehavior`),
    );

  it('runs at its time, not before, once: both processes restarted after the approval', async () => {
    const askedAt = Date.now();
    await channel.say(people.alex, `move SecGroup2 to cloud in ${AHEAD_S} seconds`, { kind: 'channel' });
    const msg = await channel.waitFor((o) => !!cardOf(o) && /waiting for approval/.test(cardText(cardOf(o))));
    assert.match(cardText(cardOf(msg)), /scheduled for \w{3} \d+ \w{3} \d\d:\d\d Europe\/Berlin \(\d\d:\d\d UTC\)/);
    const data = { ...actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
    const click = await channel.click(people.megan, msg.id, 'approve', data, {
      kind: 'channel',
      conversationId: String(msg.conversationId),
      botUrl: bots[1]!.url,
    });
    assert.equal(click.status, 200);
    await channel.waitFor((o) => /approved by Megan Bowen; it runs at/.test(o.activity.text ?? ''));
    assert.deepEqual(await patchesOf(GROUP.secGroup2), [], 'approved, not run');

    // Both processes stop and start again (the time has not come); the queue and the store are Azurite's.
    await Promise.all(bots.map((b) => b.kill()));
    assert.ok(Date.now() < askedAt + AHEAD_S * 1000, 'both processes stopped before its time');
    bots = await Promise.all([startBotProcess(env), startBotProcess(env)]);
    // Started again (on a loaded machine perhaps only after its time): the new processes find the
    // request and its job in Azurite; when they are up before the time, they hold it until then.

    const started = await channel.waitFor((o) => /starting now, as scheduled for/.test(o.activity.text ?? ''), 30_000);
    assert.ok(started);
    await channel.waitFor((o) => /Audit log: \*\*Change Source of Authority/.test(o.activity.text ?? ''), 30_000);
    const patches = await patchesOf(GROUP.secGroup2);
    assert.equal(patches.length, 1, 'exactly one PATCH');
    assert.ok(
      Date.parse(patches[0]!.at) >= askedAt + AHEAD_S * 1000,
      `not before its time: PATCH at ${patches[0]!.at}, asked at ${new Date(askedAt).toISOString()}`,
    );
    assert.equal(channel.outbound.filter((o) => /starting now/.test(o.activity.text ?? '')).length, 1);
  });
});
