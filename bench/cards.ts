/** Scenarios 1 to 4: a request's card, a tree's check card, an Approve click answered, and its audit confirmation. */
import { largeSeed } from '../src/fake-tenant/large-seed';
import { cardOf, cardText } from '../test/support/connector';
import {
  alex,
  environment,
  freshGroups,
  ITERATIONS,
  LATENCY,
  measureGraph,
  megan,
  requestFor,
  say,
  setLatency,
  stats,
  type Env,
  type Row,
} from './harness';

export async function scenario1(): Promise<Row> {
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

export async function scenario2(): Promise<Row> {
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

/**
 * ITERATIONS requests for fresh groups of a 200-group tenant, each asked with no latency, then
 * handed to `run` with Graph at `latencyMs` and its Approve click ready to send.
 */
async function eachApproval(
  prefix: string,
  latencyMs: number,
  run: (e: Env, approve: () => ReturnType<Env['channel']['click']>, i: number) => Promise<void>,
): Promise<void> {
  const seed = largeSeed({ groups: 200, users: 20, cloudManagedShare: 0 });
  const names = freshGroups(seed, ITERATIONS);
  const e = await environment(seed);
  try {
    for (const [i, name] of names.entries()) {
      await setLatency(e, 0);
      const key = `${prefix}-${i}`;
      const { card, data } = await requestFor(e, name, key);
      await setLatency(e, latencyMs);
      await run(e, () => e.channel.click(megan, card.id, 'approve', data, { kind: 'channel', key }), i);
    }
  } finally {
    await e.close();
  }
}

export async function scenario3(): Promise<Row> {
  const walls: number[] = [];
  await eachApproval('s3', 1000, async (_e, approve) => {
    const t0 = performance.now();
    const r = await approve();
    walls.push(performance.now() - t0);
    if (r.status !== 200) throw new Error(`click answered ${r.status}`);
  });
  return {
    scenario: '3 Approve click → invoke answered (1 s per Graph call)',
    floor: 'no Graph call on the answer path; Teams allows ~10 s',
    wall: stats(walls),
  };
}

export async function scenario4(): Promise<Row> {
  const walls: number[] = [];
  let first = { calls: 0, inner: 0, rounds: 0, tokens: 0 };
  await eachApproval('s4', LATENCY, async (e, approve, i) => {
    const m = await measureGraph(e, async () => {
      const since = e.channel.outbound.length;
      await approve();
      await e.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 60_000, since);
    });
    walls.push(m.ms);
    if (i === 0) first = m;
  });
  return {
    scenario: '4 Approve click → audit confirmation posted (audit delay 0)',
    floor: `5 rounds (roles, re-check, PATCH, read-back, audit), ${5 * LATENCY} ms`,
    graphCalls: first.calls,
    innerCalls: first.inner,
    rounds: first.rounds,
    tokenCalls: first.tokens,
    wall: stats(walls),
  };
}
