/** The outbound pacer on a manual clock: windows, order, retries, coalescing. No sleeps. */
import assert from 'node:assert/strict';
import { Pacer, type Timers } from '../../src/bot/gateway/pacer';
import { PER_CONVERSATION, PER_TENANT, scaled } from '../../src/bot/gateway/limits';
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from '../../src/bot/gateway/retry';

/** Timers that fire only when the test moves the clock. */
class ManualTimers implements Timers {
  t = 0;
  private due: Array<{ at: number; run: () => void }> = [];
  now(): number {
    return this.t;
  }
  after(ms: number, run: () => void): void {
    this.due.push({ at: this.t + ms, run });
  }
  /** Moves time in 1 ms steps up to `ms` later, firing timers and letting promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = this.due.filter((d) => d.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      this.due = this.due.filter((d) => d !== next);
      next.run();
    }
    this.t = end;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

const throttled = (retryAfter?: string) =>
  Object.assign(new Error('Too Many Requests'), {
    statusCode: 429,
    response: { status: 429, headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter } },
  });

function setup(random = () => 0.5) {
  const timers = new ManualTimers();
  const starts: Array<{ lane: string; at: number; label: string }> = [];
  const pacer = new Pacer({ timers, random });
  const call = (lane: string, label: string, tenant = 't1', fail?: () => Error | undefined) =>
    pacer.submit({
      lane,
      tenant,
      run: async () => {
        starts.push({ lane, at: timers.now(), label });
        const e = fail?.();
        if (e) throw e;
        return label;
      },
    });
  return { timers, pacer, starts, call };
}

/** The most starts in any span of `ms` (sliding), for one lane or all. */
function busiest(starts: Array<{ at: number }>, ms: number): number {
  let most = 0;
  for (const s of starts) most = Math.max(most, starts.filter((o) => o.at >= s.at && o.at < s.at + ms).length);
  return most;
}

describe('outbound pacer: the documented windows', () => {
  it('keeps one conversation within 7 per second, 8 per 2 s and 60 per 30 s, in order', async () => {
    const { timers, starts, call } = setup();
    const done = Array.from({ length: 70 }, (_, i) => call('c1', `m${i}`));
    await timers.advance(60_000);
    assert.equal((await Promise.all(done)).length, 70);
    assert.deepEqual(
      starts.map((s) => s.label),
      Array.from({ length: 70 }, (_, i) => `m${i}`),
    );
    for (const w of PER_CONVERSATION.slice(0, 3)) assert.ok(busiest(starts, w.ms) <= w.max, `${w.max} per ${w.ms} ms`);
    // No slower than the windows need: the first 7 at once, the 8th within 1 s, 60 by 30 s.
    assert.equal(starts.filter((s) => s.at === 0).length, 7);
    assert.ok(starts[7]!.at <= 1_000);
    assert.ok(starts[59]!.at < 30_000 && starts[60]!.at >= 30_000);
  });

  it("two instances (BOT_INSTANCES=2) each keep to half of Teams' windows: together, within them", async () => {
    const timers = new ManualTimers();
    const starts: number[] = [];
    const half = (w: typeof PER_CONVERSATION) => scaled(w, 1 / 2);
    const instances = [0, 1].map(
      () =>
        new Pacer({ timers, random: () => 0.5, perConversation: half(PER_CONVERSATION), perTenant: half(PER_TENANT) }),
    );
    const done = instances.flatMap((p) =>
      Array.from({ length: 40 }, () =>
        p.submit({ lane: 'c1', tenant: 't1', run: async () => void starts.push(timers.now()) }),
      ),
    );
    await timers.advance(60_000);
    await Promise.all(done);
    assert.equal(starts.length, 80);
    for (const w of PER_CONVERSATION.slice(0, 3))
      assert.ok(
        busiest(
          starts.map((at) => ({ at })),
          w.ms,
        ) <= w.max,
      );
    assert.equal(starts.filter((at) => at === 0).length, 6, 'three at once from each');
  });

  it('keeps a tenant within 50 per second over many conversations, each lane in its order', async () => {
    const { timers, starts, call } = setup();
    const done: Array<Promise<string>> = [];
    for (let i = 0; i < 30; i++) for (let c = 0; c < 5; c++) done.push(call(`c${c}`, `${i}`));
    await timers.advance(10_000);
    await Promise.all(done);
    assert.equal(starts.length, 150);
    assert.ok(busiest(starts, 1_000) <= PER_TENANT[0]!.max);
    for (let c = 0; c < 5; c++) {
      const lane = starts.filter((s) => s.lane === `c${c}`).map((s) => Number(s.label));
      assert.deepEqual(
        lane,
        [...lane].sort((a, b) => a - b),
      );
    }
  });

  it('does not hold one tenant back for another', async () => {
    const { timers, starts, call } = setup();
    for (let c = 0; c < 10; c++) for (let i = 0; i < 7; i++) void call(`a${c}`, 'a', 'busy');
    void call('b1', 'b', 'quiet');
    await timers.advance(0);
    assert.ok(starts.some((s) => s.label === 'b' && s.at === 0));
  });

  it('counts an operation from when its answer came, not only from when it left', async () => {
    const timers = new ManualTimers();
    const pacer = new Pacer({ timers, perConversation: [{ ms: 1_000, max: 1 }] });
    const starts: number[] = [];
    const slow = pacer.submit({
      lane: 'c',
      tenant: 't',
      run: async () => {
        starts.push(timers.now());
        await new Promise<void>((r) => timers.after(400, r));
      },
    });
    const next = pacer.submit({ lane: 'c', tenant: 't', run: async () => void starts.push(timers.now()) });
    await timers.advance(3_000);
    await Promise.all([slow, next]);
    assert.deepEqual(starts, [0, 1_400]);
  });
});

describe('outbound pacer: retries', () => {
  it("retries 429 after the channel's Retry-After, then goes on with the lane in order", async () => {
    const { timers, pacer, starts, call } = setup();
    let failures = 2;
    const first = call('c1', 'first', 't1', () => (failures-- > 0 ? throttled('3') : undefined));
    const second = call('c1', 'second');
    await timers.advance(20_000);
    assert.deepEqual(await Promise.all([first, second]), ['first', 'second']);
    assert.deepEqual(
      starts.map((s) => s.label),
      ['first', 'first', 'first', 'second'],
    );
    assert.ok(starts[1]!.at >= 3_000 && starts[2]!.at - starts[1]!.at >= 3_000);
    assert.equal(pacer.counts.throttled, 2);
    assert.equal(pacer.counts.retries, 2);
  });

  it('retries 412, 502, 503 and 504 with growing waits; a bounded number of tries', async () => {
    for (const status of [412, 502, 503, 504]) {
      const { timers, pacer, starts, call } = setup();
      const failing = call('c1', 'x', 't1', () => Object.assign(new Error('bad'), { statusCode: status }));
      const outcome = failing.then(
        () => 'delivered',
        (e: { statusCode: number }) => e.statusCode,
      );
      await timers.advance(120_000);
      assert.equal(await outcome, status);
      assert.equal(starts.length, DEFAULT_RETRY.attempts);
      const gaps = starts.slice(1).map((s, i) => s.at - starts[i]!.at);
      for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i]! >= gaps[i - 1]!, `growing waits ${gaps.join(',')}`);
      assert.equal(pacer.counts.failed, 1);
    }
  });

