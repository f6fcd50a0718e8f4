/**
 * The outbound gateway in the running bot, against the test channel: every Bot Connector call
 * goes through one pacer that retries in place of the connector client, and an invoke's answer
 * never waits for it.
 */
import assert from 'node:assert/strict';
import { cardOf, cardText } from '../support/connector';
import { people, requestCard, startStack, type Stack } from '../support/stack';

describe('outbound gateway: retries and invoke answers in the running bot', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    s.channel.clearFaults();
    await s?.stop();
  });

  it('a 429 is retried after its Retry-After by the gateway alone, not by the connector client too', async function () {
    this.timeout(20_000);
    const before = s.bot.outbound();
    const since = s.channel.outbound.length;
    const failedBefore = s.channel.failed.length;
    s.channel.failNext(1, 429, { retryAfter: 1, kinds: ['send', 'reply'] });
    await s.channel.say(people.alex, 'help');
    const reply = await s.channel.waitFor((o) => !!cardOf(o), 10_000, since);
    assert.match(cardText(cardOf(reply)), /move &lt;group&gt; to cloud/);
    const failed = s.channel.failed.slice(failedBefore);
    assert.deepEqual(
      failed.map((f) => f.status),
      [429],
    );
    const after = s.bot.outbound();
    // The connector client would have absorbed it unseen; the gateway counted and retried it.
    assert.equal(after.throttled - before.throttled, 1);
    assert.equal(after.retries - before.retries, 1);
  });

  it('a 503 is tried again by the gateway: each failure seen once, the reply delivered once', async function () {
    this.timeout(20_000);
    const since = s.channel.outbound.length;
    const failedBefore = s.channel.failed.length;
    const before = s.bot.outbound();
    s.channel.failNext(2, 503, { kinds: ['send', 'reply'] });
    await s.channel.say(people.alex, 'help');
    await s.channel.waitFor((o) => !!cardOf(o), 10_000, since);
    assert.equal(s.channel.failed.length - failedBefore, 2);
    assert.equal(s.bot.outbound().retries - before.retries, 2);
    assert.equal(s.channel.outbound.slice(since).filter((o) => !!cardOf(o)).length, 1);
  });

  it("a click is answered at once while its card's update for everyone waits out a 429", async function () {
    this.timeout(30_000);
    const { msg, data } = await requestCard(s, undefined, undefined, { ackSyncVersions: 'true' });
    const since = s.channel.outbound.length;
    s.channel.failNext(1, 429, { retryAfter: 3, kinds: ['update'] });
    const t0 = Date.now();
    const r = await s.channel.click(people.megan, msg.id, 'approve', data);
    const answeredMs = Date.now() - t0;
    assert.equal(r.status, 200);
    assert.match(cardText(r.card), /Approved by Megan Bowen|Running/);
    assert.ok(answeredMs < 2_500, `answered after ${answeredMs} ms`);
    const update = await s.channel.waitFor((o) => o.kind === 'update' && o.id === msg.id, 20_000, since);
    assert.ok(Date.now() - t0 >= 3_000, 'the update came after the Retry-After');
    assert.ok(cardOf(update));
  });
});
