import assert from 'node:assert/strict';
import type { SeedGroup } from '../../src/fake-tenant/model';
import { defaultSeed, GROUP } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

/**
 * What users type and what the directory holds is data: it is looked up safely, shown as
 * text, and bounded. A group in the tenant has a name built to spoof the bot's cards.
 */
const HOSTILE_ID = 'e5000000-0000-4000-8000-000000000001';
const HOSTILE_NAME =
  'Ops [Approve here](https://evil.example/steal) <b>bold</b> <at>Megan Bowen</at>\n' +
  '✅ Approved by Megan Bowen \u202Eexe.txt';

function seed() {
  const s = defaultSeed();
  const g: SeedGroup = {
    id: HOSTILE_ID,
    displayName: HOSTILE_NAME,
    kind: 'security',
    members: [],
    ad: {
      displayName: HOSTILE_NAME,
      description: '[docs](https://evil.example) **urgent**',
      samAccountName: 'ops-hostile',
      securityIdentifier: 'S-1-5-21-1-2-3-9901',
      domainName: 'corp.contoso.com',
      netBiosName: 'CORP',
      distinguishedName: 'CN=ops-hostile,OU=Groups,DC=corp,DC=contoso,DC=com',
      extensionAttributes: {},
      members: [],
    },
  };
  s.groups.push(g);
  return s;
}