  it('does not retry what a retry cannot mend (403, 413), nor what its caller retries', async () => {
    for (const status of [400, 403, 404, 413]) {
      const { timers, starts, call } = setup();
      const failing = call('c1', 'x', 't1', () => Object.assign(new Error('no'), { statusCode: status }));
      const outcome = failing.catch((e: { statusCode: number }) => e.statusCode);
      await timers.advance(10_000);
      assert.equal(await outcome, status);
      assert.equal(starts.length, 1);
    }
    const { timers, pacer } = setup();
    let tries = 0;
    const own = pacer.submit({
      lane: 'c',
      tenant: 't',
      retry: false,
      run: async () => {
        tries += 1;
        throw throttled('1');
      },
    });
    const outcome = own.catch(() => 'failed');
    await timers.advance(10_000);
    assert.equal(await outcome, 'failed');
    assert.equal(tries, 1);
  });

  it('backs off exponentially with jitter, never under Retry-After', () => {
    const low = [1, 2, 3, 4].map((n) => backoffMs(DEFAULT_RETRY, n, () => 0));
    const high = [1, 2, 3, 4].map((n) => backoffMs(DEFAULT_RETRY, n, () => 0.999));
    assert.deepEqual(low, [250, 500, 1_000, 2_000]);
    assert.ok(high.every((h, i) => h > low[i]! && h <= 2 * low[i]!));
    assert.ok(backoffMs(DEFAULT_RETRY, 1, () => 0.7, 4_000) >= 4_000);
    assert.equal(
      backoffMs(DEFAULT_RETRY, 30, () => 1),
      DEFAULT_RETRY.maxDelayMs,
    );
    const now = Date.parse('2026-03-02T09:00:00Z');
    assert.equal(retryAfterMs(throttled('2'), now), 2_000);
    assert.equal(retryAfterMs(throttled('Mon, 02 Mar 2026 09:00:05 GMT'), now), 5_000);
    assert.equal(retryAfterMs(throttled(), now), undefined);
  });
});

