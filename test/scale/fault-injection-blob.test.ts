import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { SoaRequest } from '../../src/domain/request';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { BlobRequestStore } from '../../src/infra/storage/blob-store';
import { startAzurite, type Azurite } from '../support/azurite';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { TestChannel } from '../support/connector';
import { startTestTenant } from '../support/fake-tenant';
import { assertInvariants, printFigures } from '../support/fault-invariants';
import { FAULT_BOT_ENV, faultTenantSeed } from '../support/fault-plan';
import { runFaultInjection } from '../support/fault-run';

/**
 * The fault-injection run on the scale-out store: the same driver, faults and invariants as
 * fault-injection.test.ts, on Blob Storage and Storage queues (Azurite) with two bot
 * processes. The channel spreads messages and clicks over both; when half the requests have
 * started, one process is killed with SIGKILL and started again on a new port, and the channel
 * routes to the live ones meanwhile. It drives FAULT_BLOB_REQUESTS requests: by default 40
 * within `npm test` (to keep its wall time), 220 within `npm run test:faults`.
 */
const REQUESTS = Number(
  process.env.FAULT_BLOB_REQUESTS ?? (process.env.npm_lifecycle_event === 'test:faults' ? 220 : 40),
);
const SEED = Number(process.env.FAULT_SEED ?? 20261128);
const WORKING: SoaRequest['state'][] = ['approved', 'executing', 'awaiting_audit'];

describe(`fault injection on Blob Storage: ${REQUESTS} requests, two bot processes, one killed`, function () {
  this.timeout(120_000 + REQUESTS * 1500);
  let ft: FakeTenant;
  let az: Azurite;
  let store: BlobRequestStore;
  let env: Record<string, string>;
  const bots: BotProcess[] = [];
  let live: BotProcess[] = [];
  let channel: TestChannel;

  before(async () => {
    ft = await startTestTenant({ seed: faultTenantSeed(REQUESTS), settings: { auditDelayMs: 20 } });
    az = await startAzurite();
    const suffix = randomUUID().slice(0, 8);
    env = {
      ...FAULT_BOT_ENV,
      FAKE_TENANT_PORT: String(ft.port),
      STORAGE: 'blob',
      // Two instances: each paces its posts at half of Teams' rates.
      BOT_INSTANCES: '2',
      AZURE_STORAGE_CONNECTION_STRING: az.connectionString,
      STORAGE_CONTAINER: `requests-${suffix}`,
      STORAGE_QUEUE: `work-${suffix}`,
      // As in the in-process run: answers must not depend on the machine's load, and the
      // tenant is read afresh for every card.
      CLICK_ANSWER_BUDGET_MS: '5000',
      TENANT_CACHE_SECONDS: '0',
    };
    bots.push(...(await Promise.all([startBotProcess(env), startBotProcess(env)])));
    live = [...bots];
    channel = await new TestChannel(bots[0]!.url).start();
    store = new BlobRequestStore(az.connectionString, env.STORAGE_CONTAINER!);
  });

  after(async () => {
    channel?.clearFaults();
    for (const b of bots) await b.kill();
    await channel?.stop();
    await az?.stop();
    await ft?.close();
  });

  /**
   * Kills `victim` with SIGKILL; returns the requests in execution or waiting for their audit
   * entry at that moment, and how many of them the victim was the last to hold.
   */
  async function kill(victim: BotProcess): Promise<{ working: number; lastHeldByKilled: number }> {
    const working = await store.list({ states: WORKING, limit: 1000 });
    await victim.kill('SIGKILL');
    // The channel learns it is gone from the failed posts meanwhile; from now on it routes around it.
    live = live.filter((b) => b !== victim);
    const pid = `-${victim.child.pid}-`;
    return { working: working.length, lastHeldByKilled: working.filter((r) => r.lease?.owner.includes(pid)).length };
  }

  it('ends with every request final or resumable, no unapproved or duplicate switch, nothing lost', async () => {
    let turn = 0;
    const crash: { done?: Promise<{ working: number; lastHeldByKilled: number; restartedAfterMs: number }> } = {};
    const verdict = await runFaultInjection(
      {
        tenant: ft,
        channel,
        route: () => live[turn++ % live.length]!.url,
        // One group's requests (a card looked up), or every request of the run in one listing.
        requests: async (ids) => {
          if (ids.length === 1) return store.list({ groupId: ids[0]!, includeArchived: true, limit: 10 });
          const wanted = new Set(ids);
          return (await store.list({ includeArchived: true, limit: 100_000 })).filter((r) => wanted.has(r.groupId));
        },
        starting: (i) => {
          if (i !== Math.floor(REQUESTS / 2) || crash.done) return;
          crash.done = (async () => {
            const held = await kill(bots[1]!);
            const down = Date.now();
            const fresh = await startBotProcess(env);
            bots.push(fresh);
            live.push(fresh);
            return { ...held, restartedAfterMs: Date.now() - down };
          })();
        },
      },
      {
        requests: REQUESTS,
        seed: SEED,
        concurrency: 8,
        settleMs: 150_000,
        afterDrive: async () => void (await crash.done),
      },
    );
    assert.ok(crash.done, 'an instance was killed');
    const killed = await crash.done;
    printFigures(`Blob Storage, two bots, one SIGKILLed, seed ${SEED}`, {
      ...verdict.figures,
      killed: { atRequest: Math.floor(REQUESTS / 2), ...killed },
    });
    try {
      assertInvariants(verdict, REQUESTS);
    } catch (e) {
      // What the bots (0 and 1, then 1's restart) logged about the requests left unfinished.
      const logged = (id: string) =>
        bots.flatMap((b, n) =>
          b
            .output()
            .split('\n')
            .filter((l) => l.includes(id))
            .map((l) => `bot ${n}: ${l}`),
        );
      for (const line of verdict.stuck) for (const l of logged(line.split(' ')[0]!)) console.log(`      ${l}`);
      throw e;
    }
  });
});
