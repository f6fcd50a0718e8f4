import assert from 'node:assert/strict';
import type { Seed, SeedGroup } from '../../src/fake-tenant/model';
import { largeSeed } from '../../src/fake-tenant/large-seed';
import { defaultSeed, USER } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin, graphAs, startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

/**
 * A 4-level tree under Tree-Root with a diamond (Tree-Shared under A and B), a cycle
 * (Tree-Leaf3 contains Tree-A again), a middle node already cloud-managed (Tree-B1) and a
 * mail-enabled leaf. Tree-A1 has extension attributes set; Tree-Root and Tree-Leaf2 are also
 * in Tree-Outer (synced from AD, outside the tree); Tree-A is also in Tree-CloudParent (cloud-only).
 */
const T = {
  root: 'd4000000-0000-4000-8000-000000000001',
  a: 'd4000000-0000-4000-8000-000000000002',
  b: 'd4000000-0000-4000-8000-000000000003',
  a1: 'd4000000-0000-4000-8000-000000000004',
  shared: 'd4000000-0000-4000-8000-000000000005',
  b1: 'd4000000-0000-4000-8000-000000000006',
  leaf1: 'd4000000-0000-4000-8000-000000000007',
  leaf2: 'd4000000-0000-4000-8000-000000000008',
  leaf3: 'd4000000-0000-4000-8000-000000000009',
  outer: 'd4000000-0000-4000-8000-00000000000a',
  cloudParent: 'd4000000-0000-4000-8000-00000000000b',
};
/** A user of the default seed who exists only in the cloud. */
const PRADEEP = '00000000-0000-0000-0000-0000000000036';
const EXT_A1 = { extensionAttribute3: 'FIN-cost-center-4711', extensionAttribute9: 'x'.repeat(200) };
const NAME: Record<string, string> = {
  [T.root]: 'Tree-Root',
  [T.a]: 'Tree-A',
  [T.b]: 'Tree-B',
  [T.a1]: 'Tree-A1',
  [T.shared]: 'Tree-Shared',
  [T.b1]: 'Tree-B1',
  [T.leaf1]: 'Tree-Leaf1',
  [T.leaf2]: 'Tree-Leaf2',
  [T.leaf3]: 'Tree-Leaf3',
};
const EDGES: Array<[string, string]> = [
  [T.root, T.a],
  [T.root, T.b],
  [T.a, T.a1],
  [T.a, T.shared],
  [T.b, T.b1],
  [T.b, T.shared],
  [T.a1, T.leaf1],
  [T.b1, T.leaf2],
  [T.shared, T.leaf3],
  [T.leaf3, T.a],
];

function treeSeed(): Seed {
  const seed = defaultSeed();
  let sid = 5000;
  for (const [id, name] of Object.entries(NAME)) {
    const members = EDGES.filter(([p]) => p === id).map(([, c]) => c);
    const g: SeedGroup = {
      id,
      displayName: name,
      kind: id === T.leaf1 ? 'mailEnabledSecurity' : 'security',
      ...(id === T.leaf1 ? { mail: 'tree-leaf1@contoso.com', mailNickname: 'tree-leaf1' } : {}),
      members,
      ad: {
        displayName: name,
        description: null,
        samAccountName: name,
        securityIdentifier: `S-1-5-21-1-2-3-${sid++}`,
        domainName: 'corp.contoso.com',
        netBiosName: 'CORP',
        distinguishedName: `CN=${name},OU=Tree,DC=corp,DC=contoso,DC=com`,
        extensionAttributes: id === T.a1 ? { ...EXT_A1 } : {},
        members,
      },
      ...(id === T.b1 ? { isCloudManaged: true } : {}),
    };
    seed.groups.push(g);
  }
  const outerMembers = [T.root, T.leaf2];
  seed.groups.push({
    id: T.outer,
    displayName: 'Tree-Outer',
    kind: 'security',
    members: outerMembers,
    ad: {
      displayName: 'Tree-Outer',
      description: null,
      samAccountName: 'Tree-Outer',
      securityIdentifier: `S-1-5-21-1-2-3-${sid++}`,
      domainName: 'corp.contoso.com',
      netBiosName: 'CORP',
      distinguishedName: 'CN=Tree-Outer,OU=Tree,DC=corp,DC=contoso,DC=com',
      extensionAttributes: {},
      members: outerMembers,
    },
  });
  seed.groups.push({ id: T.cloudParent, displayName: 'Tree-CloudParent', kind: 'security', members: [T.a] });
  return seed;
}

