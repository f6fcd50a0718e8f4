import assert from 'node:assert/strict';
import {
  MESSAGE_SIZE_LIMIT_BYTES,
  teamsMessageBytes,
  TeamsLimits,
  type Verdict,
} from '../../src/fake-tenant/teams-limits';
import { TestChannel } from '../support/connector';

const TENANT = 't1';

function limitsAt(): { limits: TeamsLimits; advance: (ms: number) => void } {
  let t = 1_000_000;
  return { limits: new TeamsLimits(undefined, () => t), advance: (ms) => (t += ms) };
}

const admit = (l: TeamsLimits, conversationId = '19:c@thread.tacv2', tenantId = TENANT): Verdict =>
  l.admit({ conversationId, tenantId, activity: { type: 'message', text: 'x' } });

describe('Teams limits (the local channels enforce them)', () => {
  it('one conversation: 7 in a second, 8 in two, 60 in thirty seconds; then 429 with Retry-After', () => {
    const { limits, advance } = limitsAt();
    for (let i = 0; i < 7; i++) assert.deepEqual(admit(limits), { status: 'ok' });
    assert.deepEqual(admit(limits), { status: 429, retryAfterSeconds: 1, scope: 'conversation' });
    advance(1000);
    assert.deepEqual(admit(limits), { status: 'ok' }, 'the 8th of two seconds');
    assert.equal(admit(limits).status, 429, 'a 9th within two seconds');
    // Steady 4 per second (8 per 2 s) fills the 30 s window at 60.
    advance(1000);
    let accepted = 8;
    for (let s = 2; s < 30 && accepted < 60; s++) {
      for (let i = 0; i < 4 && accepted < 60; i++) {
        assert.equal(admit(limits).status, 'ok', `operation ${accepted + 1} at second ${s}`);
        accepted++;
      }
      advance(1000);
    }
    assert.equal(accepted, 60);
    const v = admit(limits);
    assert.equal(v.status, 429, 'the 61st within 30 s');
    assert.ok(v.status === 429 && v.retryAfterSeconds >= 1);
    assert.equal(limits.count(429), 3);
  });

  it('a channel counts once for all its threads; another conversation has its own limits', () => {
    const { limits } = limitsAt();
    for (let i = 0; i < 7; i++) assert.equal(admit(limits, `19:c@thread.tacv2;messageid=${i}`).status, 'ok');
    assert.equal(admit(limits, '19:c@thread.tacv2;messageid=99').status, 429);
    assert.equal(admit(limits, 'a:personal-alex').status, 'ok');
  });

  it('the tenant: 50 requests a second across conversations, then 429 for every conversation', () => {
    const { limits, advance } = limitsAt();
    for (let i = 0; i < 50; i++) assert.equal(admit(limits, `a:personal-${i}`).status, 'ok');
    assert.deepEqual(admit(limits, 'a:personal-new'), { status: 429, retryAfterSeconds: 1, scope: 'tenant' });
    assert.equal(admit(limits, 'a:personal-new', 'another-tenant').status, 'ok');
    advance(1000);
    assert.equal(admit(limits, 'a:personal-new').status, 'ok');
  });

  it('a message over 100 KB of UTF-16 is refused with 413, whatever the rate', () => {
    const { limits } = limitsAt();
    // 'é' is one UTF-16 code unit: two bytes as Teams counts, whatever UTF-8 makes of it.
    const fits = { type: 'message', text: 'é'.repeat(MESSAGE_SIZE_LIMIT_BYTES / 2 - 40) };
    assert.ok(teamsMessageBytes(fits) <= MESSAGE_SIZE_LIMIT_BYTES);
    assert.equal(limits.admit({ conversationId: 'a:p', tenantId: TENANT, activity: fits }).status, 'ok');
    const over = { type: 'message', text: 'é'.repeat(MESSAGE_SIZE_LIMIT_BYTES / 2) };
    const v = limits.admit({ conversationId: 'a:p', tenantId: TENANT, activity: over });
    assert.deepEqual(v, { status: 413, bytes: teamsMessageBytes(over) });
    assert.equal(limits.count(413), 1);
  });
});

describe('the test channel enforces Teams limits over HTTP', () => {
  let channel: TestChannel;
  afterEach(async () => {
    await channel.stop();
  });

  const post = (activity: Record<string, unknown>, conversation = '19:c@thread.tacv2;messageid=1') =>
    fetch(`${channel.url}v3/conversations/${encodeURIComponent(conversation)}/activities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });

  it('answers the 8th post within a second with 429 Throttled and Retry-After, and drops it', async () => {
    channel = await new TestChannel('http://127.0.0.1:9').start();
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await post({ type: 'message', text: `line ${i}` }));
    assert.deepEqual(
      answers.map((r) => r.status),
      [200, 200, 200, 200, 200, 200, 200, 429],
    );
    const refused = answers[7]!;
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.deepEqual(await refused.json(), { error: { code: 'Throttled', message: 'Too many requests.' } });
    assert.equal(channel.outbound.length, 7);
  });

  it('answers a message over the size limit with 413 MessageSizeTooBig', async () => {
    channel = await new TestChannel('http://127.0.0.1:9').start();
    const r = await post({ type: 'message', text: 'x'.repeat(60_000) });
    assert.equal(r.status, 413);
    assert.deepEqual(await r.json(), { error: { code: 'MessageSizeTooBig', message: 'Message size too large.' } });
    assert.equal(channel.outbound.length, 0);
  });

  it("accepts everything when a test asks for the old channel ('limits: off')", async () => {
    channel = await new TestChannel('http://127.0.0.1:9', { limits: 'off' }).start();
    for (let i = 0; i < 10; i++) assert.equal((await post({ type: 'message', text: `line ${i}` })).status, 200);
    assert.equal((await post({ type: 'message', text: 'x'.repeat(60_000) })).status, 200);
    assert.equal(channel.limits, null);
  });
});
