/**
 * A readiness scan survives its bot: the process is killed (SIGKILL) between two hops, a new one
 * starts on the same storage (a SQLite file; Blob Storage and Storage Queues in Azurite), and the
 * scan goes on from the cursor it stored, says so on its card, and finishes with the report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { cardOf, cardText, TestChannel, type Outbound } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people } from '../support/stack';

const deltaReads = async (ft: FakeTenant) =>
  (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter(
    (e) => e.method === 'GET' && e.path.endsWith('/groups/delta'),
  );

for (const storage of ['SQLite', 'Blob Storage'] as const)
  describe(`bot: a readiness scan resumed after its process is killed (${storage})`, function () {
    this.timeout(120_000);
    let ft: FakeTenant;
    let dir: string;
    let az: Azurite | null = null;
    let channel: TestChannel;
    let bot: BotProcess | null = null;

    before(async () => {
      ft = await startTestTenant();
      dir = mkdtempSync(join(tmpdir(), 'soa-readiness-'));
      if (storage === 'Blob Storage') az = await startAzurite();
    });

    after(async () => {
      await bot?.kill();
      await channel?.stop();
      await ft.close();
      await az?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('goes on from its stored cursor, says it resumed, and finishes with every group', async () => {
      const env = {
        FAKE_TENANT_PORT: String(ft.port),
        STORE_FILE: join(dir, 'requests.sqlite'),
        ...(az
          ? {
              STORAGE: 'blob',
              AZURE_STORAGE_CONNECTION_STRING: az.connectionString,
              STORAGE_CONTAINER: 'readiness',
              STORAGE_QUEUE: 'readiness',
            }
          : {}),
      };
      // One group a page, each slow: a hop (3 s) ends after a few pages, long before the last.
      await admin(ft, 'PUT', '/_fake/settings', { deltaPageGroups: 1 });
      await admin(ft, 'POST', '/_fake/faults', { match: '/groups/delta', delayMs: 700, count: 100 });
      bot = await startBotProcess(env);
      channel = await new TestChannel(bot.url).start();
      await channel.say(people.megan, 'readiness', { kind: 'channel', key: 'restart' });
      const posted = await channel.waitFor((o) => /^Reading groups/.test(cardText(cardOf(o))), 15_000);
      const onCard = (pattern: RegExp, since = 0) =>
        channel.waitFor(
          (o: Outbound) => o.kind === 'update' && o.targetId === posted.id && pattern.test(cardText(cardOf(o))),
          60_000,
          since,
        );
      const progress = await onCard(/^Reading groups: \d+ of 13/);
      const readBefore = Number(/^Reading groups: (\d+)/.exec(cardText(cardOf(progress)))![1]);
      assert.ok(readBefore > 0 && readBefore < 13, cardText(cardOf(progress)));

      await bot.kill('SIGKILL');
      const before = (await deltaReads(ft)).length;
      await admin(ft, 'DELETE', '/_fake/faults');
      const since = channel.outbound.length;
      bot = await startBotProcess(env);
      channel.botUrl = bot.url;

      const resumed = await onCard(/Resumed at/, since);
      assert.match(cardText(cardOf(resumed)), /^Reading groups/);
      const done = await onCard(/^Readiness report(?! cancelled| failed)/, since);
      assert.match(cardText(cardOf(done)), /11 groups synced from AD of 13 read/);
      const after = (await deltaReads(ft)).slice(before);
      assert.ok(after.length > 0);
      assert.ok(
        after.every((e) => /skiptoken/i.test(e.query)),
        `no page read again from the start: ${after.map((e) => e.query.slice(0, 40)).join(' | ')}`,
      );
    });
  });
