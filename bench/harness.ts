/**
 * What every benchmark scenario shares: the options, the bot as its own process against the
 * fake tenant, the Bot Framework channel on loopback, and the figures (Graph requests, rounds,
 * token calls, wall-time percentiles, RSS).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RequestLogEntry } from '../src/fake-tenant/graph/request-log';
import type { Seed } from '../src/fake-tenant/model';
import { startFakeTenant, type FakeTenant } from '../src/fake-tenant/server';
import {
  actions,
  cardOf,
  cardText,
  TestChannel,
  type ChannelOptions,
  type Outbound,
  type User,
} from '../test/support/connector';
import { freePort } from '../test/support/ports';

export const root = join(__dirname, '..');
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
export const LATENCY = Number(opt('latency', '100'));
export const NAIVE = args.includes('--naive');
/** Sequential rounds are told apart by latency: it must dominate the fake tenant's own time. */
if (LATENCY < 50) throw new Error('--latency must be at least 50 ms for round trips to be counted.');
export const ONLY = new Set(opt('only', '1,2,3,4,5,6,7,8').split(',').map(Number));
export const ITERATIONS = Number(opt('iterations', '15'));
export const LOAD_SECONDS = Number(opt('load-seconds', '30'));
export const WARMUP_SECONDS = Number(opt('warmup-seconds', '5'));

export const megan: User = { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
export const alex: User = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
export function stats(xs: number[]): Stats {
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
export function rounds(log: RequestLogEntry[], latency: number): number {
  const times = log
    .filter((e) => !e.batch)
    .map((e) => Date.parse(e.at))
    .sort((a, b) => a - b);
  let n = times.length ? 1 : 0;
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! >= latency * 0.6) n++;
  return n;
}

export async function adminCall<T>(ft: FakeTenant, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ft.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Bot {
  url: string;
  child: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

export async function startBot(ft: FakeTenant, storeFile: string, extra: Record<string, string> = {}): Promise<Bot> {
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
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}
/** User + system CPU seconds of a process so far. */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export interface Env {
  ft: FakeTenant;
  bot: Bot;
  channel: TestChannel;
  dir: string;
  close(): Promise<void>;
}

export async function environment(
  seed: Seed,
  extra: Record<string, string> = {},
  prefill?: (file: string) => Promise<void>,
  channelOptions: ChannelOptions = {},
): Promise<Env> {
  const ft = await startFakeTenant({ port: 0, seed, settings: { latencyMs: 0, auditDelayMs: 0 } });
  const dir = mkdtempSync(join(tmpdir(), 'soa-bench-'));
  const storeFile = join(dir, 'requests.sqlite');
  if (prefill) await prefill(storeFile);
  const bot = await startBot(ft, storeFile, extra);
  // The channel enforces Teams' rate and size limits unless a scenario switches them off.
  const channel = await new TestChannel(`${bot.url}`, channelOptions).start();
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

export const setLatency = (e: Env, ms: number) => adminCall(e.ft, 'PUT', '/_fake/settings', { latencyMs: ms });
export const clearLogs = async (e: Env) => {
  await adminCall(e.ft, 'DELETE', '/_fake/requests');
  await adminCall(e.ft, 'DELETE', '/_fake/token-requests');
};
export const graphLog = (e: Env) => adminCall<RequestLogEntry[]>(e.ft, 'GET', '/_fake/requests');
export const tokenLog = (e: Env) => adminCall<unknown[]>(e.ft, 'GET', '/_fake/token-requests');

export async function say(e: Env, who: User, text: string, key: string): Promise<number> {
  const since = e.channel.outbound.length;
  await e.channel.say(who, text, { kind: 'channel', key });
  return since;
}

export interface Row {
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
export function freshGroups(seed: Seed, n: number): string[] {
  return seed.groups
    .filter(
      (g) =>
        g.id.startsWith('c3') && g.ad && !g.isCloudManaged && g.kind === 'security' && !g.displayName.includes(','),
    )
    .slice(0, n)
    .map((g) => g.displayName);
}

export async function measureGraph(
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

/** Posts a request at zero latency and returns its card and the Approve data. */
export async function requestFor(
  e: Env,
  name: string,
  key: string,
): Promise<{ card: Outbound; data: Record<string, unknown> }> {
  const since = await say(e, alex, `move ${name} to cloud`, key);
  const card = await e.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 60_000, since);
  return { card, data: { ...actions(cardOf(card)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' } };
}
