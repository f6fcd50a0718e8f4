import assert from 'node:assert/strict';
import { defaultSeed, GROUP } from '../../src/fake-tenant/seed';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

const text = (o: Outbound) => String(o.activity.text ?? '');
const isCard = (o: Outbound) => !!cardOf(o);

/** Says something and returns everything the bot answered to that message. */
async function ask(
  s: Stack,
  said: string,
  opts: Parameters<Stack['channel']['say']>[2] = {},
  who = people.alex,
): Promise<Outbound[]> {
  const since = s.channel.outbound.length;
  const r = await s.channel.say(who, said, opts);
  assert.equal(r.status, 200);
  return s.channel.outbound.slice(since);
}

function rows(card: unknown): Map<string, string> {
  const t = cardText(card);
  const out = new Map<string, string>();
  for (const m of t.matchAll(/\*\*([^*]+)\*\* \((pass|warning|blocking|could not verify|approver must confirm)\)/g))
    out.set(m[1]!, m[2]!);
  return out;
}

describe('bot: commands and cards', () => {
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

  it(
    '`who am I` / `sign in` reads the user through the ' + 'on-behalf-of path and says whether they may approve',
    async () => {
      const megan = await ask(s, 'who am I', {}, people.megan);
      assert.match(
        text(megan[0]!),
        /signed in as \*\*Megan Bowen\*\* \(directory roles: Hybrid Identity Administrator\)\. You can approve/,
      );
      const lee = await ask(s, 'sign in', { kind: 'channel' }, people.lee);
      assert.match(
        text(lee[0]!),
        new RegExp(
          String.raw`signed in as \*\*Lee Gu\*\* \(directory roles: none active\)\. You cannot ` +
            String.raw`approve requests: Approving needs one of these directory roles`,
        ),
      );
      const out = await ask(s, 'sign out', {}, people.lee);
      assert.match(text(out[0]!), /nothing to sign out of here/);
    },
  );

  it('help, an empty message and unknown input get helpful answers, never a stack trace', async () => {
    const help = await ask(s, 'help');
    assert.match(cardText(cardOf(help[0]!)), /move &lt;group&gt; to cloud/);
    const empty = await ask(s, '', { kind: 'channel' });
    assert.match(cardText(cardOf(empty[0]!)), /What I can do/);
    const typo = await ask(s, 'mvoe SecGroup1 to cloud');
    assert.match(text(typo[0]!), /Did you mean "move SecGroup1 to cloud"/);
    // The suggestion is quoted and escaped: in backticks the escapes would show as typed.
    const amp = await ask(s, 'mvoe R&D Ops to cloud');
    assert.match(text(amp[0]!), /Did you mean "move R&amp;D Ops to cloud"\?/);
    const half = await ask(s, 'move SecGroup1');
    assert.match(text(half[0]!), /Did you mean "move SecGroup1 to cloud"/);
    const nonsense = await ask(s, 'make me a sandwich');
    assert.match(text(nonsense[0]!), /did not understand.*help/);
  });

  it('unknown group: "did you mean" with similar names, nothing requested', async () => {
    const r = await ask(s, 'move SecGrop1 to cloud');
    assert.match(text(r[0]!), /no group named \*\*SecGrop1\*\*/);
    assert.match(text(r[0]!), /Did you mean "SecGroup1"/);
    assert.equal(
      (await s.bot.service.mine(people.alex.aadObjectId)).filter((q) => q.groupName === 'SecGrop1').length,
      0,
    );
  });

  it('several groups at once, quoted names with spaces, and names with an apostrophe', async () => {
    const r = await ask(s, `check SecGroup2, "Finance DL" and O'Brien Admins`);
    const titles = r.filter(isCard).map((o) => cardText(cardOf(o)).split(' | ')[0]);
    assert.deepEqual(titles, [
      'Check (move to cloud): SecGroup2',
      'Check (move to cloud): Finance DL',
      "Check (move to cloud): O'Brien Admins",
    ]);
  });

  it('a display name shared by two groups gets a pick list; picking one checks that one', async () => {
    const r = await ask(s, 'check Marketing');
    const pick = cardOf(r[0]!);
    assert.match(cardText(pick), /2 groups are named "Marketing"/);
    assert.match(cardText(pick), /Marketing \(EMEA\)/);
    const choices = actions(pick);
    assert.equal(choices.length, 2);
    const since = s.channel.outbound.length;
    const click = await s.channel.click(people.alex, r[0]!.id, choices[1]!.verb, choices[1]!.data);
    assert.equal(click.message, 'Check posted.');
    const report = await s.channel.waitFor(isCard, 5000, since);
    assert.match(cardText(cardOf(report)), new RegExp(String(choices[1]!.data.groupId)));
  });

  it('check (dry run) for a synced security group: every move row, and a button to request it', async () => {
    const r = await ask(s, 'check SecGroup1');
    const card = cardOf(r[0]!);
    const got = rows(card);
    assert.deepEqual(Object.fromEntries(got), {
      'Tenant sync': 'pass',
      'Synced from AD': 'pass',
      'Current source of authority': 'pass',
      'Nested groups stay in AD': 'warning',
      'Parent groups': 'pass',
      'Nesting depth': 'pass',
      'Mail-enabled group': 'pass',
      'Extension attributes 1–15': 'warning',
      'Later AD edits': 'warning',
      'Sync client versions': 'approver must confirm',
    });
    assert.match(cardText(card), /Dry run: nothing was requested/);
    assert.deepEqual(
      actions(card).map((a) => a.verb),
      ['request'],
    );
    assert.equal(await s.bot.service.mine(people.alex.aadObjectId).then((l) => l.length), 0);
  });

  it('check rows: parent still synced (no dual write), mail-enabled groups, extension attributes', async () => {
    const sec2 = rows(cardOf((await ask(s, 'check SecGroup2'))[0]!));
    assert.equal(sec2.get('Parent groups still synced from AD'), 'warning');
    assert.equal(sec2.get('Nested groups'), 'pass');
    const mesg = cardOf((await ask(s, 'check Helpdesk MESG'))[0]!);
    assert.equal(rows(mesg).get('Mail-enabled group'), 'warning');
    assert.match(cardText(mesg), /Exchange Online/);
    assert.match(cardText(mesg), /extensionAttribute1 = IT-Helpdesk/);
    assert.match(cardText(mesg), /Mail-enabled security group/);
    const dl = cardOf((await ask(s, 'check "Finance DL"'))[0]!);
    assert.match(cardText(dl), /Distribution list/);
  });

  it('blocking checks: Microsoft 365 and cloud-only groups, already cloud-managed, tenant not synced', async () => {
    for (const [name, pattern] of [
      ['Project X', /Microsoft 365 group/],
      ['CloudOnly-Engineering', /never synced from AD/],
      ['SOAGroup3', /SOAGroup3 is cloud-managed: a move needs a group managed in AD/],
    ] as const) {
      const r = await ask(s, `move ${name} to cloud`);
      assert.match(text(r[0]!), /cannot be requested/, name);
      assert.match(cardText(cardOf(r[0]!)), pattern);
      assert.deepEqual(actions(cardOf(r[0]!)), [], 'no approval offered');
    }
    const rb = await ask(s, 'rollback SecGroup2');
    assert.match(cardText(cardOf(rb[0]!)), /SecGroup2 is managed in AD: a rollback needs a cloud-managed group/);
    const seed = defaultSeed();
    seed.organization.onPremisesSyncEnabled = false;
    await admin(s.tenant, 'POST', '/_fake/reset', seed);
    const r = await ask(s, 'check SecGroup2');
    assert.equal(rows(cardOf(r[0]!)).get('Tenant sync'), 'blocking');
    // A plan's dry run leads with the same reason.
    const tree = cardOf((await ask(s, 'check SecGroup1 and its nested groups'))[0]!);
    assert.equal(
      tree.body[0].items[1].text,
      'On-premises directory sync is not enabled for this tenant: there is no AD source of authority to switch. ' +
        'This plan cannot be requested.',
    );
    assert.equal(rows(tree).get('Tenant sync'), 'blocking');
    assert.equal(await s.bot.service.forGroup(GROUP.projectX).then((l) => l.length), 0);
  });

  it('rollback check rows: cloud-only members, cloud edits, completion at the next sync', async () => {
    const seed = defaultSeed();
    seed.groups.find((g) => g.id === GROUP.soaGroup3)!.members.push('00000000-0000-0000-0000-0000000000036');
    await admin(s.tenant, 'POST', '/_fake/reset', seed);
    const card = cardOf((await ask(s, 'check rollback of SOAGroup3'))[0]!);
    const got = rows(card);
    assert.equal(got.get('Current source of authority'), 'pass');
    assert.equal(got.get('Cloud-only members'), 'warning');
    assert.match(cardText(card), /Pradeep Gupta/);
    assert.equal(got.get('Cloud edits'), 'warning');
    assert.equal(got.get('Completes at the next sync'), 'warning');
  });

  it('status, status <request id>, status <group>, pending and cancel', async () => {
    const none = await ask(s, 'status', {}, people.lee);
    assert.match(cardText(cardOf(none[0]!)), /no requests yet/);
    const req = await ask(s, 'move SecGroup2 to cloud');
    const id = String(actions(cardOf(req.find(isCard)!)).find((a) => a.verb === 'approve')!.data.requestId);
    assert.match(
      cardText(cardOf((await ask(s, 'status'))[0]!)),
      new RegExp(`\\*\\*${id}\\*\\* · move to cloud of SecGroup2 · waiting for approval`),
    );
    const one = cardText(cardOf((await ask(s, `status ${id.toLowerCase()}`))[0]!));
    assert.match(one, /waiting for approval \(Alex Wilber\)/, 'timeline');
    assert.match(cardText(cardOf((await ask(s, 'status SecGroup2'))[0]!)), new RegExp(id));
    assert.match(cardText(cardOf((await ask(s, 'pending', {}, people.megan))[0]!)), new RegExp(id));
    assert.match(
      cardText(cardOf((await ask(s, 'pending', {}, people.lee))[0]!)),
      /Nothing you can decide: Approving needs/,
    );
    assert.match(cardText(cardOf((await ask(s, 'pending', {}, people.alex))[0]!)), /someone else must approve/);
    const dup = await ask(s, 'move SecGroup2 to cloud');
    assert.match(text(dup[0]!), new RegExp(`already has an open request, ${id}`));
    assert.match(text((await ask(s, `cancel ${id}`, {}, people.megan))[0]!), /Only the requester/);
    const cancelled = await ask(s, `cancel ${id}`);
    assert.match(cancelled.map(text).join('\n'), /is cancelled/);
    assert.ok(
      cancelled.some((o) => o.kind === 'update' && /Cancelled by Alex Wilber/.test(cardText(cardOf(o)))),
      'the request card shows it',
    );
    assert.equal((await s.bot.service.get(id))!.state, 'cancelled');
    assert.match(text((await ask(s, 'status R-ZZZZZZ'))[0]!), /no request R-ZZZZZZ/);
  });

  it('channel and group chat: the @mention is stripped and replies go to the thread', async () => {
    const ch = await ask(s, 'check SecGroup2', { kind: 'channel', key: 'ops' });
    assert.equal(ch[0]!.kind, 'reply');
    assert.match(cardText(cardOf(ch[0]!)), /Check \(move to cloud\): SecGroup2/);
    const gc = await ask(s, 'help', { kind: 'groupChat' });
    assert.match(cardText(cardOf(gc[0]!)), /What I can do/);
  });

  it('serves /healthz and /readyz', async () => {
    assert.equal((await fetch(`${s.bot.http.url}/healthz`)).status, 200);
    const ready = await fetch(`${s.bot.http.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  it('a client that sends no Entra object id is told why nothing happens', async () => {
    const since = s.channel.outbound.length;
    await s.channel.say({ aadObjectId: '', name: 'Someone' }, 'move SecGroup1 to cloud');
    const r = await s.channel.waitFor(() => true, 5000, since);
    assert.match(text(r), /cannot tell who you are/);
  });
});
