/**
 * `npm run bench`: the bot as its own process against the fake tenant with a set latency per
 * Graph and token call, measured from the outside (a Bot Framework channel on loopback).
 *
 *   npm run bench -- [--latency 100] [--naive] [--only 1,2,5] [--iterations 20] [--load-seconds 30]
 *
 * Figures: Graph HTTP requests (a $batch counts once; its inner requests are counted apart),
 * sequential round trips (requests finishing within 60% of the latency of each other belong to
 * one round), token-endpoint calls, wall time p50/p95/p99. `--naive` runs the same bot with
 * JSON batching off, the one-call-per-check baseline. Results print as a table and are written
 * to bench/results/<mode>-<latency>ms.json. Nothing here is asserted: `npm test` does that.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestLogEntry } from '../src/fake-tenant/graph/request-log';
import type { Seed } from '../src/fake-tenant/model';
import { largeSeed } from '../src/fake-tenant/large-seed';
import { defaultSeed } from '../src/fake-tenant/seed';
import { startFakeTenant, type FakeTenant } from '../src/fake-tenant/server';
import { SqliteRequestStore } from '../src/infra/storage/sqlite-store';
import { actions, cardOf, cardText, TestChannel, type Outbound, type User } from '../test/support/connector';
import { freePort } from '../test/support/ports';

const root = join(__dirname, '..');
/** The node flags `npm start` and `npm run serve` give the bot (package.json), read from there. */
const BOT_NODE_FLAGS = (
  /node ((?:--[\w-]+=\S+ )*)dist\/src\/main\.js/.exec(
    JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.serve,
  )?.[1] ?? ''
)
  .trim()
  .split(/\s+/)
  .filter(Boolean);
const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : def;
};
const LATENCY = Number(opt('latency', '100'));
const NAIVE = args.includes('--naive');
/** Sequential rounds are told apart by latency: it must dominate the fake tenant's own time. */
if (LATENCY < 50) throw new Error('--latency must be at least 50 ms for round trips to be counted.');
const ONLY = new Set(opt('only', '1,2,3,4,5,6').split(',').map(Number));
const ITERATIONS = Number(opt('iterations', '15'));
const LOAD_SECONDS = Number(opt('load-seconds', '30'));
const WARMUP_SECONDS = Number(opt('warmup-seconds', '5'));

const megan: User = { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const alex: User = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  return { n: s.length, p50: q(50), p95: q(95), p99: q(99), max: s[s.length - 1] ?? NaN };
}

/**
 * Sequential rounds among top-level Graph requests. A request that waited for another one
 * completes at least one latency after it, so a gap of 0.6 × latency or more between
 * consecutive completions starts a new round; requests sent together finish within a few ms
 * (the fake tenant handles them one after another, hence gaps rather than a window).
 */
function rounds(log: RequestLogEntry[], latency: number): number {
  const times = log
    .filter((e) => !e.batch)
    .map((e) => Date.parse(e.at))
    .sort((a, b) => a - b);
  let n = times.length ? 1 : 0;
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! >= latency * 0.6) n++;
  return n;
}

