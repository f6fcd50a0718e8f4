import assert from 'node:assert/strict';
import { defaultSeed, GROUP, USER } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin, graphAs, startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

/** A user of the default seed who exists only in the cloud. */
const PRADEEP = '00000000-0000-0000-0000-0000000000036';

/** The default tenant, SecGroup1 owned by Megan, and an admin tool that may edit groups (Adele, delegated). */
function seed() {
  const sd = defaultSeed();
  sd.groups.find((g) => g.id === GROUP.secGroup1)!.owners = [USER.megan];
  sd.apps[0]!.delegatedScopes.push('Group.ReadWrite.All');
  return sd;
}

describe('bot: a restore point before every switch, against the fake tenant', () => {
  let ft: FakeTenant;
  let s: Stack;
  async function start(env: Record<string, string> = {}): Promise<void> {
    ft = await startTestTenant({ seed: seed(), settings: { auditDelayMs: 0 } });
    s = await startStack(env, ft);
  }
  afterEach(async () => {
    await s?.stop();
    await ft?.close();
  });

  /** Alex asks, Megan approves; resolves with the request id once the thread says it is confirmed. */
  async function switched(said: string, done: RegExp): Promise<string> {
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, said, { kind: 'channel', key: 'restore' });
    const card = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 10_000, since);
    const data = actions(cardOf(card)).find((a) => a.verb === 'approve')!.data;
    await s.channel.click(
      people.megan,
      card.id,
      'approve',
      { ...data, ackSyncVersions: 'true' },
      { kind: 'channel', key: 'restore' },
    );
    await s.channel.waitFor((o) => done.test(o.activity.text ?? ''), 15_000, since);
    return String(data.requestId);
  }

  async function ask(said: string): Promise<Outbound> {
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, said, { kind: 'channel', key: 'restore' });
    return s.channel.waitFor((o) => !!cardOf(o), 10_000, since);
  }

  /** Where in the request log the app's owner read and the approver's PATCH of each group are. */
  async function readBeforePatch(groupId: string): Promise<void> {
    const log = await s.graphRequests();
    const read = log.findIndex((e) => e.path.endsWith(`/groups/${groupId}/owners`) && e.appId && !e.userId);
    const patch = log.findIndex(
      (e) => e.method === 'PATCH' && e.path.endsWith(`/groups/${groupId}/onPremisesSyncBehavior`),
    );
    assert.ok(read >= 0 && patch > read, `${groupId}: owners read at ${read}, PATCH at ${patch}`);
  }

  it(
    'a move keeps the group as it was, shown on status; after cloud edits, the rollback card shows ' +
      'what AD will overwrite',
    async () => {
      await start();
      const id = await switched('move SecGroup1 to cloud', /Audit log: \*\*Change Source of Authority/);
      await readBeforePatch(GROUP.secGroup1);
      const req = (await s.bot.service.get(id))!;
      const [point, ...more] = req.restorePoints!;
      assert.equal(more.length, 0);
      assert.deepEqual(
        [point!.displayName, point!.isCloudManaged, point!.onPremisesSyncEnabled, point!.unread],
        ['SecGroup1', false, true, []],
      );
      assert.deepEqual(point!.extensionAttributes, { extensionAttribute3: 'cost-center-4410' });
      assert.deepEqual(point!.owners, [{ id: USER.megan, type: 'user' }]);
      assert.deepEqual(
        point!.members.map((m) => m.type),
        ['user', 'user', 'group'],
      );
      const status = cardText(cardOf(await ask(`status ${id}`)));
      assert.match(status, /Restore point \d{4}-\d\d-\d\d \d\d:\d\d UTC: 3 members \(2 users, 1 group\), 1 owner, /);
      assert.match(status, /extensionAttribute3 set, no parent groups/);

      // In the cloud, after the move: Adele adds a member and edits the description.
      const adele = await graphAs(ft, USER.adele);
      await adele
        .api(`/groups/${GROUP.secGroup1}/members/$ref`)
        .post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${PRADEEP}` });
      await adele.api(`/groups/${GROUP.secGroup1}`).patch({ description: 'edited in the cloud' });
      const rb = cardText(cardOf(await ask('move SecGroup1 back to AD')));
      assert.match(rb, /Roll back to AD: SecGroup1/);
      assert.match(
        rb,
        new RegExp(
          `Cloud edits since the move.*Compared with the restore point of ${id} \\([^)]+\\): members added: ` +
            '1 user; edited: description\\. AD overwrites these at the first sync after the rollback\\.',
          's',
        ),
      );
    },
  );

  it('each step of a plan gets its restore point before its own PATCH', async () => {
    await start();
    const id = await switched('move SecGroup1 and its nested groups to cloud', /Plan R-\w+ .* is complete/);
    const req = (await s.bot.service.get(id))!;
    const groups = [GROUP.secGroup1Leaf, GROUP.secGroup1Nested, GROUP.secGroup1];
    assert.deepEqual(
      req.restorePoints!.map((p) => p.groupId),
      groups,
    );
    for (const g of groups) await readBeforePatch(g);
    assert.deepEqual(
      req.restorePoints!.find((p) => p.groupId === GROUP.secGroup1Nested)!.parents.map((p) => p.displayName),
      ['SecGroup1'],
    );
    assert.match(cardText(cardOf(await ask(`status ${id}`))), /Restore points: 3 groups read before their switch/);
  });

  it('SNAPSHOT_MAX_MEMBERS cuts the member list, with the count, and status says it is incomplete', async () => {
    await start({ SNAPSHOT_MAX_MEMBERS: '2' });
    // Before approval, the card already says the restore point will be cut.
    const before = cardText(cardOf(await ask('check SecGroup1')));
    assert.match(before, /Restore point incomplete\*\* \(warning\) \| The restore point read just before the switch/);
    assert.match(before, /keeps the first 2 of 3 direct members \(SNAPSHOT_MAX_MEMBERS\)/);
    const id = await switched('move SecGroup1 to cloud', /Audit log: \*\*Change Source of Authority/);
    const point = (await s.bot.service.get(id))!.restorePoints![0]!;
    assert.equal(point.members.length, 2);
    assert.deepEqual(point.membersCut, { total: 3 });
    assert.match(
      cardText(cardOf(await ask(`status ${id}`))),
      /3 members, .*\(incomplete: only the first 2 members were kept \(SNAPSHOT_MAX_MEMBERS\), of 3\)/,
    );
  });

  it('a restore point part that fails to read is marked incomplete, and the switch still runs', async () => {
    await start();
    // Within the cap: the card has no restore point row; members that cannot be counted: unknown.
    assert.doesNotMatch(cardText(cardOf(await ask('check SecGroup1'))), /Restore point/);
    await admin(ft, 'POST', '/_fake/faults', {
      match: `/groups/${GROUP.secGroup1}/members$`,
      status: 503,
      count: 10,
    });
    assert.match(
      cardText(cardOf(await ask('check SecGroup1'))),
      /Restore point\*\* \(could not verify\) \| Could not count the group's members/,
    );
    await admin(ft, 'DELETE', '/_fake/faults');
    await admin(ft, 'POST', '/_fake/faults', { match: `/groups/${GROUP.secGroup1}/owners$`, status: 403, count: 1 });
    const id = await switched('move SecGroup1 to cloud', /Audit log: \*\*Change Source of Authority/);
    const req = (await s.bot.service.get(id))!;
    assert.deepEqual(req.restorePoints![0]!.unread, ['owners']);
    assert.equal(ft.tenant.groups.get(GROUP.secGroup1)!.isCloudManaged, true);
    assert.match(cardText(cardOf(await ask(`status ${id}`))), /\(incomplete: the owners could not be read\)/);
  });
});
