/** The whole local stack for bot tests: fake tenant, the bot on a free port, a test channel. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config';
import { startBot, type RunningBot } from '../../src/index';
import type { Clock } from '../../src/ports/clock';
import { silentLogger } from '../../src/ports/logger';
import { pinoLogger } from '../../src/infra/logging';
import type { FakeTenant } from '../../src/fake-tenant/server';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, LOCAL_TENANT_ID } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, TestChannel, type Outbound, type User } from './connector';
import { admin, startTestTenant } from './fake-tenant';

export const people = {
  alex: { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  megan: { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  adele: { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  lee: { aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' },
  isaiah: { aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Isaiah Langer' },
} satisfies Record<string, User>;

/** A clock whose "now" can be moved forward; sleeps are real but short in tests. */
export class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.min(ms, 50)));
  }
}

export interface Stack {
  tenant: FakeTenant;
  bot: RunningBot;
  channel: TestChannel;
  clock: TestClock;
  config: Config;
  graphRequests(filter?: (e: RequestLogEntry) => boolean): Promise<RequestLogEntry[]>;
  stop(): Promise<void>;
}

/**
 * The fake tenant, the bot and a test channel. The channel enforces Teams' rate and size limits;
 * `TEAMS_LIMITS: 'off'` in `env` asks for a channel that accepts everything (not a bot setting).
 */
export async function startStack(
  env: Record<string, string> = {},
  tenant?: FakeTenant,
  existingChannel?: TestChannel,
): Promise<Stack> {
  const ft = tenant ?? (await startTestTenant({ settings: { auditDelayMs: 150 } }));
  const dir = mkdtempSync(join(tmpdir(), 'soa-bot-'));
  const { TEAMS_LIMITS: limits, ...botEnv } = env;
  const config = loadConfig(
    {
      AAD_APP_CLIENT_ID: LOCAL_BOT_APP_ID,
      AAD_APP_CLIENT_SECRET: LOCAL_BOT_SECRET,
      AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
      FAKE_TENANT_URL: ft.url,
      PORT: '0',
      STORE_FILE: join(dir, 'requests.sqlite'),
      AUDIT_POLL_FIRST_DELAY_MS: '20',
      AUDIT_POLL_MAX_DELAY_MS: '50',
      SYNC_WATCH_INTERVAL_MS: '20',
      WORKER_POLL_MS: '20',
      LEASE_SECONDS: '1',
      JOB_VISIBILITY_SECONDS: '2',
      // Clicks answer with their card unless the decision takes this long (the default 700 ms
      // is exercised in slow-click.test.ts); a loaded test machine must not change answers.
      CLICK_ANSWER_BUDGET_MS: '5000',
      // Tests change the tenant between cards; the 60 s default reuse is exercised in tokens.test.ts.
      TENANT_CACHE_SECONDS: '0',
      ...botEnv,
    },
    dir,
  );
  const clock = new TestClock();
  const bot = await startBot(config, { logger: process.env.BOT_TEST_LOG ? pinoLogger() : silentLogger, clock });
  // A restarted bot keeps talking to the same channel (its serviceUrl is in stored requests).
  const channel =
    existingChannel ?? (await new TestChannel(bot.http.url, limits === 'off' ? { limits: 'off' } : {}).start());
  channel.botUrl = bot.http.url;
  return {
    tenant: ft,
    bot,
    channel,
    clock,
    config,
    graphRequests: async (filter = () => true) =>
      (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body.filter(filter),
    stop: async () => {
      await bot.close();
      if (!existingChannel) await channel.stop();
      if (!tenant) await ft.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `who` asks for a change; resolves with the approval card and its Approve data (request id
 * and version), plus `extra` (for example the ticked sync-version acknowledgement).
 */
export async function requestCard(
  s: Stack,
  text = 'move SecGroup2 to cloud',
  who: User = people.alex,
  extra: Record<string, unknown> = {},
): Promise<{ msg: Outbound; data: Record<string, unknown> }> {
  const since = s.channel.outbound.length;
  await s.channel.say(who, text);
  const msg = await s.channel.waitFor(
    (o) => !!cardOf(o) && /waiting for approval/.test(cardText(cardOf(o))),
    10_000,
    since,
  );
  return { msg, data: { ...actions(cardOf(msg)).find((a) => a.verb === 'approve')!.data, ...extra } };
}

/** `who` says `said` in the channel; what the bot sent in answer, once the turn is done. */
export async function answersTo(s: Stack, said: string, who: User = people.alex): Promise<Outbound[]> {
  const since = s.channel.outbound.length;
  const r = await s.channel.say(who, said, { kind: 'channel' });
  if (r.status !== 200) throw new Error(`the bot answered HTTP ${r.status} to "${said}"`);
  return s.channel.outbound.slice(since);
}

/** The SOA PATCHes the fake tenant received for a group. */
export function soaPatches(s: Stack, groupId: string): Promise<RequestLogEntry[]> {
  return s.graphRequests((e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${groupId}/onPremisesSyncBehavior`));
}
