import assert from 'node:assert/strict';
import { cardOf, cardText } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

/** A slow tenant must not make Teams show an error on a click: answer first, follow up after. */
describe('bot: clicks on a slow tenant are answered within the budget', () => {
  let s: Stack;
  before(async () => {
    s = await startStack({ CLICK_ANSWER_BUDGET_MS: '700' });
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
    await admin(s.tenant, 'PUT', '/_fake/settings', { latencyMs: 0 });
  });

  it('Approve at 1.2 s per Graph call: answered at once, then the card and the thread follow', async () => {
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'PUT', '/_fake/settings', { latencyMs: 1200 });
    const since = s.channel.outbound.length;
    const t0 = Date.now();
    const r = await s.channel.click(people.megan, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    const answeredMs = Date.now() - t0;
    assert.equal(r.message, 'Checking your sign-in and roles with Entra ID; the card updates in a moment.');
    assert.ok(answeredMs < 1000, `answered in ${answeredMs} ms`);
    const updated = await s.channel.waitFor(
      (o) => o.kind === 'update' && o.id === msg.id && /Approved by Megan Bowen/.test(cardText(cardOf(o))),
      20_000,
      since,
    );
    assert.ok(updated);
    await s.channel.waitFor((o) => /Audit log:.*initiated by Megan Bowen/.test(o.activity.text ?? ''), 30_000, since);
  });

  it('a message answered after 1.2 s per Graph call gets its card and no "typing" around it', async () => {
    await admin(s.tenant, 'PUT', '/_fake/settings', { latencyMs: 1200 });
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, 'check SecGroup2', { key: 'slow-check' });
    await s.channel.waitFor((o) => /Check \(move to cloud\): SecGroup2/.test(cardText(cardOf(o))), 20_000, since);
    const mine = s.channel.outbound.slice(since).filter((o) => o.conversationId.includes('slow-check'));
    assert.deepEqual(
      mine.map((o) => o.activity.type),
      ['message'],
      'one answer: teams-ai would have sent "typing" each second before it (and, under load, after it)',
    );
  });

  it('a slow refusal is said in the thread, naming the clicker; nothing changes', async () => {
    const { msg, data } = await requestCard(s);
    await admin(s.tenant, 'PUT', '/_fake/settings', { latencyMs: 1200 });
    const since = s.channel.outbound.length;
    const r = await s.channel.click(people.lee, msg.id, 'approve', { ...data, ackSyncVersions: 'true' });
    assert.match(String(r.message), /^Checking your sign-in/);
    const line = await s.channel.waitFor((o) => /did not go through/.test(o.activity.text ?? ''), 20_000, since);
    assert.match(
      line.activity.text,
      new RegExp(
        String.raw`^<at>Lee Gu<\/at>: your click on request R-\w+ did not go through\. Approving ` +
          String.raw`needs one of these directory roles`,
      ),
    );
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'awaiting_approval');
  });
});
