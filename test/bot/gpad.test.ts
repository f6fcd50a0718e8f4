import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { people, startStack, type Stack } from '../support/stack';

const isCard = (o: Outbound) => !!cardOf(o);
const PRADEEP = '00000000-0000-0000-0000-0000000000036';

/** The inputs of a card body, by id. */
function inputs(card: unknown): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') found.set(o.id, o);
      Object.values(o).forEach(walk);
    }
  };
  walk((card as { body?: unknown }).body);
  return found;
}

describe('bot: provision back to AD (GPAD) guidance, end to end against the fake tenant', () => {
  let s: Stack;
  beforeEach(async () => {
    s = await startStack();
  });
  afterEach(async () => {
    await s?.stop();
  });

  it('the toggle on the card → approve → switch → the GPAD checklist in the thread, naming the SID', async () => {
    await s.channel.say(people.alex, 'move SecGroup1 to cloud', { kind: 'channel' });
    const cardMsg = await s.channel.waitFor(isCard);
    const card = cardOf(cardMsg);
    const toggle = inputs(card).get('stillNeededInAd');
    assert.ok(toggle, 'the approval card of a move has the toggle');
    assert.equal(toggle.type, 'Input.Toggle');
    assert.equal(toggle.title, 'Still needed in AD (file shares or apps that read it on-premises)');
    assert.equal(toggle.value, 'false', 'off unless someone sets it');
    const group = s.tenant.tenant.groups.get(GROUP.secGroup1)!;
    const sid = group.onPremisesSecurityIdentifier!;
    assert.match(sid, /^S-1-5-21-/);
    // A cloud-only user among the members: GPAD does not write it to AD.
    group.members.push(PRADEEP);

    const approve = actions(card).find((a) => a.verb === 'approve')!;
    const click = await s.channel.click(
      people.megan,
      cardMsg.id,
      'approve',
      { ...approve.data, ackSyncVersions: 'true', stillNeededInAd: 'true' },
      { kind: 'channel' },
    );
    assert.equal(click.status, 200);
    const answered = cardText(click.card);
    assert.match(answered, /Still needed in AD/);
    assert.match(answered, /said by Megan Bowen at/);
    assert.equal(inputs(click.card).get('stillNeededInAd'), undefined, 'decided: no toggle any more');

    const checklist = await s.channel.waitFor((o) => /marked still needed in AD/.test(o.activity.text ?? ''));
    assert.match(checklist.conversationId, /;messageid=/, "posted into the request's thread");
    const text = checklist.activity.text;
    assert.match(text, /marked still needed in AD by Megan Bowen\. After the switch/);
    assert.ok(text.includes(`matched by its SID **${sid}**`), text);
    assert.match(text, /☐ Its group scope in AD is \*\*Universal\*\*/);
    assert.match(text, /☐ A Cloud Sync provisioning agent 1\.1\.3730\.0 or later/);
    assert.match(text, /☐ The tenant has Microsoft Entra ID P1/);
    assert.match(text, /Cloud-only members are not written to AD: Pradeep Gupta\./);
    assert.equal(group.isCloudManaged, true, 'posted after the switch');
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
    const all = s.channel.outbound.filter((o) => /marked still needed in AD/.test(o.activity.text ?? ''));
    assert.equal(all.length, 1, 'once');
  });

  it('approved without the toggle: no GPAD checklist', async () => {
    await s.channel.say(people.alex, 'move SecGroup1 to cloud', { kind: 'channel' });
    const cardMsg = await s.channel.waitFor(isCard);
    const approve = actions(cardOf(cardMsg)).find((a) => a.verb === 'approve')!;
    await s.channel.click(
      people.megan,
      cardMsg.id,
      'approve',
      { ...approve.data, ackSyncVersions: 'true' },
      {
        kind: 'channel',
      },
    );
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
    assert.equal(s.channel.outbound.filter((o) => /still needed in AD/.test(o.activity.text ?? '')).length, 0);
  });
});
