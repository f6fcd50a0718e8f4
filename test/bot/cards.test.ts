/**
 * What a person reads on the cards and in the messages, as Teams receives them: placeholders
 * that survive Teams' Markdown, checks that lead with what needs attention, and a text version
 * (fallbackText, speak) of every card.
 */
import assert from 'node:assert/strict';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const text = (o: Outbound) => String(o.activity.text ?? '');
const isCard = (o: Outbound) => !!cardOf(o);
const BOARD = /^(Group SOA requests in this conversation|This board was replaced)/;
/** A card the bot answered with: not an update of an earlier card, nor a board, which may arrive in between. */
const isAnswer = (o: Outbound) => o.kind !== 'update' && isCard(o) && !BOARD.test(cardText(cardOf(o)));
/** The text the bot answered with (board updates may arrive in between). */
const reply = (out: Outbound[]) =>
  out
    .filter((o) => o.kind !== 'update')
    .map(text)
    .find(Boolean) ?? '';

/** Something Teams' Markdown takes for an HTML tag and drops (a mention, <at>…</at>, is meant). */
const TAG = /<(?!\/?at>)\/?[a-z][^<>]*>/i;

async function ask(s: Stack, said: string, who = people.alex): Promise<Outbound[]> {
  const since = s.channel.outbound.length;
  assert.equal((await s.channel.say(who, said)).status, 200);
  return s.channel.outbound.slice(since);
}

/** Every text a person reads in what the bot sent: message text and card text. */
/** The check rows of a card: title → status label, in card order; `folded` for the hidden ones. */
function rowsOf(card: any): { open: Map<string, string>; folded: Map<string, string> } {
  const rows = (n: unknown) =>
    new Map([...cardText(n).matchAll(/\*\*([^*]+)\*\* \(([^)]+)\)/g)].map((m) => [m[1]!, m[2]!] as const));
  const folded = (card.body as any[]).find((e) => e.id === 'foldedChecks');
  const open = (card.body as any[]).filter((e) => e !== folded && e.type === 'Container' && !e.style);
  return { open: rows(open), folded: folded ? rows(folded) : new Map() };
}

/** Every Adaptive Card in what the bot sent (replies, updates, click answers). */
const cards: unknown[] = [];

const shown = (out: Outbound[]) => out.map((o) => `${text(o)} ${isCard(o) ? cardText(cardOf(o)) : ''}`).join('\n');

