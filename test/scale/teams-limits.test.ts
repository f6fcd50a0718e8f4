/**
 * The bot within Teams' own limits, on the test channel that enforces them (429 with
 * Retry-After above the per-conversation and per-tenant rates, 413 above the size limit): a
 * 2,000-group plan and a burst of 20 requests in one channel complete with every message
 * delivered, in order, none refused for its size, none lost. The 429s the bot absorbed are
 * counted (and printed); `npm run bench` reports them with the wall time.
 */
import assert from 'node:assert/strict';
import { largeSeed } from '../../src/fake-tenant/large-seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { undelivered } from '../support/delivery';
import { startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const PLAN_GROUPS = 2000;
const BURST = 20;

/**
 * Nothing lost or refused for its size; the 429s the channel answered are the ones the bot's
 * gateway counts as absorbed, and it gave up on no call.
 */
function assertDelivered(s: Stack): { throttled: number; coalesced: number } {
  const limits = s.channel.limits!;
  assert.ok(limits, 'the channel enforces Teams limits');
  assert.equal(limits.count(413), 0, 'no message refused for its size');
  assert.deepEqual(undelivered(s.channel), [], 'every refused post came again and got through');
  const counts = s.bot.outbound();
  assert.equal(counts.failed, 0, 'the gateway gave up on no call');
  assert.equal(counts.throttled, limits.count(429), 'every 429 the channel answered was absorbed');
  return { throttled: limits.count(429), coalesced: counts.coalesced };
}

/** The thread's audit confirmation of group `g`. */
const confirmed = (g: string) => new RegExp(`✅ (\\*\\*)?${g}(\\*\\*)? is now cloud-managed\\. Audit log:`);

/** The Approve data of a request card, as an approver clicks it. */
function approveData(card: Outbound): Record<string, unknown> {
  return { ...actions(cardOf(card)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
}

/** The last state of a card the bot posted: its newest update, else the post itself. */
function latest(s: Stack, card: Outbound): Outbound {
  return s.channel.outbound.filter((o) => o.kind === 'update' && o.targetId === card.id).pop() ?? card;
}

describe('Teams limits: a 2,000-group plan on the enforcing channel', function () {
  this.timeout(300_000);
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({
      seed: largeSeed({ groups: PLAN_GROUPS, users: 20, depth: 6, breadth: 5, cloudManagedShare: 0 }),
      settings: { auditDelayMs: 0 },
    });
    s = await startStack({ AUDIT_POLL_FIRST_DELAY_MS: '50' }, ft);
  });
  after(async () => {
    await s?.stop();
    await ft?.close();
  });

  it('runs to completion: every step listed once and in order, the card final, nothing refused or lost', async () => {
    const t0 = performance.now();
    const key = 'plan2000';
    await s.channel.say(people.alex, 'move BIG-Root-1 and its nested groups to cloud', { kind: 'channel', key });
    const card = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 120_000);
    const data = approveData(card);
    const req = (await s.bot.service.get(String(data.requestId)))!;
    const n = req.plan!.steps.length;
    assert.ok(n >= PLAN_GROUPS * 0.95, `plan has ${n} steps`);

    await s.channel.click(people.megan, card.id, 'approve', data, { kind: 'channel', key });
    const done = new RegExp(`is complete: ${n} groups are cloud-managed; ${n} of ${n} confirmed`);
    const last = await s.channel.waitFor((o) => done.test(o.activity.text ?? ''), 280_000);
    const ms = performance.now() - t0;

    // Every step is listed once, in order, in as few messages as the size allows.
    const listing = /^Plan R-\w+, steps \d+–\d+ of \d+/;
    const listings = s.channel.outbound.filter((o) => listing.test(o.activity.text ?? ''));
    const listed = listings.flatMap((o) => String(o.activity.text).split('\n\n').slice(1));
    assert.equal(listed.length, n, `${listings.length} listing messages cover ${listed.length} of ${n} steps`);
    listed.forEach((line, i) => assert.ok(line.startsWith(`${i + 1}. `), `listing line ${i + 1}: ${line}`));
    // The completion line comes after every listing; the card ends completed.
    const order = s.channel.outbound.indexOf(last);
    assert.ok(listings.every((o) => s.channel.outbound.indexOf(o) < order));
    assert.match(cardText(cardOf(latest(s, card))), /[Cc]omplete/);
    const patches = await s.graphRequests((e) => e.method === 'PATCH' && e.status < 300);
    assert.equal(patches.length, n);

    const { throttled, coalesced } = assertDelivered(s);
    const posts = s.channel.outbound.length;
    console.log(
      `      ${n}-group plan: ${Math.round(ms / 1000)} s, ${posts} activities delivered ` +
        `(${listings.length} listing messages), ${throttled} 429s absorbed, ${coalesced} card updates coalesced`,
    );
  });
});

describe('Teams limits: a burst of 20 requests in one channel on the enforcing channel', function () {
  this.timeout(180_000);
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({
      seed: largeSeed({ groups: BURST + 1, users: 10, depth: 2, breadth: 40, cloudManagedShare: 0, randomSeed: 7 }),
      settings: { auditDelayMs: 0 },
    });
    s = await startStack({ AUDIT_POLL_FIRST_DELAY_MS: '50' }, ft);
  });
  after(async () => {
    await s?.stop();
    await ft?.close();
  });

  it('every request gets its card, is approved and confirmed; each thread in order; nothing lost', async () => {
    const t0 = performance.now();
    const key = 'burst';
    const names = Array.from({ length: BURST }, (_, i) => `BIG-Root-1-L1-${i + 1}`);
    const asked = await Promise.all(
      names.map((g) => s.channel.say(people.alex, `move ${g} to cloud`, { kind: 'channel', key })),
    );
    assert.ok(asked.every((a) => a.status === 200));
    const cards = await Promise.all(
      names.map((g) =>
        s.channel.waitFor(
          (o) => !!cardOf(o) && new RegExp(`${g}\\b[^]*waiting for approval`).test(cardText(cardOf(o))),
          60_000,
        ),
      ),
    );
    const clicks = await Promise.all(
      cards.map((c) => s.channel.click(people.megan, c.id, 'approve', approveData(c), { kind: 'channel', key })),
    );
    assert.ok(clicks.every((c) => c.status === 200));
    const confirmations = await Promise.all(
      names.map((g) => s.channel.waitFor((o) => confirmed(g).test(o.activity.text ?? ''), 120_000)),
    );
    const ms = performance.now() - t0;

    // Each request's thread in order: its card first, "switched" before the audit confirmation.
    names.forEach((g, i) => {
      const at = (o: Outbound) => s.channel.outbound.indexOf(o);
      const switched = s.channel.outbound.find((o) =>
        new RegExp(`Switched (\\*\\*)?${g}(\\*\\*)? to cloud`).test(o.activity.text ?? ''),
      );
      assert.ok(at(cards[i]!) < at(confirmations[i]!), `${g}: card before confirmation`);
      if (switched) assert.ok(at(switched) < at(confirmations[i]!), `${g}: switched before confirmed`);
      assert.match(cardText(cardOf(latest(s, cards[i]!))), /[Cc]ompleted/, `${g}: card ends completed`);
    });
    const { throttled, coalesced } = assertDelivered(s);
    console.log(
      `      ${BURST}-request burst: ${(ms / 1000).toFixed(1)} s, ${s.channel.outbound.length} activities ` +
        `delivered, ${throttled} 429s absorbed, ${coalesced} card updates coalesced`,
    );
  });
});