describe('outbound pacer: typing indicators', () => {
  it('go at once when their conversation is free, else not at all (a reply never waits for one)', async () => {
    const { timers, pacer, starts, call } = setup();
    const typing = () =>
      pacer.submit({
        lane: 'c1',
        tenant: 't1',
        nowOrNever: true,
        run: async () => void starts.push({ lane: 'c1', at: timers.now(), label: 'typing' }),
      });
    await typing();
    assert.deepEqual(
      starts.map((s) => s.label),
      ['typing'],
    );
    const reply = call('c1', 'reply');
    assert.equal(await typing(), undefined);
    await timers.advance(1_000);
    await reply;
    assert.deepEqual(
      starts.map((s) => s.label),
      ['typing', 'reply'],
    );
    assert.equal(pacer.counts.skipped, 1);
  });
});

describe('outbound pacer: coalescing', () => {
  it('collapses waiting updates of one activity to the newest; the older callers are done without a call', async () => {
    const { timers, pacer } = setup();
    const sent: string[] = [];
    const op = (label: string, coalesce?: string) =>
      pacer.submit({
        lane: 'c',
        tenant: 't',
        ...(coalesce ? { coalesce } : {}),
        run: async () => void sent.push(label),
      });
    const all = [
      ...Array.from({ length: 7 }, (_, i) => op(`post${i}`)),
      op('card v1', 'update:card'),
      op('line'),
      op('card v2', 'update:card'),
      op('board v1', 'update:board'),
      op('card v3', 'update:card'),
      op('board v2', 'update:board'),
    ];
    await timers.advance(10_000);
    await Promise.all(all);
    assert.deepEqual(sent.slice(7), ['card v3', 'line', 'board v2']);
    assert.equal(pacer.counts.coalesced, 3);
  });

  it('never folds an update into one already on the wire', async () => {
    const timers = new ManualTimers();
    const pacer = new Pacer({ timers });
    const sent: string[] = [];
    const slow = pacer.submit({
      lane: 'c',
      tenant: 't',
      coalesce: 'update:card',
      run: async () => {
        await new Promise<void>((r) => timers.after(100, r));
        sent.push('v1');
      },
    });
    await timers.advance(10);
    const newer = pacer.submit({
      lane: 'c',
      tenant: 't',
      coalesce: 'update:card',
      run: async () => void sent.push('v2'),
    });
    await timers.advance(5_000);
    await Promise.all([slow, newer]);
    assert.deepEqual(sent, ['v1', 'v2']);
  });
});
