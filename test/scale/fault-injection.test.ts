import type { FakeTenant } from '../../src/fake-tenant/server';
import { startTestTenant } from '../support/fake-tenant';
import { assertInvariants, printFigures } from '../support/fault-invariants';
import { FAULT_BOT_ENV, faultTenantSeed } from '../support/fault-plan';
import { runFaultInjection } from '../support/fault-run';
import { startStack, type Stack } from '../support/stack';

/**
 * The fault-injection run on SQLite: 220 requests driven through one bot while random faults
 * are injected at every edge (Graph 429/503 and slow answers past the deadline, the token
 * endpoint, the audit log, Bot Connector posts), with double clicks and clicks by an approver
 * who must first pass MFA. It ends with the counts and the invariants: every request is in a
 * final or resumable state, no switch without a recorded approval, no duplicate switch, no
 * lost request. The random choices come from a seeded generator (FAULT_SEED to change it); with
 * several requests in flight the order of the draws follows timing, so the mix varies a little.
 * The same run on Blob Storage with two bot processes is fault-injection-blob.test.ts.
 */
const REQUESTS = Number(process.env.FAULT_REQUESTS ?? 220);
const SEED = Number(process.env.FAULT_SEED ?? 20261128);

describe('fault injection: 220 requests through random faults', function () {
  this.timeout(240_000);
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({ seed: faultTenantSeed(REQUESTS), settings: { auditDelayMs: 20 } });
    s = await startStack(FAULT_BOT_ENV, ft);
  });
  after(async () => {
    s?.channel.clearFaults();
    await s?.stop();
    await ft?.close();
  });

  it('ends with every request final or resumable, no unapproved or duplicate switch, nothing lost', async () => {
    const verdict = await runFaultInjection(
      {
        tenant: ft,
        channel: s.channel,
        route: () => s.channel.botUrl,
        requests: async (ids) => (await Promise.all(ids.map((id) => s.bot.service.forGroup(id)))).flat(),
      },
      { requests: REQUESTS, seed: SEED, concurrency: 8, settleMs: 150_000 },
    );
    printFigures(`SQLite, one bot, seed ${SEED}`, verdict.figures);
    assertInvariants(verdict, REQUESTS);
  });
});
