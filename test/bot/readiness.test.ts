/**
 * The readiness report end to end: the bot in process, the fake tenant over HTTPS (group delta,
 * the cloud-managed filter, the count), SQLite. Every seed group in its class with its reasons,
 * the summary card's charts and fallbacks, the full list through the private link, progress on
 * the card, cancel, one scan at a time, bad input.
 */
import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { parseCsv } from '../support/csv';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

/** Every seed group synced from AD at some point: class, reasons (in words, sorted), depth, wave. */
const EXPECTED: Record<string, [string, string, string[], number, number | null]> = {
  [GROUP.secGroup1]: [
    'SecGroup1',
    'Ready with warnings',
    ['child groups still managed in AD', 'extension attributes set'],
    2,
    3,
  ],
  [GROUP.secGroup1Nested]: [
    'SecGroup1-Nested',
    'Ready with warnings',
    ['child groups still managed in AD', 'parent groups still synced from AD'],
    1,
    2,
  ],
  [GROUP.secGroup1Leaf]: ['SecGroup1-Leaf', 'Ready with warnings', ['parent groups still synced from AD'], 0, 1],
  [GROUP.secGroup2]: ['SecGroup2', 'Ready with warnings', ['parent groups still synced from AD'], 0, 1],
  [GROUP.appAccessParent]: ['AppAccess-Parent', 'Ready with warnings', ['child groups still managed in AD'], 1, 2],
  [GROUP.soaGroup3]: ['SOAGroup3', 'Already cloud-managed', [], 0, null],
  [GROUP.financeDl]: ['Finance DL', 'Ready with warnings', ['mail-enabled'], 0, 1],
  [GROUP.helpdeskMesg]: ['Helpdesk MESG', 'Ready with warnings', ['extension attributes set', 'mail-enabled'], 0, 1],
  [GROUP.marketingA]: ['Marketing', 'Ready', [], 0, 1],
  [GROUP.marketingB]: ['Marketing', 'Ready', [], 0, 1],
  [GROUP.obrienAdmins]: ["O'Brien Admins", 'Ready', [], 0, 1],
};

const linkIn = (text: string) => /\((http[^)]+)\)/.exec(text)![1]!;

