/**
 * Scenario 8: the bot within Teams' own limits. The channel answers 429 with Retry-After above
 * the per-conversation and per-tenant rates and 413 above the size limit (as in
 * test/scale/teams-limits.test.ts, which asserts the outcome); this reports the wall time and
 * the 429s the bot absorbed for a 2,000-group plan and for a burst of 20 requests in one
 * channel. Graph answers at zero latency here: the time is the bot's and Teams' pacing.
 */
import { largeSeed } from '../src/fake-tenant/large-seed';
import { actions, cardOf, cardText, type Outbound } from '../test/support/connector';
import { undelivered } from '../test/support/delivery';
import { alex, environment, megan, say, type Env, type Row } from './harness';

const PLAN_GROUPS = 2000;
const BURST = 20;

const approveData = (card: Outbound) => ({
  ...actions(cardOf(card)).find((a) => a.verb === 'approve')!.data,
  ackSyncVersions: 'true',
});

/** 429s absorbed, 413s, and refused posts that never got through, on the channel of `e`. */
function refusals(e: Env): { throttled: number; tooBig: number; lost: number; delivered: number } {
  const limits = e.channel.limits!;
  return {
    throttled: limits.count(429),
    tooBig: limits.count(413),
    lost: undelivered(e.channel).length,
    delivered: e.channel.outbound.length,
  };
}

async function plan(): Promise<Record<string, number>> {
  const seed = largeSeed({ groups: PLAN_GROUPS, users: 20, depth: 6, breadth: 5, cloudManagedShare: 0 });
  const e = await environment(seed, { AUDIT_POLL_FIRST_DELAY_MS: '50' });
  try {
    const t0 = performance.now();
    const since = await say(e, alex, 'move BIG-Root-1 and its nested groups to cloud', 'plan');
    const card = await e.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 300_000, since);
    const cardMs = performance.now() - t0;
    await e.channel.click(megan, card.id, 'approve', approveData(card), { kind: 'channel', key: 'plan' });
    const done = await e.channel.waitFor(
      (o) => /is complete: \d+ groups are cloud-managed/.test(o.activity.text ?? ''),
      1_800_000,
      since,
    );
    const steps = Number(/is complete: (\d+) groups/.exec(String(done.activity.text))![1]);
    return { steps, cardSeconds: cardMs / 1000, seconds: (performance.now() - t0) / 1000, ...refusals(e) };
  } finally {
    await e.close();
  }
}

async function burst(): Promise<Record<string, number>> {
  const seed = largeSeed({ groups: BURST + 1, users: 10, depth: 2, breadth: 40, cloudManagedShare: 0, randomSeed: 7 });
  const e = await environment(seed, { AUDIT_POLL_FIRST_DELAY_MS: '50' });
  try {
    const names = Array.from({ length: BURST }, (_, i) => `BIG-Root-1-L1-${i + 1}`);
    const t0 = performance.now();
    await Promise.all(names.map((g) => e.channel.say(alex, `move ${g} to cloud`, { kind: 'channel', key: 'burst' })));
    const cards = await Promise.all(
      names.map((g) =>
        e.channel.waitFor(
          (o) => !!cardOf(o) && new RegExp(`${g}\\b[^]*waiting for approval`).test(cardText(cardOf(o))),
          120_000,
        ),
      ),
    );
    const cardMs = performance.now() - t0;
    await Promise.all(
      cards.map((c) => e.channel.click(megan, c.id, 'approve', approveData(c), { kind: 'channel', key: 'burst' })),
    );
    await Promise.all(
      names.map((g) =>
        e.channel.waitFor(
          (o) => new RegExp(`✅ (\\*\\*)?${g}(\\*\\*)? is now cloud-managed\\.`).test(o.activity.text ?? ''),
          300_000,
        ),
      ),
    );
    return { requests: BURST, cardSeconds: cardMs / 1000, seconds: (performance.now() - t0) / 1000, ...refusals(e) };
  } finally {
    await e.close();
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function scenario8(): Promise<Row> {
  const p = await plan();
  const b = await burst();
  const shown = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k.endsWith('econds') ? round1(v) : v]));
  return {
    scenario: `8 Teams limits: ${PLAN_GROUPS.toLocaleString('en-US')}-group plan; ${BURST}-request burst`,
    floor: 'every message delivered: 0 lost, 0 × 413; 429s absorbed',
    extra: { plan: shown(p), burst: shown(b) },
  };
}
