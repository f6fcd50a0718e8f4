/** Teams' size limit: every outgoing activity measured as Teams counts it, a card cut to fit. */
import assert from 'node:assert/strict';
import { CardFactory, MessageFactory } from 'botbuilder';
import { fitted, teamsBytes } from '../../src/bot/gateway/size';

const LIMIT = 80 * 1024;
const long = (i: number) => `BIG-Root-1-${i} ${'Ünïcødé 🚀 '.repeat(8)}`;

function card(body: unknown[], actions: unknown[] = []) {
  return MessageFactory.attachment(
    CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body, actions }),
  ) as unknown as Record<string, any>;
}

describe('outbound gateway: the size limit', () => {
  it('counts UTF-16 code units twice, as Teams does', () => {
    assert.equal(teamsBytes({ t: 'é🚀' }), 2 * '{"t":"é🚀"}'.length);
    assert.equal('{"t":"é🚀"}'.length, 11);
  });

  it('leaves an activity under the limit as it is', () => {
    const a = card([{ type: 'TextBlock', text: 'small' }]);
    assert.equal(fitted(a).activity, a);
    assert.equal(fitted(a).cut, 0);
  });

  it('cuts the longest list of a card to what fits, closed by a line saying how many and where', () => {
    const facts = Array.from({ length: 2_000 }, (_, i) => ({ title: `${i + 1}`, value: long(i) }));
    const approve = { type: 'Action.Execute', verb: 'approve', title: 'Approve', data: { requestId: 'R-1' } };
    const a = card(
      [
        { type: 'TextBlock', text: 'Plan' },
        { type: 'FactSet', facts },
      ],
      [approve, { ...approve, verb: 'reject' }],
    );
    assert.ok(teamsBytes(a) > LIMIT);
    const { activity, cut, bytes } = fitted(a);
    assert.ok(bytes <= LIMIT && teamsBytes(activity) === bytes);
    const content = (activity as Record<string, any>).attachments[0].content;
    const kept = content.body[1].facts as Array<{ title: string; value: string }>;
    const note = kept.at(-1)!;
    assert.match(note.value, new RegExp(`… and ${cut} more, .*\`status\` and \`export\``));
    assert.equal(kept.length - 1 + cut, 2_000);
    assert.deepEqual(kept[0], facts[0]);
    // Nearly full: one more fact would not have fitted.
    assert.ok(bytes + teamsBytes(facts[kept.length - 1]) > LIMIT - 200);
    assert.equal(content.actions.length, 2, 'buttons are never cut');
    assert.equal(a.attachments[0].content.body[1].facts.length, 2_000, 'the original is left as it was');
  });

  it('a table loses rows and gets a row saying so; a list of elements a text block', () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => ({
      type: 'TableRow',
      cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: long(i) }] }],
    }));
    const t = fitted(card([{ type: 'Table', columns: [{ width: 1 }], rows }]));
    const kept = (t.activity as Record<string, any>).attachments[0].content.body[0].rows;
    assert.equal(kept.at(-1).type, 'TableRow');
    assert.match(kept.at(-1).cells[0].items[0].text, /… and \d+ more/);
    assert.ok(t.bytes <= LIMIT);

    const items = Array.from({ length: 1_500 }, (_, i) => ({ type: 'TextBlock', text: long(i), wrap: true }));
    const c = fitted(card([{ type: 'Container', items }]));
    const inside = (c.activity as Record<string, any>).attachments[0].content.body[0].items;
    assert.equal(inside.at(-1).type, 'TextBlock');
    assert.match(inside.at(-1).text, new RegExp(`… and ${c.cut} more`));
    assert.ok(c.bytes <= LIMIT);
  });

  it('a text over the limit is shortened, saying so', () => {
    const a = { type: 'message', text: long(1).repeat(1_000) };
    const { activity, bytes } = fitted(a);
    assert.ok(bytes <= LIMIT, `${bytes}`);
    assert.match(String(activity.text), /shortened to Teams' size limit/);
  });
});