/** Opens the link's page, then presses its button (a form post of the link's fields). */
async function download(url: string): Promise<Response> {
  const page = await fetch(url);
  assert.equal(page.status, 200);
  const u = new URL(url);
  return fetch(`${u.origin}${u.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: u.searchParams.toString(),
  });
}

/** Every element of a card (body and nested), depth first. */
function elements(card: unknown): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, any>;
      if (typeof o.type === 'string') out.push(o);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}

/** The summary's title (the cancelled and failed cards' titles go on "cancelled", "failed"). */
const SUMMARY = /^Readiness report(?! cancelled| failed)/;

const CHANNEL = { kind: 'channel' as const, key: 'readiness' };

describe('bot: the readiness report', function () {
  this.timeout(90_000);
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
    await admin(s.tenant, 'DELETE', '/_fake/faults');
  });

  /** `who` types `text` in the channel; the bot's first answer there, and the progress card's activity. */
  async function ask(text: string, who = people.megan): Promise<Outbound> {
    const since = s.channel.outbound.length;
    await s.channel.say(who, text, CHANNEL);
    return s.channel.waitFor((o) => o.conversationId.startsWith('19:readiness'), 10_000, since);
  }

  /** The card of `cardId` once its update matches `pattern`. */
  async function updated(cardId: string, pattern: RegExp, timeoutMs = 30_000): Promise<Outbound> {
    return s.channel.waitFor(
      (o) => o.kind === 'update' && o.targetId === cardId && pattern.test(cardText(cardOf(o))),
      timeoutMs,
    );
  }

  it('classifies every seed group with its reasons; the summary has its charts, fallbacks and Export', async () => {
    const posted = await ask('readiness');
    assert.match(cardText(cardOf(posted)), /^Reading groups/);
    const done = await updated(posted.id, SUMMARY);
    const card = cardOf(done);
    assert.equal(card.version, '1.5');
    const all = elements(card);
    const donut = all.find((e) => e.type === 'Chart.Donut')!;
    const bars = all.find((e) => e.type === 'Chart.VerticalBar')!;
    assert.ok(donut && bars, cardText(card));
    assert.ok(donut.fallback && typeof donut.fallback === 'object', 'the donut has a fallback element');
    assert.ok(bars.fallback && typeof bars.fallback === 'object', 'the bar chart has a fallback element');
    const donutData = Object.fromEntries(
      (donut.data as Array<{ legend: string; value: number }>).map((d) => [d.legend, d.value]),
    );
    assert.equal(donutData['Ready'], 3);
    assert.equal(donutData['Ready with warnings'], 7);
    assert.equal(donutData['Already cloud-managed'], 1);
    assert.equal(donutData['Blocked'] ?? 0, 0);
    assert.deepEqual(
      (bars.data as Array<{ x: string; y: number }>).map((d) => [d.x, d.y]),
      [
        ['1', 7],
        ['2', 2],
        ['3', 1],
      ],
    );
    const exp = actions(card).find((a) => a.verb === 'exportReadiness');
    assert.ok(exp, 'Export the full list');
    assert.ok(!actions(card).some((a) => a.verb === 'cancelReadiness'), 'no Cancel once done');

    // The full list: sent to Megan alone, one row per group, every seed group in its class.
    const since = s.channel.outbound.length;
    const click = await s.channel.click(people.megan, done.id, 'exportReadiness', exp.data, {
      ...CHANNEL,
      conversationId: done.conversationId,
    });
    assert.match(String(click.message), /privately/);
    const chat = s.channel.created.at(-1)!;
    const privately = await s.channel.waitFor(
      (o) => o.conversationId === chat.id && /download the CSV/.test(o.activity.text ?? ''),
      10_000,
      since,
    );
    assert.ok(!JSON.stringify(s.channel.sentTo(done.conversationId).slice(-3)).includes('/api/exports'));
    const url = linkIn(privately.activity.text);
    const res = await download(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', /filename="soa-readiness-S-/);
    const [header, ...rows] = parseCsv(Buffer.from(await res.arrayBuffer()).toString('utf8'));
    const col = (name: string) => header!.indexOf(name);
    const got = Object.fromEntries(
      rows.map((r) => [
        r[col('Group id')]!,
        [
          r[col('Group name')]!,
          r[col('Class')]!,
          r[col('Reasons')] ? r[col('Reasons')]!.split('; ').sort() : [],
          Number(r[col('Nesting depth')]),
          r[col('Wave')] ? Number(r[col('Wave')]) : null,
        ],
      ]),
    );
    assert.deepEqual(got, EXPECTED);
    assert.equal((await download(url)).status, 410, 'the link works once');
    // A link whose payload names another scan is refused (the signature covers it).
    const forged = url.replace(
      /p=([^&]+)/,
      (_m, p: string) =>
        'p=' +
        Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scan: 'S-ZZZZZZ' }),
        ).toString('base64url'),
    );
    assert.equal((await fetch(forged)).status, 403);
    // Lee, who cannot approve, gets no link.
    const lee = await s.channel.click(people.lee, done.id, 'exportReadiness', exp.data, {
      ...CHANNEL,
      conversationId: done.conversationId,
    });
    assert.match(String(lee.message), /^Only approvers can export the readiness list/);
  });

  it('an open request in the bot blocks its group, with its id', async () => {
    const { data } = await requestCard(s, 'move SecGroup2 to cloud');
    const posted = await ask('readiness');
    const done = await updated(posted.id, SUMMARY);
    assert.match(cardText(cardOf(done)), /an open request in the bot/);
    const exp = actions(cardOf(done)).find((a) => a.verb === 'exportReadiness')!;
    const since = s.channel.outbound.length;
    await s.channel.click(people.megan, done.id, 'exportReadiness', exp.data, {
      ...CHANNEL,
      conversationId: done.conversationId,
    });
    const privately = await s.channel.waitFor((o) => /download the CSV/.test(o.activity.text ?? ''), 10_000, since);
    const csv = Buffer.from(await (await download(linkIn(privately.activity.text))).arrayBuffer()).toString('utf8');
    const row = parseCsv(csv).find((r) => r[0] === GROUP.secGroup2)!;
    assert.equal(row[3], 'Blocked');
    assert.match(row[4]!, /an open request in the bot/);
    assert.equal(row[9], data.requestId);
    // Cancelled, so the next tests start without it.
    await s.channel.say(people.alex, `cancel ${String(data.requestId)}`);
  });

  it('shows progress on the card while it reads; Cancel stops it; a second ask meanwhile gets its id', async () => {
    // One group a page, each page slow: hops of 3 s end before the last page.
    await admin(s.tenant, 'PUT', '/_fake/settings', { deltaPageGroups: 1 });
    await admin(s.tenant, 'POST', '/_fake/faults', { match: '/groups/delta', delayMs: 800, count: 40 });
    const posted = await ask('readiness');
    const scanId = /S-[0-9A-Z]{6}/.exec(JSON.stringify(cardOf(posted)))![0];
    const progress = await updated(posted.id, /^Reading groups: \d+ of 13/);
    assert.match(cardText(cardOf(progress)), /pages read/);
    const second = await ask('readiness', people.alex);
    assert.equal(
      second.activity.text,
      `A readiness scan is already running: ${scanId}. ` +
        'Its card shows how far it got; cancel it there to start another.',
    );
    // Lee may not cancel it; Megan does.
    const cancel = actions(cardOf(progress)).find((a) => a.verb === 'cancelReadiness')!;
    const refused = await s.channel.click(people.lee, posted.id, 'cancelReadiness', cancel.data, CHANNEL);
    assert.match(String(refused.message), /^Only approvers/);
    const click = await s.channel.click(people.megan, posted.id, 'cancelReadiness', cancel.data, CHANNEL);
    assert.match(cardText(click.card), /cancelled/i);
    await updated(posted.id, /cancelled/i);
    // The scan stops: no summary follows, and a new one may start.
    await admin(s.tenant, 'DELETE', '/_fake/faults');
    const again = await ask('readiness');
    assert.match(cardText(cardOf(again)), /^Reading groups/);
    await updated(again.id, SUMMARY);
    assert.ok(
      !s.channel.outbound.some((o) => o.targetId === posted.id && SUMMARY.test(cardText(cardOf(o)))),
      'the cancelled scan never finished',
    );
  });

  it('bad input: approvers only; a slice that matches nothing; a slice keeps its own groups', async () => {
    const lee = await ask('readiness', people.lee);
    assert.match(lee.activity.text, /^Only approvers can run the readiness report/);
    const none = await ask('readiness groups starting with "HR-"');
    assert.equal(none.activity.text, 'No group name starts with **HR-**.');
    const posted = await ask('readiness SecGroup1*');
    const done = await updated(posted.id, SUMMARY);
    const text = cardText(cardOf(done));
    assert.match(text, /SecGroup1/);
    const donut = elements(cardOf(done)).find((e) => e.type === 'Chart.Donut')!;
    assert.equal(
      (donut.data as Array<{ value: number }>).reduce((n, d) => n + d.value, 0),
      3,
    );
  });
});
