/**
 * What a person reads on the cards and in the messages, as Teams receives them: placeholders
 * that survive Teams' Markdown.
 */
import assert from 'node:assert/strict';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const text = (o: Outbound) => String(o.activity.text ?? '');
const isCard = (o: Outbound) => !!cardOf(o);
/** The text the bot answered with (board updates may arrive in between). */
const reply = (out: Outbound[]) => text(out.find((o) => o.kind !== 'update' && text(o))!);

/** Something Teams' Markdown takes for an HTML tag and drops (a mention, <at>…</at>, is meant). */
const TAG = /<(?!\/?at>)\/?[a-z][^<>]*>/i;

async function ask(s: Stack, said: string, who = people.alex): Promise<Outbound[]> {
  const since = s.channel.outbound.length;
  assert.equal((await s.channel.say(who, said)).status, 200);
  return s.channel.outbound.slice(since);
}

/** Every text a person reads in what the bot sent: message text and card text. */
const shown = (out: Outbound[]) => out.map((o) => `${text(o)} ${isCard(o) ? cardText(cardOf(o)) : ''}`).join('\n');

describe('bot: what cards and messages show', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
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
    const id = String(actions(cardOf(leaf.find(isCard)!)).find((a) => a.verb === 'approve')!.data.requestId);
    const conflicts = reply(await ask(s, 'move SecGroup1-Nested and its nested groups to cloud'));
    assert.match(conflicts, /Type "status &lt;request id&gt;" to see one\./);
    const notPlan = reply(await ask(s, `rollback ${id}`));
    assert.match(notPlan, /roll single groups back with "rollback &lt;group&gt;"/);

    const all = shown(s.channel.outbound);
    assert.doesNotMatch(all, TAG, 'no text the Markdown would take for a tag');
  });
});
