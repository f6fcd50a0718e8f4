import assert from 'node:assert/strict';
import {
  buildPlan,
  nextStep,
  planCounts,
  rollbackLevels,
  rollbackPlanOf,
  setExtensionAttributes,
  withRollbackChecks,
  type NodeFacts,
} from '../../src/domain/plan';
import type { Plan } from '../../src/domain/request';
import { graph } from './fixtures';

const order = (p: Plan) => p.steps.map((s) => s.groupId);
const warningsOf = (p: Plan, id: string) => p.steps.find((s) => s.groupId === id)?.warnings ?? [];
const read = (changes: Partial<NodeFacts> = {}): NodeFacts => ({ extensionAttributes: {}, parents: [], ...changes });

describe('domain: plans of several groups under one approval', () => {
  it('a move runs bottom-up: a group shared by two parents once, before both, with its depth', () => {
    const p = buildPlan('tree', 'the tree under R', ['R'], graph({ R: ['A', 'B'], A: ['C'], B: ['C'] }), 'move');
    assert.deepEqual(order(p), ['C', 'A', 'B', 'R']);
    assert.deepEqual(
      p.steps.map((s) => [s.depth, s.state]),
      [
        [2, 'pending'],
        [1, 'pending'],
        [1, 'pending'],
        [0, 'pending'],
      ],
    );
    assert.deepEqual(p.sharedGroups, ['C']);
    assert.deepEqual(warningsOf(p, 'C'), ['under 2 parents in this plan: switched once, before all of them']);
    assert.deepEqual(warningsOf(p, 'A'), []);
    assert.equal(p.label, 'the tree under R');
  });

  it('a nesting cycle (AD allows them): each group once, the cycle named, the order still bottom-up', () => {
    const p = buildPlan('tree', 'x', ['R'], graph({ R: ['A'], A: ['B'], B: ['A'] }), 'move');
    assert.deepEqual(order(p), ['B', 'A', 'R']);
    assert.deepEqual(p.cycleGroups, ['A', 'B']);
    assert.deepEqual(warningsOf(p, 'A'), ['on a nesting cycle in AD']);
    assert.deepEqual(warningsOf(p, 'R'), []);
  });

  it('skips, with the reason, what a move cannot switch: cloud-managed and Microsoft 365 groups', () => {
    const g = graph({ R: ['Mid', 'Team'], Mid: ['Leaf'] }, { Mid: { synced: null }, Team: { kind: 'unified' } });
    const p = buildPlan('tree', 'x', ['R'], g, 'move');
    assert.deepEqual(order(p), ['Leaf', 'R'], 'the synced leaf below a cloud-managed group still switches first');
    assert.deepEqual(p.skipped, [
      { groupId: 'Mid', groupName: 'Mid', reason: 'not managed in AD: already cloud-managed, or created in the cloud' },
      { groupId: 'Team', groupName: 'Team', reason: 'a Microsoft 365 group: a cloud object' },
    ]);
  });

  it('a rollback runs top-down and skips groups already managed in AD', () => {
    const g = graph({ R: ['A'], A: ['B'] }, { R: { synced: null }, A: { synced: null }, B: { synced: true } });
    const p = buildPlan('tree', 'x', ['R'], g, 'rollback');
    assert.deepEqual(order(p), ['R', 'A']);
    assert.deepEqual(p.skipped, [{ groupId: 'B', groupName: 'B', reason: 'already managed in AD' }]);
    assert.equal(p.prerequisites, undefined, 'the move prerequisites are not counted for a rollback');
  });

  it('a wave holds only the named groups, a nested one before the one it is in', () => {
    const p = buildPlan('wave', 'groups starting with FIN-', ['P', 'C'], graph({ P: ['C', 'Other'] }), 'move');
    assert.deepEqual(order(p), ['C', 'P']);
    assert.deepEqual(p.skipped, []);
  });

  it("carries each group's prerequisites: extension attributes lost (shortened), parents left in AD", () => {
    const long = 'x'.repeat(50);
    const g = graph(
      { R: ['A'] },
      {},
      {
        R: read(),
        A: read({
          extensionAttributes: { extensionAttribute3: 'cost-center-4410', extensionAttribute5: long },
          // R is switched after A in this plan: only the parent outside the plan is a warning.
          parents: [
            { id: 'R', displayName: 'R', onPremisesSyncEnabled: true },
            { id: 'AppAccess', displayName: 'AppAccess-Parent', onPremisesSyncEnabled: true },
            { id: 'Cloud', displayName: 'Cloud-Parent', onPremisesSyncEnabled: null },
          ],
        }),
      },
    );
    const p = buildPlan('tree', 'x', ['R'], g, 'move');
    assert.deepEqual(warningsOf(p, 'A'), [
      `extension attributes lost at the switch: ext3 = cost-center-4410, ext5 = ${'x'.repeat(39)}…`,
      'member of AppAccess-Parent, still synced from AD and not in this plan: ' +
        'that membership is not written back to AD (no dual write)',
    ]);
    assert.deepEqual(p.prerequisites, { extensionAttributes: 1, adParents: 1, unread: 0 });
  });

  it('says what could not be read, counts it, and keeps a card row short whatever the data', () => {
    const ext = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`extensionAttribute${i}`, `v${i}`]));
    const g = graph(
      { R: ['A', 'B', 'M'] },
      { M: { kind: 'distribution' } },
      {
        R: read({ extensionAttributes: ext }),
        A: read({ extensionAttributes: null }),
        B: read({ parents: null }),
      },
    );
    const p = buildPlan('tree', 'x', ['R'], g, 'move');
    assert.deepEqual(warningsOf(p, 'A'), ['extension attributes 1–15 could not be read (they are lost at the switch)']);
    assert.deepEqual(warningsOf(p, 'B'), ['parent groups could not be read']);
    assert.deepEqual(warningsOf(p, 'M'), ['mail-enabled: Exchange Online manages it after the switch']);
    assert.deepEqual(warningsOf(p, 'R'), [
      'extension attributes lost at the switch: ext1 = v1, ext2 = v2, ext3 = v3 and 2 more',
    ]);
    assert.deepEqual(p.prerequisites, { extensionAttributes: 1, adParents: 0, unread: 3 }, 'M has no facts');
  });

  it('the rollback of a move plan: only what was switched, parents first, all pending again', () => {
    const move = buildPlan('tree', 'the tree under R', ['R'], graph({ R: ['A', 'B'], A: ['C'] }), 'move');
    assert.deepEqual(order(move), ['C', 'A', 'B', 'R']);
    move.steps[0]!.state = 'done';
    move.steps[1]!.state = 'done';
    move.steps[2]!.state = 'failed';
    move.steps[3]!.state = 'untouched';
    const back = rollbackPlanOf(move, 'R-ABC234');
    assert.deepEqual(order(back), ['A', 'C']);
    assert.ok(back.steps.every((s) => s.state === 'pending' && s.warnings.length === 0));
    assert.equal(back.label, 'rollback of R-ABC234 (the tree under R)');
    assert.equal(back.rollbackOf, 'R-ABC234');
    assert.deepEqual([back.skipped, back.cycleGroups, back.sharedGroups], [[], [], []]);
  });

  it("a rollback plan is read level by level, top-down; each step's checks become its warnings, counted", () => {
    const move = buildPlan('tree', 'the tree under R', ['R'], graph({ R: ['A', 'B'], A: ['C'] }), 'move');
    for (const st of move.steps) st.state = 'done';
    const back = rollbackPlanOf(move, 'R-ABC234');
    assert.deepEqual(
      rollbackLevels(back).map((level) => level.map((st) => st.groupId)),
      [['R'], ['B', 'A'], ['C']],
    );
    const users = Array.from({ length: 5 }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}` }));
    const checked = withRollbackChecks(
      back,
      new Map([
        ['R', { cloudOnlyMembers: [], cloudEdits: [] }],
        [
          'A',
          {
            cloudOnlyMembers: users,
            cloudEdits: [
              { activity: 'Update group', at: '2026-03-02T09:00:00Z' },
              { activity: 'Add member to group', at: '2026-03-02T09:01:00Z' },
              { activity: 'Update group', at: '2026-03-02T09:02:00Z' },
            ],
          },
        ],
        ['B', { cloudOnlyMembers: [], cloudEdits: null }],
      ]),
    );
    assert.deepEqual(warningsOf(checked, 'R'), []);
    assert.deepEqual(warningsOf(checked, 'A'), [
      '5 cloud-only member(s), removed when AD takes it over: User 0, User 1, User 2 and 2 more',
      'edited in the cloud since the switch (Update group, Add member to group): AD values replace these edits ' +
        'at the take-over',
    ]);
    assert.deepEqual(warningsOf(checked, 'B'), [
      'cloud edits since the switch could not be read (AD values replace them at the take-over)',
    ]);
    // C was not read at all: both facts are said to be unread, never passed as clean.
    assert.equal(warningsOf(checked, 'C').length, 2);
    assert.ok(warningsOf(checked, 'C').every((w) => w.includes('could not be read')));
    assert.deepEqual(checked.rollbackChecks, { cloudMembers: 1, cloudEdits: 1, unread: 2 });
    assert.deepEqual(back.rollbackChecks, undefined, 'the plan it was given is not changed');
  });

  it('the next step is the first not done; the counts add up', () => {
    const p = buildPlan('tree', 'x', ['R'], graph({ R: ['A', 'B'] }), 'move');
    assert.equal(nextStep(p), 0);
    p.steps[0]!.state = 'done';
    p.steps[1]!.state = 'failed';
    assert.equal(nextStep(p), 1);
    assert.deepEqual(planCounts(p), { done: 1, failed: 1, untouched: 0, pending: 1 });
    for (const s of p.steps) s.state = 'done';
    assert.equal(nextStep(p), null);
  });

  it('keeps only the extension attributes that hold text', () => {
    assert.deepEqual(
      setExtensionAttributes({
        extensionAttribute1: 'IT-Helpdesk',
        extensionAttribute2: '',
        extensionAttribute3: null,
        extensionAttribute7: 'tier1',
        extensionAttribute8: 42,
        otherAttribute: 'x',
      }),
      { extensionAttribute1: 'IT-Helpdesk', extensionAttribute7: 'tier1' },
    );
    assert.deepEqual(setExtensionAttributes(null), {});
    assert.deepEqual(setExtensionAttributes(undefined), {});
  });
});