async function adminCall<T>(ft: FakeTenant, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ft.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

interface Bot {
  url: string;
  child: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

async function startBot(ft: FakeTenant, storeFile: string, extra: Record<string, string> = {}): Promise<Bot> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_BOT_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_BOT_PROFILE] : []),
      ...BOT_NODE_FLAGS,
      join(root, 'dist', 'src', 'local.js'),
    ],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        NO_PLAYGROUND: '1',
        FAKE_TENANT_PORT: String(new URL(ft.url).port),
        STORE_FILE: storeFile,
        ALLOW_SELF_APPROVAL: 'false',
        WORKER_POLL_MS: '20',
        AUDIT_POLL_FIRST_DELAY_MS: '1',
        AUDIT_POLL_MAX_DELAY_MS: '200',
        GRAPH_BATCHING: NAIVE ? 'off' : 'on',
        ...extra,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bot exited (${code}): ${err}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /Bot:\s+(http:\/\/\S+)\/api\/messages/.exec(l);
      if (m) resolve(m[1]!);
    });
  });
  child.removeAllListeners('exit');
  const startMs = performance.now() - t0;
  return {
    url,
    child,
    startMs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/** Peak resident set of a process (VmHWM), MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}
/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

interface Env {
  ft: FakeTenant;
  bot: Bot;
  channel: TestChannel;
  dir: string;
  close(): Promise<void>;
}

async function environment(
  seed: Seed,
  extra: Record<string, string> = {},
  prefill?: (file: string) => Promise<void>,
): Promise<Env> {
  const ft = await startFakeTenant({ port: 0, seed, settings: { latencyMs: 0, auditDelayMs: 0 } });
  const dir = mkdtempSync(join(tmpdir(), 'soa-bench-'));
  const storeFile = join(dir, 'requests.sqlite');
  if (prefill) await prefill(storeFile);
  const bot = await startBot(ft, storeFile, extra);
  const channel = await new TestChannel(`${bot.url}`).start();
  return {
    ft,
    bot,
    channel,
    dir,
    close: async () => {
      await bot.stop();
      await channel.stop();
      await ft.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const setLatency = (e: Env, ms: number) => adminCall(e.ft, 'PUT', '/_fake/settings', { latencyMs: ms });
const clearLogs = async (e: Env) => {
  await adminCall(e.ft, 'DELETE', '/_fake/requests');
  await adminCall(e.ft, 'DELETE', '/_fake/token-requests');
};
const graphLog = (e: Env) => adminCall<RequestLogEntry[]>(e.ft, 'GET', '/_fake/requests');
const tokenLog = (e: Env) => adminCall<unknown[]>(e.ft, 'GET', '/_fake/token-requests');

async function say(e: Env, who: User, text: string, key: string): Promise<number> {
  const since = e.channel.outbound.length;
  await e.channel.say(who, text, { kind: 'channel', key });
  return since;
}

interface Row {
  scenario: string;
  floor: string;
  graphCalls?: number;
  innerCalls?: number;
  rounds?: number;
  tokenCalls?: number;
  wall?: Stats;
  extra?: Record<string, unknown>;
}

/** Synced, AD-managed security groups of a seed, for one fresh request per iteration. */
function freshGroups(seed: Seed, n: number): string[] {
  return seed.groups
    .filter(
      (g) =>
        g.id.startsWith('c3') && g.ad && !g.isCloudManaged && g.kind === 'security' && !g.displayName.includes(','),
    )
    .slice(0, n)
    .map((g) => g.displayName);
}

async function measureGraph(
  e: Env,
  run: () => Promise<void>,
): Promise<{ ms: number; calls: number; inner: number; rounds: number; tokens: number }> {
  await clearLogs(e);
  const t0 = performance.now();
  await run();
  const ms = performance.now() - t0;
  const log = await graphLog(e);
  if (process.env.BENCH_DEBUG) {
    const top = log
      .filter((x) => !x.batch)
      .map((x) => [Date.parse(x.at), x.path] as const)
      .sort((a, b) => a[0] - b[0]);
    console.log(top.map(([t, p]) => `${t - top[0]![0]} ${p}`).join('\n'));
  }
  return {
    ms,
    calls: log.filter((x) => !x.batch).length,
    inner: log.filter((x) => x.batch).length,
    rounds: rounds(log, LATENCY),
    tokens: (await tokenLog(e)).length,
  };
}

async function scenario1(): Promise<Row> {
  const seed = largeSeed({ groups: 200, users: 20, cloudManagedShare: 0 });
  const names = ['SecGroup1', ...freshGroups(seed, ITERATIONS)];
  const e = await environment(seed);
  try {
    await setLatency(e, LATENCY);
    const walls: number[] = [];
    let last = { calls: 0, inner: 0, rounds: 0, tokens: 0 };
    for (const [i, name] of names.slice(0, ITERATIONS).entries()) {
      const m = await measureGraph(e, async () => {
        const since = await say(e, alex, `move ${name} to cloud`, `s1-${i}`);
        await e.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 60_000, since);
      });
      walls.push(m.ms);
      if (i === 0) last = m; // SecGroup1 (nested two levels) is the reference card
    }
    return {
      scenario: '1 message → approval card (SecGroup1 first; then other groups)',
      floor: `2 rounds, ${2 * LATENCY} ms`,
      graphCalls: last.calls,
      innerCalls: last.inner,
      rounds: last.rounds,
      tokenCalls: last.tokens,
      wall: stats(walls),
    };
  } finally {
    await e.close();
  }
}

async function scenario2(): Promise<Row> {
  const seed = largeSeed({ groups: 500, users: 20, depth: 6, breadth: 4, cloudManagedShare: 0.1 });
  const e = await environment(seed);
  try {
    await setLatency(e, LATENCY);
    const walls: number[] = [];
    let first = { calls: 0, inner: 0, rounds: 0, tokens: 0 };
    const iterations = Math.max(3, Math.ceil(ITERATIONS / 3));
    for (let i = 0; i < iterations; i++) {
      const m = await measureGraph(e, async () => {
        const since = await say(e, alex, 'check the tree under BIG-Root-1', `s2-${i}`);
        await e.channel.waitFor(
          (o) => /Check \(move to cloud\): the tree under BIG-Root-1/.test(cardText(cardOf(o))),
          120_000,
          since,
        );
      });
      walls.push(m.ms);
      if (i === 0) first = m;
    }
    const batches = first.calls;
    return {
      scenario: '2 check the tree under BIG-Root-1 (500 groups, 6 levels)',
      floor: `≤ 7 rounds (depth + 1), ≤ ${Math.ceil((3 * 500) / 20) + 6} batches`,
      graphCalls: batches,
      innerCalls: first.inner,
      rounds: first.rounds,
      tokenCalls: first.tokens,
      wall: stats(walls),
    };
  } finally {
    await e.close();
  }
}

