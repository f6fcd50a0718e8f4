import assert from 'node:assert/strict';
import { cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

/** The channel's tracking board: posted once, then replaced in place after every transition. */
describe('bot: the tracking board and thread lines', () => {
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

  const isBoard = (o: Outbound) => /Group SOA requests in this conversation/.test(cardText(cardOf(o)));

  async function postBoard(key: string): Promise<Outbound> {
    const since = s.channel.outbound.length;
    await s.channel.say(people.adele, 'board', { kind: 'channel', key });
    return s.channel.waitFor(isBoard, 10_000, since);
  }

  /** The board card's text after the next update of `board` that satisfies `match`. */
  async function boardUpdate(board: Outbound, since: number, match: RegExp): Promise<string> {
    const o = await s.channel.waitFor(
      (x) => x.kind === 'update' && x.id === board.id && match.test(cardText(cardOf(x))),
      10_000,
      since,
    );
    return cardText(cardOf(o));
  }

  it('lists the open requests of its channel and follows each transition, up to the audit confirmation', async () => {
    const board = await postBoard('ops');
    assert.match(cardText(cardOf(board)), /0 open · 0 waiting for approval[\s\S]*No open requests here/);
    // A request in another channel never shows on this board.
    await s.channel.say(people.alex, 'move SecGroup1 to cloud', { kind: 'channel', key: 'elsewhere' });

    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, 'move SecGroup2 to cloud', { kind: 'channel', key: 'ops' });
    const card = await s.channel.waitFor(
      (o) => /waiting for approval/.test(cardText(cardOf(o))) && o.conversationId.startsWith('19:ops@'),
      10_000,
      since,
    );
    const text = await boardUpdate(board, since, /1 open · 1 waiting for approval/);
    const id = /\*\*(R-[A-Z0-9]{6})\*\* · move to cloud of SecGroup2/.exec(text)?.[1];
    assert.ok(id, text);
    assert.doesNotMatch(text, /SecGroup1/);

    const req = (await s.bot.service.get(id))!;
    const afterClick = s.channel.outbound.length;
    const r = await s.channel.click(
      people.megan,
      card.id,
      'approve',
      { requestId: id, version: req.history.length, ackSyncVersions: 'true' },
      { kind: 'channel', key: 'ops' },
    );
    assert.match(cardText(r.card), /Approved by Megan Bowen/);
    // Every transition refreshes the board: approved, running, waiting for the audit log, completed.
    assert.match(await boardUpdate(board, afterClick, /1 in progress/), new RegExp(`${id}`));
    const done = await boardUpdate(
      board,
      afterClick,
      /0 open[\s\S]*Finished in the last 24 hours[\s\S]*Completed · confirmed in the audit log/,
    );
    assert.match(done, new RegExp(`✅ \\*\\*${id}\\*\\* · move to cloud of SecGroup2`));

    // The thread got a line per step, each @mentioning the requester so Teams notifies them.
    const lines = s.channel.outbound
      .slice(afterClick)
      .filter(
        (o) => o.kind !== 'update' && o.conversationId.startsWith('19:ops@') && typeof o.activity.text === 'string',
      );
    const approved = lines.find((o) => /was approved by Megan Bowen/.test(o.activity.text));
    assert.ok(approved, 'approval line');
    assert.match(approved.activity.text, /^<at>Alex Wilber<\/at> Request R-/);
    assert.deepEqual(approved.activity.entities?.[0]?.mentioned, {
      id: `29:${people.alex.aadObjectId}`,
      name: 'Alex Wilber',
    });
    assert.ok(
      lines.some((o) => /^<at>Alex Wilber<\/at> .*Audit log:/.test(o.activity.text)),
      'audit confirmation line names the requester',
    );
  });

  it('a new board replaces the previous one, which says so; Refresh returns the current board', async () => {
    const first = await postBoard('ops2');
    const since = s.channel.outbound.length;
    const second = await postBoard('ops2');
    await s.channel.waitFor(
      (o) => o.kind === 'update' && o.id === first.id && /replaced by a newer one/.test(cardText(cardOf(o))),
      10_000,
      since,
    );
    await s.channel.say(people.alex, 'move SecGroup2 to cloud', { kind: 'channel', key: 'ops2' });
    await boardUpdate(second, since, /1 open/);
    const r = await s.channel.click(
      people.lee,
      second.id,
      'board',
      { board: '19:ops2@thread.tacv2' },
      { kind: 'channel', key: 'ops2' },
    );
    assert.match(cardText(r.card), /1 open · 1 waiting for approval[\s\S]*move to cloud of SecGroup2/);
  });
});
