/**
 * JSON batching with Graph's rules: at most 20 steps per $batch, and throttled steps
 * retried by us (the SDK's retry handler does not look inside a batch).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../../ports/clock';

export interface BatchStep {
  id: string;
  url: string;
  method?: 'GET' | 'PATCH';
  headers?: Record<string, string>;
  body?: unknown;
}

/** One step's answer; `B` is what the caller expects the body to hold when the step succeeded. */
export interface StepResult<B = unknown> {
  status: number;
  headers: Record<string, string>;
  body: B;
}

const MAX_BATCH = 20;
const MAX_ROUNDS = 3;
const MAX_WAIT_MS = 30_000;

/**
 * The naive way, kept for the benchmark's baseline (GRAPH_BATCHING=off): every step as its own
 * request, one after another.
 */
async function oneByOne(client: Client, steps: BatchStep[]): Promise<Map<string, StepResult>> {
  const results = new Map<string, StepResult>();
  for (const s of steps) {
    try {
      let req = client.api(s.url);
      if (s.headers) req = req.headers(s.headers);
      const body = s.method === 'PATCH' ? await req.patch(s.body) : await req.get();
      results.set(s.id, { status: 200, headers: {}, body });
    } catch (e) {
      const err = e as { statusCode?: number; code?: string; message?: string };
      results.set(s.id, {
        status: err.statusCode ?? 500,
        headers: {},
        body: { error: { code: err.code, message: err.message } },
      });
    }
  }
  return results;
}

export async function runBatch(
  client: Client,
  steps: BatchStep[],
  clock: Clock,
  batching = true,
): Promise<Map<string, StepResult>> {
  if (!batching) return oneByOne(client, steps);
  const results = new Map<string, StepResult>();
  let pending = steps;
  for (let round = 0; round < MAX_ROUNDS && pending.length; round++) {
    const chunks: BatchStep[][] = [];
    for (let i = 0; i < pending.length; i += MAX_BATCH) chunks.push(pending.slice(i, i + MAX_BATCH));
    const answers = await Promise.all(
      chunks.map(
        (chunk) =>
          client.api('/$batch').post({
            requests: chunk.map((s) => ({
              id: s.id,
              method: s.method ?? 'GET',
              url: s.url,
              ...(s.headers || s.body !== undefined
                ? {
                    headers: {
                      ...(s.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
                      ...(s.headers ?? {}),
                    },
                  }
                : {}),
              ...(s.body !== undefined ? { body: s.body } : {}),
            })),
          }) as Promise<{
            responses: Array<{ id: string; status: number; headers?: Record<string, string>; body?: unknown }>;
          }>,
      ),
    );
    const throttled: BatchStep[] = [];
    let waitMs = 0;
    for (const answer of answers) {
      for (const r of answer.responses) {
        const headers = Object.fromEntries(
          Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        );
        if (r.status === 429 && round < MAX_ROUNDS - 1) {
          throttled.push(pending.find((s) => s.id === r.id)!);
          const after = Number(headers['retry-after']);
          waitMs = Math.max(waitMs, Number.isFinite(after) ? after * 1000 : 1000 * 2 ** round);
          continue;
        }
        results.set(r.id, { status: r.status, headers, body: r.body });
      }
    }
    pending = throttled;
    if (pending.length) await clock.sleep(Math.min(waitMs, MAX_WAIT_MS));
  }
  return results;
}
