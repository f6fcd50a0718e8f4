import assert from 'node:assert/strict';
import { actions, cardOf, cardText } from '../support/connector';
import { parseCsv } from '../support/csv';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const TEMPLATE = 'https://contoso.service-now.com/change_request.do?number={ticket}';
const REASON = 'the HR app now reads it from Entra';

describe('bot: justification and ticket (REQUIRE_JUSTIFICATION, TICKET_PATTERN, TICKET_URL_TEMPLATE)', () => {
  let s: Stack;
  before(async () => {
    s = await startStack({
      REQUIRE_JUSTIFICATION: 'true',
      TICKET_PATTERN: 'CHG[0-9]{7}',
      TICKET_URL_TEMPLATE: TEMPLATE,
    });
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
  });

  /** Alex's requests as stored. */
  const stored = () => s.bot.service.mine(people.alex.aadObjectId);

  /** `who` says `text` in conversation `key`; the first reply. */
  async function reply(text: string, key: string, who = people.alex) {
    const since = s.channel.outbound.length;
    await s.channel.say(who, text, { key });
    // A slow turn may show a typing indicator first: the answer is the first real message.
    return s.channel.waitFor((o) => o.conversationId.includes(key) && o.activity.type !== 'typing', 10_000, since);
  }

  it('a request without its ticket, with a foreign one, or with a time is refused, and nothing is stored', async () => {
    const before = (await stored()).length;
    const missing = await reply('move SecGroup2 to cloud', 'no-ticket');
    assert.match(missing.activity.text, /need a change ticket matching `CHG\[0-9\]\{7\}`.*Nothing was requested/);
    const foreign = await reply(`move SecGroup2 to cloud for INC-42 because ${REASON}`, 'foreign-ticket');
    assert.match(foreign.activity.text, /\*\*INC-42\*\* is not a ticket of the form/);
    const partial = await reply(`move SecGroup2 to cloud for CHG00123456 because ${REASON}`, 'long-ticket');
    assert.match(partial.activity.text, /is not a ticket of the form/);
    const timed = await reply(`move SecGroup2 to cloud on Funday at 23:00 for CHG0012345 because ${REASON}`, 'timed');
    assert.match(
      timed.activity.text,
      /^I could not read "on Funday at 23:00" as a date and time\..*Nothing was requested/,
    );
    const short = await reply('move SecGroup2 to cloud for CHG0012345 because HR', 'short');
    assert.match(short.activity.text, /at least 10 characters; yours has 2/);
    const check = await reply('check SecGroup2 for CHG0012345', 'check');
    assert.match(check.activity.text, /^A check changes nothing/);
    assert.equal((await stored()).length, before);
    assert.deepEqual(await s.graphRequests(), [], 'nothing was even looked up');
  });

  it('a reason given inline: the approval card at once, the ticket a link, the reason on it', async () => {
    const msg = await reply(`move SecGroup1 to cloud for CHG0012345 because ${REASON}`, 'inline');
    const card = cardOf(msg);
    assert.ok(card, msg.activity.text);
    const text = cardText(card);
    assert.match(text, /waiting for approval/);
    assert.ok(text.includes('[CHG0012345](https://contoso.service-now.com/change_request.do?number=CHG0012345)'), text);
    assert.match(text, new RegExp(`Reason \\| ${REASON}`));
    const req = (await stored()).find((r) => r.groupName === 'SecGroup1')!;
    assert.deepEqual([req.ticket, req.justification], ['CHG0012345', REASON]);
    await s.bot.service.cancel(req.id, { id: people.alex.aadObjectId, name: 'Alex Wilber' });
  });

  it('no reason: the reason card; only the requester fills it, with 10 characters at least; one request', async () => {
    const before = (await stored()).length;
    const msg = await reply('move SecGroup2 to cloud for CHG0012345', 'card');
    const card = cardOf(msg);
    assert.match(cardText(card), /Why is this change needed\? Move to cloud: SecGroup2/);
    const input = JSON.stringify(card);
    assert.match(input, /"type":"Input.Text","id":"justification"/);
    assert.match(input, /"isRequired":true/);
    const [button] = actions(card).filter((a) => a.verb === 'justify');
    assert.ok(button);
    assert.equal((await stored()).length, before, 'nothing stored before the reason');

    const other = await s.channel.click(people.lee, msg.id, 'justify', { ...button.data, justification: REASON });
    assert.match(other.message ?? '', /Only the person who asked for this change can give its reason/);
    const tooShort = await s.channel.click(people.alex, msg.id, 'justify', {
      ...button.data,
      justification: ' short ',
    });
    assert.match(tooShort.message ?? '', /at least 10 characters; yours has 5/);
    assert.equal((await stored()).length, before);

    const since = s.channel.outbound.length;
    const given = await s.channel.click(people.alex, msg.id, 'justify', { ...button.data, justification: REASON });
    assert.ok(given.card, JSON.stringify(given.body));
    assert.match(cardText(given.card), /Reason given by Alex Wilber; request R-[0-9A-Z]{6} is posted below/);
    assert.equal(actions(given.card).length, 0, 'the answered card has no button left');
    const approval = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 10_000, since);
    assert.match(cardText(cardOf(approval)), /change_request\.do\?number=CHG0012345\)/);
    assert.match(cardText(cardOf(approval)), new RegExp(REASON));

    // Clicked again (a second client, a retry): the same request, no other.
    const again = await s.channel.click(people.alex, msg.id, 'justify', { ...button.data, justification: REASON });
    assert.match(again.message ?? '', /already given: the request is R-/);
    const mine = (await stored()).filter((r) => r.groupName === 'SecGroup2');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.id, button.data.requestId);
    assert.deepEqual([mine[0]!.ticket, mine[0]!.justification], ['CHG0012345', REASON]);

    // The approver's export carries both as columns.
    await s.bot.service.cancel(mine[0]!.id, { id: people.alex.aadObjectId, name: 'Alex Wilber' });
    const exported = await reply('export last 2 days', 'export', people.megan);
    const url = /\((http[^)]+)\)/.exec(exported.activity.text ?? '')![1]!;
    const u = new URL(url);
    const res = await fetch(`${u.origin}${u.pathname}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: u.searchParams.toString(),
    });
    const [header, ...rows] = parseCsv(Buffer.from(await res.arrayBuffer()).toString('utf8'));
    const row = rows.find((r) => r[header!.indexOf('request id')] === mine[0]!.id)!;
    assert.equal(row[header!.indexOf('justification')], REASON);
    assert.equal(row[header!.indexOf('ticket')], 'CHG0012345');
  });

  it('a time with no reason: the reason card carries it, and the request it makes is scheduled', async () => {
    const msg = await reply('move AppAccess-Parent to cloud for CHG0000043 in 2 hours', 'timed-card');
    const card = cardOf(msg);
    assert.ok(card, `a card, not: ${msg.kind} ${JSON.stringify(msg.activity).slice(0, 600)}`);
    assert.match(cardText(card), /When \| in 2 hours/);
    const [button] = actions(card).filter((a) => a.verb === 'justify');
    const given = await s.channel.click(people.alex, msg.id, 'justify', { ...button!.data, justification: REASON });
    assert.ok(given.card, JSON.stringify(given.body));
    const made = (await stored()).find((r) => r.id === button!.data.requestId)!;
    assert.ok(made.scheduledFor, 'scheduled');
    const hours = (Date.parse(made.scheduledFor) - Date.parse(made.createdAt)) / 3_600_000;
    assert.ok(Math.abs(hours - 2) < 0.01, `about 2 hours ahead: ${hours}`);
    const c = await s.bot.service.cancel(made.id, { id: people.alex.aadObjectId, name: 'Alex Wilber' });
    assert.equal(c.outcome, 'done', JSON.stringify(c));
  });

  it('two clicks at once on one reason card make one request, and both are answered', async () => {
    const msg = await reply('move SecGroup1-Leaf to cloud for CHG0000042', 'twice');
    const [button] = actions(cardOf(msg)).filter((a) => a.verb === 'justify');
    const clicks = await Promise.all(
      [1, 2].map(() => s.channel.click(people.alex, msg.id, 'justify', { ...button!.data, justification: REASON })),
    );
    for (const c of clicks) {
      assert.equal(c.status, 200);
      assert.doesNotMatch(`${c.message ?? ''} ${JSON.stringify(c.card ?? {})}`, /went wrong/);
    }
    const made = (await stored()).filter((r) => r.groupName === 'SecGroup1-Leaf');
    assert.deepEqual(
      made.map((r) => r.id),
      [button!.data.requestId],
    );
    await s.bot.service.cancel(made[0]!.id, { id: people.alex.aadObjectId, name: 'Alex Wilber' });
  });

  for (const [text, scope] of [
    ['move SecGroup1 and its nested groups to cloud for CHG0000044', 'tree'],
    ['move SOAGroup3, SecGroup2 to cloud for CHG0000045', 'groups'],
  ] as const)
    it(`a plan (${scope}) asks for its reason the same way, and the card's submit creates the plan`, async () => {
      const msg = await reply(text, `plan-${scope}`);
      const [button] = actions(cardOf(msg)).filter((a) => a.verb === 'justify');
      assert.ok(button, msg.activity.text ?? cardText(cardOf(msg)));
      assert.equal(JSON.parse(String(button.data.scope)).kind, scope);
      const given = await s.channel.click(people.alex, msg.id, 'justify', { ...button.data, justification: REASON });
      assert.ok(given.card, JSON.stringify(given.body));
      const req = await s.bot.service.get(String(button.data.requestId));
      assert.ok(req?.plan, 'a plan');
      assert.deepEqual([req.ticket, req.justification], [text.slice(-10), REASON]);
      await s.bot.service.cancel(req.id, { id: people.alex.aadObjectId, name: 'Alex Wilber' });
    });

  it('the button of a check card cannot skip the ticket: refused with the same words, nothing stored', async () => {
    const before = (await stored()).length;
    const checked = await reply('check SecGroup2', 'check-card');
    const [button] = actions(cardOf(checked)).filter((a) => a.verb === 'request');
    assert.ok(button, cardText(cardOf(checked)));
    const r = await s.channel.click(people.alex, checked.id, 'request', button.data, { key: 'check-card' });
    assert.match(r.message ?? '', /need a change ticket matching/);
    assert.equal((await stored()).length, before);
  });

  it('a forged reason card (another scope, a bad ticket) is refused without a request', async () => {
    const base = { requestId: 'R-ZZZZZZ', requesterId: people.alex.aadObjectId, justification: REASON };
    for (const data of [
      { ...base, scope: '{"kind":"group","action":"move","groupId":"../../me"}' },
      { ...base, scope: 'not json' },
      {
        ...base,
        scope: '{"kind":"group","action":"move","groupId":"a1000000-0000-4000-8000-000000000001"}',
        ticket: 'x](y)',
      },
    ]) {
      const r = await s.channel.click(people.alex, 'card-x', 'justify', data);
      assert.match(r.message ?? '', /does not describe a change I can request/);
    }
    assert.equal(await s.bot.service.get('R-ZZZZZZ'), null);
  });
});
