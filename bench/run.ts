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
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenario1, scenario2, scenario3, scenario4 } from './cards';
import { LATENCY, NAIVE, ONLY, root, type Row } from './harness';
import { scenario5, scenario6 } from './load';
import { scenario7 } from './readiness';
import { scenario8 } from './teams-limits';

async function main(): Promise<void> {
  const scenarios: Array<[number, () => Promise<Row>]> = [
    [1, scenario1],
    [2, scenario2],
    [3, scenario3],
    [4, scenario4],
    [5, scenario5],
    [6, scenario6],
    [7, scenario7],
    [8, scenario8],
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