describe('bot: what cards and messages show', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });
  afterEach(() => {
    cards.push(...s.channel.outbound.filter(isCard).map(cardOf));
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
  });

  it('placeholders are written so that Markdown keeps them: &lt;group&gt;, never a bare <group>', async () => {
    const help = cardText(cardOf((await ask(s, 'help'))[0]!));
    for (const usage of [
      'move &lt;group&gt; to cloud',
      'status',
      'cancel &lt;request id&gt;',
      'rollback &lt;group&gt;',
    ])
      assert.ok(help.includes(usage), `help shows ${usage}`);
    assert.match(help, /"status &lt;group&gt;" or "status &lt;request id&gt;"/);
    const board = cardText(cardOf((await ask(s, 'board', people.lee))[0]!));
    assert.match(board, /Type "move &lt;group&gt; to cloud" to start one/);
    assert.match(board, /Type "status &lt;request id&gt;" for a request's timeline/);
    const none = cardText(cardOf((await ask(s, 'status', people.lee))[0]!));
    assert.match(none, /Try "move &lt;group&gt; to cloud"/);

    // Messages: a plan over a group with an open request, and `rollback R-…` of a single request.
    const leaf = await ask(s, 'move SecGroup1-Leaf to cloud');
    const id = String(actions(cardOf(leaf.find(isAnswer)!)).find((a) => a.verb === 'approve')!.data.requestId);
    const conflicts = reply(await ask(s, 'move SecGroup1-Nested and its nested groups to cloud'));
    assert.match(conflicts, /Type "status &lt;request id&gt;" to see one\./);
    const notPlan = reply(await ask(s, `rollback ${id}`));
    assert.match(notPlan, /roll single groups back with "rollback &lt;group&gt;"/);

    const all = shown(s.channel.outbound);
    assert.doesNotMatch(all, TAG, 'no text the Markdown would take for a tag');
  });

  it('a blocked check leads with the reason and leaves out the rows that do not apply to the group', async () => {
    const m365 = await ask(s, 'move Project X to cloud');
    const reason = 'Project X is a Microsoft 365 group created in the cloud: there is nothing to switch.';
    assert.equal(reply(m365), `${reason} This move cannot be requested.`);
    const card = cardOf(m365.find(isAnswer)!);
    assert.equal(card.body[0].items[1].text, `${reason} This move to cloud cannot be requested.`, 'under the title');
    const rows = rowsOf(card);
    assert.deepEqual([...rows.open], [['Synced from AD', 'blocking']]);
    assert.deepEqual([...rows.folded], [['Tenant sync', 'pass']], 'nothing about a switch that cannot happen');
    assert.doesNotMatch(cardText(card), /Sync client versions|Later AD edits|Nested groups|Extension attributes/);

    const cloudOnly = reply(await ask(s, 'check CloudOnly-Engineering'));
    assert.equal(cloudOnly, '', 'a check is a card alone');
    const soa3 = await ask(s, 'move SOAGroup3 to cloud');
    assert.match(reply(soa3), /^SOAGroup3 is cloud-managed: a move needs a group managed in AD\. /);
    assert.deepEqual([...rowsOf(cardOf(soa3.find(isAnswer)!)).open][0], ['Current source of authority', 'blocking']);
  });

  it(
    'the approval card: blocking and warning rows first, passing rows folded behind "Show all N checks", ' +
      'the sync-client acknowledgement said once',
    async () => {
      const out = await ask(s, 'move SecGroup1 to cloud');
      const card = cardOf(out.find(isAnswer)!);
      const { open, folded } = rowsOf(card);
      assert.deepEqual([...open.values()], ['warning', 'warning', 'warning']);
      assert.deepEqual([...open.keys()], ['Nested groups stay in AD', 'Extension attributes 1–15', 'Later AD edits']);
      assert.deepEqual([...folded.values()], ['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
      assert.equal(card.body.find((e: any) => e.id === 'foldedChecks').isVisible, false, 'folded');
      const toggles = card.body.filter((e: any) => e.type === 'ActionSet').map((e: any) => e.actions[0]);
      assert.deepEqual(
        toggles.map((a: any) => [a.type, a.title]),
        [
          ['Action.ToggleVisibility', 'Show all 9 checks'],
          ['Action.ToggleVisibility', 'Hide the passing checks'],
        ],
      );
      assert.match(cardText(card), /Prerequisites: 3 warnings · 6 pass/);
      const all = JSON.stringify(card);
      assert.equal(all.match(/Connect Sync 2\.5\.76\.0/g)?.length, 1, 'once: next to the tick box');
      const tick = card.body.find((e: any) => e.id === 'ackSyncVersions');
      assert.match(tick.title, /^I confirm: Connect Sync 2\.5\.76\.0 or later/);

      const msg = out.find(isAnswer)!;
      const approve = actions(card).find((a) => a.verb === 'approve')!;
      const click = await s.channel.click(people.megan, msg.id, 'approve', {
        ...approve.data,
        ackSyncVersions: 'true',
      });
      cards.push(click.card);
      const after = rowsOf(click.card);
      assert.equal(after.folded.get('Sync client versions'), 'confirmed by the approver', 'decided: folded');
      assert.equal(after.open.size, 3);
    },
  );

  it('every card has a text version: fallbackText and speak, no emphasis marks or tags in them', async () => {
    await ask(s, 'help');
    await ask(s, 'board');
    await ask(s, 'board');
    await ask(s, 'check Marketing');
    await ask(s, 'pending', people.megan);
    await admin(s.tenant, 'POST', '/_fake/faults', { match: '/groups', status: 403, count: 20 });
    assert.match(cardText(cardOf((await ask(s, 'check SecGroup2')).find(isAnswer)!)), /Not allowed/);
    const seen = [...cards, ...s.channel.outbound.filter(isCard).map(cardOf)];
    const titles = seen.map((c: any) => String(c.body?.[0]?.text ?? c.body?.[0]?.items?.[0]?.text));
    for (const t of ['What I can do', 'Group SOA requests in this conversation', 'This board was replaced'])
      assert.ok(
        titles.some((x) => x.startsWith(t)),
        `a ${t} card among ${titles.join(', ')}`,
      );
    for (const c of seen as any[]) {
      assert.ok(
        c.fallbackText?.length > 10 && c.speak?.length > 10,
        `text version of ${JSON.stringify(c).slice(0, 200)}`,
      );
      assert.doesNotMatch(c.speak, /[<>*`&]/, c.speak);
      assert.doesNotMatch(c.fallbackText, /\*\*|`|</, c.fallbackText);
    }
    const request = (seen as any[]).find((c) => /^Move to cloud: SecGroup1\. Requested by/.test(c.fallbackText));
    assert.match(request.speak, /Prerequisites: 3 warnings, 6 pass: Nested groups stay in AD \(warning\)/);
    const help = (seen as any[]).find((c) => c.body[0].text === 'What I can do');
    assert.match(help.speak, /Commands: move, rollback, check, status, pending, board, export, cancel, sign in/);
  });
});
