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

describe('scale-out: two bot processes on one Azurite store', function () {
  this.timeout(120_000);
  let ft: FakeTenant;
  let az: Azurite;
  let bots: BotProcess[] = [];
  let channel: TestChannel;

  before(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 300 } });
    az = await startAzurite();
    const suffix = randomUUID().slice(0, 8);
    const env = {
      FAKE_TENANT_PORT: String(ft.port),
      STORAGE: 'blob',
      // Two instances: each paces its posts at half of Teams' rates.
      BOT_INSTANCES: '2',
      AZURE_STORAGE_CONNECTION_STRING: az.connectionString,
      STORAGE_CONTAINER: `requests-${suffix}`,
      STORAGE_QUEUE: `work-${suffix}`,
      // Megan (Hybrid Identity Administrator) and Adele (Groups Administrator) both approve.
      APPROVER_ROLES: 'Hybrid Identity Administrator,Groups Administrator',
      // 50 clicks at once on a machine running other suites beside this one: answers with the
      // card must not depend on the load (the 700 ms default is exercised in slow-click.test.ts).
      CLICK_ANSWER_BUDGET_MS: '5000',
    };
    bots = [await startBotProcess(env), await startBotProcess(env)];
    channel = await new TestChannel(bots[0]!.url).start();
  });

  after(async () => {
    for (const b of bots) await b.kill();
    await channel?.stop();
    await az?.stop();
    await ft?.close();
  });

  const title =
    '50 concurrent Approve clicks from two approvers across both processes: ' +
    'one PATCH, one confirmation, every click answered with the current card';
  it(title, async () => {
    await channel.say(people.alex, 'move SecGroup2 to cloud', { kind: 'channel' });
    const msg = await channel.waitFor((o) => !!cardOf(o) && /waiting for approval/.test(cardText(cardOf(o))));
    const data = { ...actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
    const clicks = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        channel.click(i % 2 ? people.megan : people.adele, msg.id, 'approve', data, {
          kind: 'channel',
          conversationId: String(msg.conversationId),
          botUrl: bots[Math.floor(i / 2) % 2]!.url,
        }),
      ),
    );
    // Each click is answered: with the current card, or (when the decision outlives the click's
    // 700 ms budget on a loaded machine) with the note that the card follows.
    for (const c of clicks) {
      assert.equal(c.status, 200);
      if (!c.card)
        assert.equal(
          c.message,
          'Checking your sign-in and roles with Entra ID; the card updates in a moment.',
          JSON.stringify(c.body).slice(0, 160),
        );
      // The card's outcome facts name the approver whatever state the request has reached.
      else assert.match(cardText(c.card), /Approved by \| (Megan Bowen|Adele Vance)/);
    }
    const cards = clicks.filter((c) => c.card);
    assert.ok(cards.length > 0, 'some clicks are answered with the card');
    const approvers = new Set(cards.map((c) => /Approved by \| (Megan Bowen|Adele Vance)/.exec(cardText(c.card))![1]));
    assert.equal(approvers.size, 1, 'everyone is shown the one approval that won');
    await channel.waitFor((o) => /Audit log: \*\*Change Source of Authority/.test(o.activity.text ?? ''), 30_000);
    await channel.waitFor((o) => o.kind === 'update' && /Completed/.test(cardText(cardOf(o))), 30_000);
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
    const patches = log.filter(
      (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`),
    );
    assert.equal(patches.length, 1, 'exactly one switch');
    assert.equal(
      channel.outbound.filter((o) => /Audit log:/.test(o.activity.text ?? '')).length,
      1,
      'one confirmation',
    );
    assert.equal(
      channel.outbound.filter((o) => /did not go through/.test(o.activity.text ?? '')).length,
      0,
      'no click was refused',
    );
  });
});
