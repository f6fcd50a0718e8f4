/**
 * Scenario 7: the readiness report of a 10,000-group tenant (nesting, cycles, shared children),
 * from `readiness` said in a channel to the summary card, at the set latency per Graph call.
 * The naive mode reads one call per fact (each group's member groups, extension attributes and
 * SOA state), the baseline the paged, delta-based reading is compared with.
 */
import { largeSeed, readinessMix } from '../src/fake-tenant/large-seed';
import { cardOf, cardText } from '../test/support/connector';
import { environment, graphLog, LATENCY, megan, NAIVE, peakRssMb, rounds, say, setLatency, type Row } from './harness';

export const READINESS_GROUPS = Number(process.env.BENCH_READINESS_GROUPS ?? 10_000);

export async function scenario7(): Promise<Row> {
  // Nesting trees, cycles, shared children; mail-enabled, extension attributes, provisioning
  // errors, pending rollbacks, cloud-managed and cloud-only groups in proportion.
  const seed = largeSeed(readinessMix(READINESS_GROUPS));
  const e = await environment(seed);
  try {
    await setLatency(e, LATENCY);
    await graphLog(e); // the log starts empty: the environment made no Graph call yet
    const t0 = performance.now();
    const since = await say(e, megan, 'readiness', 's7');
    let progress = 0;
    const done = await e.channel.waitFor(
      (o) => {
        const text = cardText(cardOf(o));
        if (/^Reading groups/.test(text)) progress++;
        return /^Readiness report/.test(text);
      },
      // The naive baseline makes three calls per group: give it the time that takes.
      NAIVE ? 3_600_000 : 300_000,
      since,
    );
    const ms = performance.now() - t0;
    const log = await graphLog(e);
    const top = log.filter((x) => !x.batch);
    const summary = cardText(cardOf(done));
    return {
      scenario: `7 readiness report of ${READINESS_GROUPS.toLocaleString('en-US')} groups`,
      floor: '< 60 s, ≤ 1,000 Graph requests, RSS < 300 MB, ≥ 10× fewer requests than naive',
      graphCalls: top.length,
      innerCalls: log.length - top.length,
      rounds: rounds(log, LATENCY),
      wall: { n: 1, p50: ms, p95: ms, p99: ms, max: ms },
      extra: {
        peakRssMb: peakRssMb(e.bot.child.pid!),
        progressCards: progress,
        // The counts line: "542 ready · 8,192 ready with warnings · …".
        counts: summary
          .split(' | ')
          .find((part) => / ready · /.test(part))
          ?.replace(/\*\*/g, ''),
      },
    };
  } finally {
    await e.close();
  }
}