/** Posts a request at zero latency and returns its card and the Approve data. */
async function requestFor(
  e: Env,
  name: string,
  key: string,
): Promise<{ card: Outbound; data: Record<string, unknown> }> {
  const since = await say(e, alex, `move ${name} to cloud`, key);
  const card = await e.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 60_000, since);
  return { card, data: { ...actions(cardOf(card)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' } };
}

async function scenario3(): Promise<Row> {
  const seed = largeSeed({ groups: 200, users: 20, cloudManagedShare: 0 });
  const names = freshGroups(seed, ITERATIONS);
  const e = await environment(seed);
  try {
    const walls: number[] = [];
    for (const [i, name] of names.entries()) {
      await setLatency(e, 0);
      const { card, data } = await requestFor(e, name, `s3-${i}`);
      await setLatency(e, 1000);
      const t0 = performance.now();
      const r = await e.channel.click(megan, card.id, 'approve', data, { kind: 'channel', key: `s3-${i}` });
      walls.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`click answered ${r.status}`);
    }
    return {
      scenario: '3 Approve click → invoke answered (1 s per Graph call)',
      floor: 'no Graph call on the answer path; Teams allows ~10 s',
      wall: stats(walls),
    };
  } finally {
    await e.close();
  }
}

async function scenario4(): Promise<Row> {
  const seed = largeSeed({ groups: 200, users: 20, cloudManagedShare: 0 });
  const names = freshGroups(seed, ITERATIONS);
  const e = await environment(seed);
  try {
    const walls: number[] = [];
    let first = { calls: 0, inner: 0, rounds: 0, tokens: 0 };
    for (const [i, name] of names.entries()) {
      await setLatency(e, 0);
      const { card, data } = await requestFor(e, name, `s4-${i}`);
      await setLatency(e, LATENCY);
      const m = await measureGraph(e, async () => {
        const since = e.channel.outbound.length;
        await e.channel.click(megan, card.id, 'approve', data, { kind: 'channel', key: `s4-${i}` });
        await e.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 60_000, since);
      });
      walls.push(m.ms);
      if (i === 0) first = m;
    }
    return {
      scenario: '4 Approve click → audit confirmation posted (audit delay 0)',
      floor: `5 rounds (roles, re-check, PATCH, read-back, audit), ${5 * LATENCY} ms`,
      graphCalls: first.calls,
      innerCalls: first.inner,
      rounds: first.rounds,
      tokenCalls: first.tokens,
      wall: stats(walls),
    };
  } finally {
    await e.close();
  }
}

async function scenario5(): Promise<Row> {
  const e = await environment(defaultSeed());
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

async function scenario6(): Promise<Row> {
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

async function main(): Promise<void> {
  const scenarios: Array<[number, () => Promise<Row>]> = [
    [1, scenario1],
    [2, scenario2],
    [3, scenario3],
    [4, scenario4],
    [5, scenario5],
    [6, scenario6],
  ];
  const rows: Row[] = [];
  for (const [n, run] of scenarios) {
    if (!ONLY.has(n)) continue;
    process.stdout.write(`scenario ${n}… `);
    const row = await run();
    rows.push(row);
    process.stdout.write('done\n');
  }
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '–' : String(Math.round(x)));
  console.log(`\nmode: ${NAIVE ? 'naive (no batching)' : 'batched'}, latency ${LATENCY} ms per Graph/token call\n`);
  console.log(
    [
      'scenario',
      'floor',
      'Graph requests (inner)',
      'rounds',
      'token calls',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'other',
    ].join(' | '),
  );
  for (const r of rows) {
    console.log(
      [
        r.scenario,
        r.floor,
        r.graphCalls === undefined ? '–' : `${r.graphCalls} (${r.innerCalls})`,
        f(r.rounds),
        f(r.tokenCalls),
        f(r.wall?.p50),
        f(r.wall?.p95),
        f(r.wall?.p99),
        r.extra ? JSON.stringify(r.extra) : '',
      ].join(' | '),
    );
  }
  const out = join(root, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = join(out, `${NAIVE ? 'naive' : 'batched'}-${LATENCY}ms.json`);
  // Scenarios run now replace their rows; rows of scenarios not run this time are kept.
  let previous: Row[] = [];
  try {
    previous = (JSON.parse(readFileSync(file, 'utf8')) as { rows: Row[] }).rows;
  } catch {
    previous = [];
  }
  const number = (r: Row) => r.scenario.split(' ')[0];
  const merged = [...previous.filter((p) => !rows.some((r) => number(r) === number(p))), ...rows].sort(
    (a, b) => Number(number(a)) - Number(number(b)),
  );
  writeFileSync(
    file,
    `${JSON.stringify(
      { at: new Date().toISOString(), latencyMs: LATENCY, naive: NAIVE, node: process.version, rows: merged },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwritten: bench/results/${NAIVE ? 'naive' : 'batched'}-${LATENCY}ms.json`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
