import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { GROUP } from '../../src/fake-tenant/seed';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { actions, cardOf, cardText, TestChannel } from '../support/connector';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { admin, eventually, startTestTenant } from '../support/fake-tenant';
import { people } from '../support/stack';

const soaPath = `/groups/${GROUP.secGroup2}/onPremisesSyncBehavior`;

describe('crash recovery: a bot process killed (SIGKILL) at each step of execution', function () {
  this.timeout(120_000);
  let ft: FakeTenant;
  let dir: string;
  let channel: TestChannel;
  let bot: BotProcess | null = null;
  let env: Record<string, string>;

  beforeEach(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 300 } });
    dir = mkdtempSync(join(tmpdir(), 'soa-crash-'));
    env = { FAKE_TENANT_PORT: String(ft.port), STORE_FILE: join(dir, 'requests.sqlite') };
    bot = await startBotProcess(env);
    channel = await new TestChannel(bot.url).start();
  });

  afterEach(async () => {
    await bot?.kill();
    await channel.stop();
    await ft.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function approveRequest(): Promise<void> {
    await channel.say(people.alex, 'move SecGroup2 to cloud', { kind: 'channel' });
    const msg = await channel.waitFor((o) => !!cardOf(o) && /waiting for approval/.test(cardText(cardOf(o))));
    const data = { ...actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
    const click = await channel.click(people.megan, msg.id, 'approve', data, {
      kind: 'channel',
      conversationId: String(msg.conversationId),
    });
    assert.match(cardText(click.card), /Approved by Megan Bowen/);
  }

  async function faultsLeft(): Promise<number> {
    return (await admin<Array<{ remaining: number }>>(ft, 'GET', '/_fake/faults')).body.reduce(
      (n, f) => n + f.remaining,
      0,
    );
  }

  async function killAndRestart(): Promise<void> {
    await bot!.kill('SIGKILL');
    bot = await startBotProcess(env);
    channel.botUrl = bot.url;
  }

  async function finishesOnce(): Promise<void> {
    await channel.waitFor((o) => /Audit log: \*\*Change Source of Authority/.test(o.activity.text ?? ''), 30_000);
    await channel.waitFor((o) => o.kind === 'update' && /Completed/.test(cardText(cardOf(o))), 30_000);
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
    assert.equal(log.filter((e) => e.method === 'PATCH' && e.path.endsWith(soaPath)).length, 1, 'exactly one PATCH');
    assert.equal(
      channel.outbound.filter((o) => /Audit log:/.test(o.activity.text ?? '')).length,
      1,
      'one confirmation',
    );
    assert.equal(ft.tenant.groups.get(GROUP.secGroup2)!.isCloudManaged, true);
  }

  it('after approval, before the write', async () => {
    // Hold the re-check so the process is mid-execution when it dies.
    await admin(ft, 'POST', '/_fake/faults', { match: `${soaPath}$`, method: 'GET', delayMs: 5000, count: 1 });
    await approveRequest();
    await eventually(async () => ((await faultsLeft()) === 0 ? true : undefined), 10_000);
    await killAndRestart();
    await finishesOnce();
  });

  it('after the PATCH was sent (it takes effect while the process is dead): not repeated', async () => {
    await admin(ft, 'POST', '/_fake/faults', { match: `${soaPath}$`, method: 'PATCH', delayMs: 1500, count: 1 });
    await approveRequest();
    await eventually(async () => ((await faultsLeft()) === 0 ? true : undefined), 10_000);
    await killAndRestart();
    await finishesOnce();
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
    assert.ok(
      log.some((e) => e.method === 'GET' && e.path.endsWith(soaPath) && e.userId === people.megan.aadObjectId),
      'read before deciding not to write',
    );
  });

  it('while polling the audit log', async () => {
    await admin(ft, 'PUT', '/_fake/settings', { auditDelayMs: 3000 });
    await approveRequest();
    await channel.waitFor((o) => /Waiting for the audit log entry/.test(o.activity.text ?? ''), 15_000);
    await killAndRestart();
    await finishesOnce();
  });
});
