/**
 * The fault plan of the fault-injection runs: a seeded generator and the faults it draws, at
 * every edge (Graph 429/503 and slow answers past the deadline, the token endpoint, the audit
 * log, Bot Connector posts), plus the two driver behaviours (double click, an approver who must
 * first pass MFA). Graph faults go through the fake tenant's fault API, so they reach every bot
 * process that uses it; Bot Connector faults are the test channel's.
 */
import { largeSeed, prng } from '../../src/fake-tenant/large-seed';
import type { Seed } from '../../src/fake-tenant/model';
import type { FakeTenant } from '../../src/fake-tenant/server';
import type { TestChannel } from './connector';
import { admin } from './fake-tenant';

export const FAULT_KINDS = [
  'patch429',
  'patch503',
  'patchStorm',
  'readSlow',
  'read503',
  'audit503',
  'batch503',
  'token503',
  'connector503',
  'connector403',
  'mfaApprover',
  'doubleClick',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** The tenant of a run: enough synced groups, none cloud-managed yet. */
export function faultTenantSeed(requests: number): Seed {
  return largeSeed({ groups: requests + 20, users: 10, depth: 2, breadth: 40, cloudManagedShare: 0, randomSeed: 7 });
}

/**
 * The bot settings of a run, in-process or as its own process: a short Graph deadline (so a
 * slow answer runs past it), a short audit wait, and eight jobs at once instead of four (a job
 * whose Bot Connector post is retried holds its slot for seconds; with four, the approved work
 * of a run queues for most of a minute behind them).
 */
export const FAULT_BOT_ENV: Record<string, string> = {
  GRAPH_TIMEOUT_SECONDS: '0.5',
  AUDIT_POLL_TIMEOUT_MIN: '0.1',
  AUDIT_POLL_MAX_DELAY_MS: '200',
  WORKER_CONCURRENCY: '8',
};

export class FaultPlan {
  readonly injected = new Map<FaultKind, number>();
  private readonly rnd: () => number;

  constructor(
    readonly seed: number,
    private readonly tenant: FakeTenant,
    private readonly channel: TestChannel,
  ) {
    this.rnd = prng(seed);
  }

  /** The next draw in [0, 1). */
  roll(): number {
    return this.rnd();
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  /** Draws a fault for this group's request and arms it; the driver acts out the last two kinds. */
  async inject(groupId: string): Promise<FaultKind> {
    const kind = this.pick(FAULT_KINDS);
    const sob = `/groups/${groupId}/onPremisesSyncBehavior$`;
    const graph = (fault: Record<string, unknown>) => admin(this.tenant, 'POST', '/_fake/faults', fault);
    switch (kind) {
      case 'patch429':
        await graph({
          match: sob,
          method: 'PATCH',
          status: 429,
          retryAfter: this.pick([0, 1]),
          count: 1 + Math.floor(this.rnd() * 3),
        });
        break;
      case 'patch503':
        await graph({ match: sob, method: 'PATCH', status: 503, count: 1 + Math.floor(this.rnd() * 3) });
        break;
      // Beyond every retry: this request must end failed, with nothing switched.
      case 'patchStorm':
        await graph({ match: sob, method: 'PATCH', status: 429, retryAfter: 0, count: 100 });
        break;
      case 'readSlow':
        await graph({ match: sob, method: 'GET', delayMs: 1200, count: 1 });
        break;
      case 'read503':
        await graph({ match: sob, method: 'GET', status: 503, count: 2 });
        break;
      case 'audit503':
        await graph({ match: '/auditLogs/directoryAudits$', status: 503, count: 2 });
        break;
      case 'batch503':
        await graph({ match: '/\\$batch$', status: 503, retryAfter: 0, count: 1 });
        break;
      case 'token503':
        await graph({ match: '/oauth2/v2\\.0/token$', status: 503, count: 1 });
        break;
      case 'connector503':
        this.channel.failNext(1 + Math.floor(this.rnd() * 2), 503);
        break;
      case 'connector403':
        this.channel.failNext(1, 403, { kinds: ['send', 'reply'] });
        break;
      case 'mfaApprover':
      case 'doubleClick':
        break;
    }
    this.injected.set(kind, (this.injected.get(kind) ?? 0) + 1);
    return kind;
  }
}