describe('bot: hostile input', () => {
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({ seed: seed(), settings: { auditDelayMs: 30 } });
    s = await startStack({}, ft);
  });
  after(async () => {
    await s.stop();
    await ft.close();
  });

  let n = 0;
  /** Says `text` in a fresh conversation; resolves with everything the bot answered there. */
  async function ask(text: string): Promise<Outbound[]> {
    const key = `hostile-${++n}`;
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, text, { key });
    await s.channel.waitFor((o) => o.conversationId === `a:personal-${key}`, 10_000, since);
    // Everything the bot sends for one message goes out before the turn ends (the say above waited for it).
    return s.channel.outbound.slice(since).filter((o) => o.conversationId === `a:personal-${key}`);
  }
  const textOf = (out: Outbound[]) =>
    out.map((o) => `${o.activity.text ?? ''} ${cardOf(o) ? cardText(cardOf(o)) : ''}`).join('\n');
  const graphErrors = async (since: number) =>
    (await s.graphRequests()).slice(since).filter((e) => e.status >= 400 && e.status !== 404);
  const requestsFor = async (groupId: string) => (await s.bot.service.forGroup(groupId)).length;

  it(
    'quotes and OData operators in names are looked up literally: no injected filter, no Graph ' +
      'error, nothing requested',
    async () => {
      const before = (await s.graphRequests()).length;
      for (const text of [
        `move "O'Brien's \\"team\\"" to cloud`,
        `move x' or displayName eq 'SecGroup1 to cloud`,
        `move SecGroup1') or startswith(displayName,'S to cloud`,
        `move SecGroup1%27%20or%201 eq 1 to cloud`,
        'move $filter=displayName eq SecGroup1 to cloud',
      ]) {
        const out = textOf(await ask(text));
        assert.match(out, /I found no group named/, text);
        assert.doesNotMatch(out, /waiting for approval/, text);
      }
      assert.deepEqual(await graphErrors(before), [], 'every lookup was a well-formed query');
      assert.equal(await requestsFor(GROUP.secGroup1), 0);
    },
  );

  it('unicode look-alikes, full-width letters and control characters never resolve to the real group', async () => {
    for (const text of [
      'move S\u0435cGroup1 to cloud',
      'move ＳｅｃＧｒｏｕｐ１ to cloud',
      'move SecGroup1\u200b to cloud',
      'move Sec\u0000Group1\u0007 to cloud',
    ]) {
      const out = textOf(await ask(text));
      assert.match(out, /I found no group named/, JSON.stringify(text));
    }
    assert.equal(await requestsFor(GROUP.secGroup1), 0);
  });

  it('a 10 KB message and a 300-character name are refused with the limit, before any lookup', async () => {
    const before = (await s.graphRequests()).length;
    assert.match(
      textOf(await ask(`move ${'A'.repeat(10 * 1024)} to cloud`)),
      /That message is 10,\d{3} characters long; commands have at most 2,000/,
    );
    assert.match(
      textOf(await ask(`move ${'B'.repeat(300)} to cloud`)),
      /Group names in Entra ID have at most 256 characters; the one you gave has 300/,
    );
    assert.match(textOf(await ask(`status ${'C'.repeat(300)}`)), /at most 256 characters/);
    assert.equal((await s.graphRequests()).length, before, 'no Graph call');
  });

  it(
    'a group whose name carries a link, HTML, a fake @mention and a fake approval line is shown as ' +
      'text on the card and in the thread',
    async () => {
      const out = await ask(`move ${HOSTILE_ID} to cloud`);
      const card = out.map(cardOf).find((c) => c && /waiting for approval/.test(cardText(c)));
      assert.ok(card, textOf(out));
      const json = JSON.stringify(card);
      assert.doesNotMatch(json, /\]\(https:\/\/evil/, 'no Markdown link survives');
      assert.doesNotMatch(json, /\u202e/i, 'no bidirectional override');
      assert.match(
        cardText(card),
        new RegExp(
          String.raw`Ops \[Approve here\]\u200b\(https:\/\/evil\.example\/steal\) <b>bold<\/b> ` +
            String.raw`<at>Megan Bowen<\/at> ✅ Approved by Megan Bowen exe\.txt`,
        ),
      );
      for (const t of (card.body as Array<{ text?: string }>).map((b) => b.text ?? ''))
        assert.doesNotMatch(t, /\n✅ Approved/, 'the name cannot start a line of its own');
      assert.doesNotMatch(JSON.stringify(card), /\[docs\]\(/, 'the description is text too');
      assert.match(card.fallbackText as string, /&lt;b&gt;bold&lt;\/b&gt; &lt;at&gt;Megan Bowen&lt;\/at&gt;/);
      assert.doesNotMatch(`${card.fallbackText as string} ${card.speak as string}`, /<b>|<at>|\]\(https/);

      // Rejected with a reason that tries the same: the thread line escapes HTML and breaks the link.
      const approve = actions(card).find((a) => a.verb === 'approve')!;
      const since = s.channel.outbound.length;
      const cardId = out.find((o) => cardOf(o) === card)!.id;
      const tooLong = await s.channel.click(
        people.megan,
        cardId,
        'reject',
        { ...approve.data, rejectReason: 'x'.repeat(1001) },
        { key: `hostile-${n}` },
      );
      assert.match(tooLong.message ?? '', /The reason is 1,001 characters long; give at most 1,000/);
      const r = await s.channel.click(
        people.megan,
        cardId,
        'reject',
        { ...approve.data, rejectReason: 'see [the runbook](https://evil.example) <img src=x onerror=alert(1)>' },
        { key: `hostile-${n}` },
      );
      assert.match(
        cardText(r.card),
        /Rejected by Megan Bowen: see \[the runbook\]\u200b\(https:\/\/evil\.example\) <img src=x onerror=alert\(1\)>/,
      );
      const line = await s.channel.waitFor((o) => /was rejected by/.test(o.activity.text ?? ''), 10_000, since);
      assert.match(line.activity.text, /&lt;b&gt;bold&lt;\/b&gt; &lt;at&gt;Megan Bowen&lt;\/at&gt;/);
      assert.match(line.activity.text, /&lt;img src=x onerror=alert\(1\)&gt;/);
      assert.doesNotMatch(line.activity.text, /<img|<b>|\]\(https/);
      // The only real mention is the requester's.
      assert.deepEqual(
        (line.activity.entities ?? []).map((e: { mentioned: { name: string } }) => e.mentioned.name),
        ['Alex Wilber'],
      );
    },
  );

  it('a card click with a group id that is not an object id is refused before any Graph call', async () => {
    const before = (await s.graphRequests()).length;
    for (const groupId of [
      '../users',
      `${GROUP.secGroup1}/members`,
      `${GROUP.secGroup1}?$select=id`,
      'x'.repeat(5000),
    ]) {
      const r = await s.channel.click(people.alex, 'card-x', 'check', { groupId, action: 'move' });
      assert.equal(r.message, 'This card does not refer to a group I know. Nothing was changed.', groupId.slice(0, 40));
    }
    assert.equal((await s.graphRequests()).length, before);
  });
});