const patchOrder = async (s: Stack) =>
  (
    await s.graphRequests((e) => e.method === 'PATCH' && e.path.endsWith('/onPremisesSyncBehavior') && e.status < 300)
  ).map((e) => /groups\/([^/]+)\//.exec(e.path)![1]!);

/** Every edge that is not the cycle's back edge: the child comes before the parent (move). */
function assertBottomUp(order: string[]): void {
  for (const [p, c] of EDGES) {
    if (p === T.leaf3 || !order.includes(p) || !order.includes(c)) continue;
    assert.ok(
      order.indexOf(c) < order.indexOf(p),
      `${NAME[c]} before ${NAME[p]}: ${order.map((x) => NAME[x]).join(' → ')}`,
    );
  }
}

describe('bot: nested-group plans (bottom-up), waves, stop and resume, plan rollback', () => {
  let ft: FakeTenant;
  let s: Stack;
  beforeEach(async () => {
    ft = await startTestTenant({ seed: treeSeed(), settings: { auditDelayMs: 30 } });
    s = await startStack({}, ft);
  });
  afterEach(async () => {
    await s.stop();
    await ft.close();
  });

  async function planCard(text: string): Promise<{ card: Outbound; requestId: string; version: number }> {
    const since = s.channel.outbound.length;
    await s.channel.say(people.alex, text, { kind: 'channel', key: 'plans' });
    const card = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 10_000, since);
    const approve = actions(cardOf(card)).find((a) => a.verb === 'approve')!;
    return { card, requestId: String(approve.data.requestId), version: Number(approve.data.version) };
  }

  const approve = (c: { card: Outbound; requestId: string; version: number }, verb = 'approve') =>
    s.channel.click(
      people.megan,
      c.card.id,
      verb,
      { requestId: c.requestId, version: c.version, ackSyncVersions: 'true' },
      { kind: 'channel', key: 'plans' },
    );

  it(
    'plans the tree: diamond switched once before both parents, cycle noted, cloud-managed middle ' +
      'skipped; runs bottom-up with every switch confirmed',
    async () => {
      const c = await planCard('move Tree-Root and its nested groups to cloud');
      const text = cardText(cardOf(c.card));
      assert.match(text, /Plan \(the tree under Tree-Root\), bottom-up/);
      assert.match(
        text,
        new RegExp(
          String.raw`8 groups to switch · 1 skipped \(not managed in AD: already cloud-managed, or ` +
            String.raw`created in the cloud\) · 1 under several parents \(switched once\) · 3 on a ` +
            String.raw`nesting cycle`,
        ),
      );
      assert.match(text, /Tree-Leaf1\*\* · level 3 · to switch · ⚠️ mail-enabled/);
      assert.match(text, /Tree-Shared\*\* · level 2 · to switch · ⚠️ under 2 parents in this plan/);
      assert.doesNotMatch(text, /\*\*Tree-B1\*\*/, 'the cloud-managed middle node is not a step');
      const plan = (await s.bot.service.get(c.requestId))!.plan!;
      assert.deepEqual(
        plan.skipped.map((k) => k.groupName),
        ['Tree-B1'],
      );
      assertBottomUp(plan.steps.map((st) => st.groupId));
      assert.equal(plan.steps.at(-1)!.groupName, 'Tree-Root');

      const r = await approve(c);
      assert.match(cardText(r.card), /Approved by Megan Bowen/);
      await s.channel.waitFor(
        (o) =>
          new RegExp(
            String.raw`Plan R-\w+ \(the tree under Tree-Root\) is complete: 8 groups are ` +
              String.raw`cloud-managed; 8 of 8 confirmed in the audit log`,
          ).test(o.activity.text ?? ''),
        15_000,
      );
      const order = await patchOrder(s);
      assert.equal(order.length, 8, 'each group switched exactly once');
      assert.equal(new Set(order).size, 8);
      assert.ok(!order.includes(T.b1));
      assertBottomUp(order);
      const done = (await s.bot.service.get(c.requestId))!;
      assert.equal(done.state, 'completed');
      assert.ok(
        done.plan!.steps.every(
          (st) => st.state === 'done' && st.audit?.activityDisplayName.startsWith('Change Source of Authority'),
        ),
      );
      // Each step's state is said in words beside its icon.
      const last = s.channel.outbound.filter((o) => o.kind === 'update' && o.targetId === c.card.id).at(-1)!;
      assert.match(cardText(cardOf(last)), /✅ \*\*Tree-Root\*\* · level 0 · switched, confirmed in the audit log/);
    },
  );

  it(
    "the plan card carries each group's prerequisites: extension attributes lost, parents still in " +
      'AD outside the plan',
    async () => {
      const c = await planCard('move Tree-Root and its nested groups to cloud');
      const text = cardText(cardOf(c.card));
      assert.match(
        text,
        /1 with extension attributes set \(lost at the switch\) · 2 in groups still synced from AD outside the plan/,
      );
      // Values are shortened on the card; the attribute names are all there.
      assert.match(
        text,
        new RegExp(
          String.raw`Tree-A1\*\* · level 2 · to switch · ⚠️ extension attributes lost at the ` +
            String.raw`switch: ext3 = FIN-cost-center-4711, ext9 = x{39}…`,
        ),
      );
      assert.match(
        text,
        /Tree-Root\*\* · level 0 · to switch · ⚠️ member of Tree-Outer, still synced from AD and not in this/,
      );
      assert.match(text, /Tree-Leaf2\*\* · level 3 · to switch · ⚠️ member of Tree-Outer, still synced/);
      const plan = (await s.bot.service.get(c.requestId))!.plan!;
      const warnings = new Map(plan.steps.map((st) => [st.groupName, st.warnings.join('; ')]));
      // Parents that are steps of the plan (switched later) and cloud-only parents are no concern.
      assert.doesNotMatch(warnings.get('Tree-A')!, /member of/);
      assert.doesNotMatch(warnings.get('Tree-Shared')!, /member of|extension/);
      assert.doesNotMatch(text, /could not be read/);
      // A wave: Tree-A1's parent Tree-A is synced from AD and not in the wave; Tree-Leaf1's parent is.
      const rejected = await s.channel.click(
        people.megan,
        c.card.id,
        'reject',
        { requestId: c.requestId, version: c.version, rejectReason: 'one wave at a time' },
        { kind: 'channel', key: 'plans' },
      );
      assert.match(cardText(rejected.card), /Rejected/);
      // Tree-Leaf1's parents cannot be read this time: the card says so instead of failing or passing it.
      await admin(ft, 'POST', '/_fake/faults', { match: `/groups/${T.leaf1}/memberOf/`, status: 403, count: 1 });
      const wave = await planCard('move Tree-A1, Tree-Leaf1 to cloud');
      assert.match(
        cardText(cardOf(wave.card)),
        /1 in groups still synced from AD outside the plan · 1 whose prerequisites could not be read/,
      );
      const waveSteps = (await s.bot.service.get(wave.requestId))!.plan!.steps;
      assert.match(
        waveSteps.find((st) => st.groupName === 'Tree-A1')!.warnings.join('; '),
        /member of Tree-A, still synced from AD and not in this plan/,
      );
      assert.match(
        waveSteps.find((st) => st.groupName === 'Tree-Leaf1')!.warnings.join('; '),
        /parent groups could not be read/,
      );
    },
  );

  it(
    'a failure in the middle stops the plan (the rest untouched), says which; an approver resumes ' +
      'it; then the rollback runs top-down',
    async () => {
      const c = await planCard('move the tree under Tree-Root to cloud');
      const planned = (await s.bot.service.get(c.requestId))!.plan!.steps.map((st) => st.groupId);
      const failing = T.a1;
      const at = planned.indexOf(failing);
      await admin(ft, 'POST', '/_fake/faults', {
        match: `/groups/${failing}/onPremisesSyncBehavior$`,
        method: 'PATCH',
        status: 403,
        count: 1,
      });
      await approve(c);
      const stopped = await s.channel.waitFor((o) => /Plan R-\w+ stopped at step/.test(o.activity.text ?? ''), 15_000);
      assert.match(
        stopped.activity.text,
        new RegExp(
          `stopped at step ${at + 1} of 8, \\*\\*Tree-A1\\*\\*: ` +
            `.*${at} group\\(s\\) were switched; ${8 - at - 1} are untouched`,
        ),
      );
      assert.deepEqual(await patchOrder(s), planned.slice(0, at), 'nothing after the failed step was touched');
      let req = (await s.bot.service.get(c.requestId))!;
      assert.equal(req.state, 'stopped');
      assert.deepEqual(
        req.plan!.steps.map((st) => st.state),
        [...Array(at).fill('done'), 'failed', ...Array(8 - at - 1).fill('untouched')],
      );
      const cardNow = (
        await s.channel.waitFor(
          (o) => o.kind === 'update' && o.id === c.card.id && /Stopped:/.test(cardText(cardOf(o))),
          10_000,
        )
      ).activity;
      const resume = actions(cardOf({ activity: cardNow } as Outbound)).find((a) => a.verb === 'resume');
      assert.ok(resume, 'the stopped card offers Resume');

      const r = await s.channel.click(people.megan, c.card.id, 'resume', resume.data, {
        kind: 'channel',
        key: 'plans',
      });
      assert.match(cardText(r.card), /Approved by Megan Bowen/);
      await s.channel.waitFor(
        (o) => /Plan R-\w+ \(the tree under Tree-Root\) is complete/.test(o.activity.text ?? ''),
        15_000,
      );
      assert.deepEqual(await patchOrder(s), planned, 'resumed at the failed step, nothing repeated');
      req = (await s.bot.service.get(c.requestId))!;
      assert.deepEqual(
        req.history.map((h) => h.state),
        [
          'awaiting_approval',
          'approved',
          'executing',
          'stopped',
          'approved',
          'executing',
          'awaiting_audit',
          'completed',
        ],
      );

      // Rollback of the whole plan: a new request, top-down.
      const before = (await patchOrder(s)).length;
      const since = s.channel.outbound.length;
      await s.channel.say(people.alex, `rollback ${c.requestId}`, { kind: 'channel', key: 'plans' });
      const rb = await s.channel.waitFor(
        (o) => /Roll back to AD: rollback of R-/.test(cardText(cardOf(o))),
        10_000,
        since,
      );
      const data = actions(cardOf(rb)).find((a) => a.verb === 'approve')!.data;
      await s.channel.click(
        people.megan,
        rb.id,
        'approve',
        { ...data, ackSyncVersions: 'true' },
        { kind: 'channel', key: 'plans' },
      );
      await s.channel.waitFor((o) => /Plan R-\w+: 8 groups rolled back/.test(o.activity.text ?? ''), 15_000);
      const rollbackOrder = (await patchOrder(s)).slice(before);
      assert.deepEqual(rollbackOrder, [...planned].reverse(), 'top-down: the exact reverse');
      await admin(ft, 'POST', '/_fake/sync');
      await s.channel.waitFor((o) => /all 8 groups are managed in AD again/.test(o.activity.text ?? ''), 15_000);
    },
  );

  it(
    "a plan's rollback reads each group fresh, level by level: cloud-only members and cloud edits made " +
      'after the move, and a group that cannot be read, are on its steps and counted',
    async () => {
      // An admin tool may edit groups here (the same app registration, granted more for the test).
      const seed = treeSeed();
      seed.apps[0]!.delegatedScopes.push('Group.ReadWrite.All');
      await admin(ft, 'POST', '/_fake/reset', seed);
      await admin(ft, 'PUT', '/_fake/settings', { auditDelayMs: 0 });
      const c = await planCard('move Tree-Root and its nested groups to cloud');
      await approve(c);
      await s.channel.waitFor(
        (o) => /Plan R-\w+ \(the tree under Tree-Root\) is complete/.test(o.activity.text ?? ''),
        15_000,
      );

      // After the move, Adele edits Tree-A and adds a cloud-only user to Tree-Shared, in the cloud.
      const adele = await graphAs(ft, USER.adele);
      await adele.api(`/groups/${T.a}`).patch({ description: 'edited in the cloud' });
      await adele
        .api(`/groups/${T.shared}/members/$ref`)
        .post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${PRADEEP}` });
      // Tree-Leaf2's members cannot be read this time.
      await admin(ft, 'POST', '/_fake/faults', {
        match: `/groups/${T.leaf2}/members/microsoft.graph.user$`,
        status: 403,
        count: 1,
      });
      await admin(ft, 'DELETE', '/_fake/requests');
      const since = s.channel.outbound.length;
      await s.channel.say(people.alex, `rollback ${c.requestId}`, { kind: 'channel', key: 'plans' });
      const rb = await s.channel.waitFor(
        (o) => /Roll back to AD: rollback of R-/.test(cardText(cardOf(o))),
        10_000,
        since,
      );
      const text = cardText(cardOf(rb));
      assert.match(
        text,
        new RegExp(
          String.raw`8 groups to roll back · 1 with cloud-only members \(removed when AD takes over\) · 2 edited ` +
            String.raw`in the cloud since the switch \(AD values replace the edits\) · 1 whose rollback checks ` +
            String.raw`could not be read`,
        ),
      );
      assert.match(
        text,
        new RegExp(
          String.raw`Tree-Shared\*\* · level 2 · to roll back · ⚠️ 1 cloud-only member\(s\), removed when AD ` +
            String.raw`takes it over: Pradeep Gupta; edited in the cloud since the switch \(Add member to group\)`,
        ),
      );
      assert.match(
        text,
        /Tree-A\*\* · level 1 · to roll back · ⚠️ edited in the cloud since the switch \(Update group\)/,
      );
      assert.match(text, /Tree-Leaf2\*\* · level 3 · to roll back · ⚠️ members could not be read/);
      const rollback = (await s.bot.service.get(
        String(actions(cardOf(rb)).find((a) => a.verb === 'approve')!.data.requestId),
      ))!;
      const clean = rollback.plan!.steps.filter((st) => !st.warnings.length).map((st) => st.groupName);
      assert.deepEqual(clean.sort(), ['Tree-A1', 'Tree-B', 'Tree-Leaf1', 'Tree-Leaf3', 'Tree-Root']);

      // Read with the bot's own identity: two requests per group, one $batch per level (4 levels).
      const reads = await s.graphRequests(
        (e) => e.userId === null && /\/members\/microsoft\.graph\.user$|\/auditLogs\/directoryAudits$/.test(e.path),
      );
      assert.equal(reads.length, 16);
      assert.ok(reads.every((e) => e.batch));
      assert.equal(new Set(reads.map((e) => e.batch)).size, 4);
    },
  );

  it('waves: a name prefix and a list of names become one plan; overlapping open requests are refused', async () => {
    const c = await planCard('move groups starting with "Tree-Leaf" to cloud');
    const plan = (await s.bot.service.get(c.requestId))!.plan!;
    assert.equal(plan.kind, 'wave');
    assert.deepEqual(plan.steps.map((st) => st.groupName).sort(), ['Tree-Leaf1', 'Tree-Leaf2', 'Tree-Leaf3']);
    const since = s.channel.outbound.length;
    await s.channel.say(people.adele, 'move Tree-Leaf2 to cloud', { kind: 'channel', key: 'plans' });
    const dup = await s.channel.waitFor(
      (o) => /already has an open request/.test(o.activity.text ?? ''),
      10_000,
      since,
    );
    assert.match(dup.activity.text, new RegExp(c.requestId));
    // Named groups: Tree-A1 is inside Tree-A, so it goes first whatever the order asked.
    const named = await planCard('move Tree-A, Tree-A1 to cloud');
    const steps = (await s.bot.service.get(named.requestId))!.plan!.steps.map((st) => st.groupName);
    assert.deepEqual(steps, ['Tree-A1', 'Tree-A']);
  });
});

describe('bot: a plan of 500 nested groups', () => {
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({
      seed: largeSeed({ groups: 520, users: 20, depth: 6, breadth: 4, cloudManagedShare: 0 }),
      settings: { auditDelayMs: 0 },
    });
    s = await startStack({ AUDIT_POLL_FIRST_DELAY_MS: '50' }, ft);
  });
  after(async () => {
    await s.stop();
    await ft.close();
  });

  it(
    'runs to completion with every switch confirmed; the card stays under 28 KB and every group is ' +
      'listed in the thread',
    async function () {
      this.timeout(120_000);
      const since = s.channel.outbound.length;
      await s.channel.say(people.alex, 'move BIG-Root-1 and its nested groups to cloud', {
        kind: 'channel',
        key: 'big',
      });
      const card = await s.channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 30_000, since);
      const approveAction = actions(cardOf(card)).find((a) => a.verb === 'approve')!;
      const req = (await s.bot.service.get(String(approveAction.data.requestId)))!;
      const n = req.plan!.steps.length;
      assert.ok(n >= 500, `plan has ${n} steps`);
      const size = Buffer.byteLength(JSON.stringify(cardOf(card)));
      assert.ok(size < 28 * 1024, `request card is ${size} bytes`);
      // The follow-up messages list every step, once, in order.
      const listed = s.channel.outbound
        .slice(since)
        .filter((o) => /^Plan R-\w+, steps \d+–\d+ of \d+:/.test(o.activity.text ?? ''))
        .flatMap((o) => String(o.activity.text).split('\n\n').slice(1));
      assert.equal(listed.length, n);
      assert.match(listed[0]!, /^1\. /);

      await s.channel.click(
        people.megan,
        card.id,
        'approve',
        { ...approveAction.data, ackSyncVersions: 'true' },
        { kind: 'channel', key: 'big' },
      );
      await s.channel.waitFor(
        (o) =>
          new RegExp(`is complete: ${n} groups are cloud-managed; ${n} of ${n} confirmed in the audit log`).test(
            o.activity.text ?? '',
          ),
        100_000,
      );
      const patches = await s.graphRequests((e) => e.method === 'PATCH' && e.status < 300);
      assert.equal(patches.length, n);
      const updated = s.channel.outbound.filter((o) => o.kind === 'update' && o.id === card.id).pop()!;
      const finalSize = Buffer.byteLength(JSON.stringify(cardOf(updated)));
      assert.ok(finalSize < 28 * 1024, `final card is ${finalSize} bytes`);
    },
  );
});
