/** Scenarios 5 and 6: 200 users at once on the store-only paths; start-up and RSS with 10,000 stored requests. */
import { defaultSeed } from '../src/fake-tenant/seed';
import { SqliteRequestStore } from '../src/infra/storage/sqlite-store';
import { cardOf, cardText, type User } from '../test/support/connector';
import {
  alex,
  cpuSeconds,
  environment,
  LATENCY,
  LOAD_SECONDS,
  peakRssMb,
  requestFor,
  rssMb,
  say,
  setLatency,
  stats,
  WARMUP_SECONDS,
  type Row,
} from './harness';

export async function scenario5(): Promise<Row> {
  // The bot's own throughput: 200 replies a second is four times Teams' 50 per second per
  // tenant, so the channel's limits are off here (scenario 8 measures the bot within them).
  const e = await environment(defaultSeed(), {}, undefined, { limits: 'off' });
  try {
    await setLatency(e, LATENCY);
    // One board to refresh, and a few requests so `status` has something to list.
    const since = await say(e, alex, 'board', 'load');
    const board = await e.channel.waitFor(
      (o) => /Group SOA requests in this conversation/.test(cardText(cardOf(o))),
      30_000,
      since,
    );
    await requestFor(e, 'SecGroup2', 'load');
    const users: User[] = Array.from({ length: 200 }, (_, i) => ({
      aadObjectId: [
        '00000000-0000-0000-0000-0000000000020',
        '00000000-0000-0000-0000-0000000000021',
        '00000000-0000-0000-0000-0000000000022',
        '00000000-0000-0000-0000-0000000000023',
        '00000000-0000-0000-0000-0000000000024',
      ][i % 5]!,
      name: `Load user ${i}`,
    }));
    /** Open model: each user acts once a second (starts spread over the first second), whether
     * or not their previous request has been answered, so a slow bot shows as latency. */
    async function drive(until: number, record: (ms: number, error?: string) => void): Promise<void> {
      await Promise.all(
        users.map(async (u, i) => {
          const first = Date.now() + (i * 1000) / users.length;
          const pending: Array<Promise<void>> = [];
          for (let k = 0; ; k++) {
            const due = first + k * 1000;
            if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
            if (Date.now() >= until) break;
            pending.push(one(u, i, k, record));
          }
          await Promise.all(pending);
        }),
      );
    }
    async function one(u: User, i: number, k: number, record: (ms: number, error?: string) => void): Promise<void> {
      const t0 = performance.now();
      try {
        if ((i + k) % 2 === 0) {
          const r = await e.channel.say(u, 'status', { kind: 'personal', key: `load-${i}` });
          record(performance.now() - t0, r.status === 200 ? undefined : `HTTP ${r.status}`);
        } else {
          const r = await e.channel.click(u, board.id, 'board', { board: 'x' }, { kind: 'channel', key: 'load' });
          record(
            performance.now() - t0,
            r.status === 200 && r.card ? undefined : `HTTP ${r.status}${r.card ? '' : ', no card'}`,
          );
        }
      } catch (err) {
        record(
          performance.now() - t0,
          err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message).slice(0, 60) : 'error',
        );
      }
    }
    const lat: number[] = [];
    let errors = 0;
    const errorKinds: Record<string, number> = {};
    // Warm-up (not measured): the same traffic for WARMUP_SECONDS, so JIT compilation and
    // connection set-up are not counted as the bot's latency.
    await drive(Date.now() + WARMUP_SECONDS * 1000, () => undefined);
    const cpu0 = cpuSeconds(e.bot.child.pid!);
    const end = Date.now() + LOAD_SECONDS * 1000;
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(e.bot.child.pid!));
    }, 250);
    await drive(end, (ms, error) => {
      lat.push(ms);
      if (error) {
        errors++;
        errorKinds[error] = (errorKinds[error] ?? 0) + 1;
      }
    });
    clearInterval(sampler);
    const s = stats(lat);
    return {
      scenario: `5 load: 200 users × 1 action/s (status, board refresh), ${LOAD_SECONDS} s`,
      floor: '≥ 200 req/s, p99 < 250 ms, 0 errors, RSS < 250 MB',
      wall: s,
      extra: {
        requests: lat.length,
        perSecond: Math.round(lat.length / LOAD_SECONDS),
        errors,
        errorKinds,
        botCpuPercent: Math.round(((cpuSeconds(e.bot.child.pid!) - cpu0) / LOAD_SECONDS) * 100),
        peakRssMb: Math.max(peak, peakRssMb(e.bot.child.pid!)),
      },
    };
  } finally {
    await e.close();
  }
}

export async function scenario6(): Promise<Row> {
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const e = await environment(defaultSeed());
    starts.push(e.bot.startMs);
    await e.close();
  }
  const prefill = async (file: string) => {
    const store = new SqliteRequestStore(file);
    const now = Date.now();
    for (let i = 0; i < 10_000; i++) {
      const at = new Date(now - i * 60_000).toISOString();
      const state = i % 10 === 0 ? 'awaiting_approval' : 'completed';
      await store.create({
        id: `R-B${String(i).padStart(5, '0')}`,
        version: 1,
        action: 'move',
        groupId: `g-${i}`,
        groupName: `Group ${i}`,
        state,
        requester: { id: alex.aadObjectId, name: alex.name },
        createdAt: at,
        updatedAt: at,
        expiresAt: new Date(now + 86_400_000).toISOString(),
        facts: {} as never,
        checks: [],
        anchor: { reference: { conversation: { id: `19:bench-${i % 50}@thread.tacv2` } }, conversationType: 'channel' },
        history: [{ at, state }],
      });
    }
    await store.close();
  };
  const e = await environment(defaultSeed(), {}, prefill);
  try {
    const since = await say(e, alex, 'status', 'rss');
    await e.channel.waitFor(() => true, 30_000, since);
    await say(e, alex, 'board', 'rss');
    const rss = rssMb(e.bot.child.pid!);
    return {
      scenario: '6 start-up; RSS with 10,000 stored requests',
      floor: 'reported (no floor); RSS < 250 MB',
      wall: stats(starts),
      extra: { rssMbWith10k: rss, startWith10kMs: Math.round(e.bot.startMs) },
    };
  } finally {
    await e.close();
  }
}
