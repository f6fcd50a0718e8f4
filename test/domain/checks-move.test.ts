import assert from 'node:assert/strict';
import {
  bottomUpOrder,
  childrenRow,
  depthRow,
  extensionAttributesRow,
  parentsRow,
  reconciliationRow,
} from '../../src/domain/checks-move';
import { facts, nested } from './fixtures';

describe('domain checks for a move only', () => {
  it('nested groups: pass without AD-managed ones; otherwise warn, lowest first, and name the plan command', () => {
    assert.deepEqual(childrenRow(facts()), {
      id: 'children',
      title: 'Nested groups',
      status: 'pass',
      detail: 'No child groups.',
    });
    const switched = [nested('Leaf', 1, null)];
    assert.equal(
      childrenRow(facts({ children: switched, descendants: switched })).detail,
      'Child groups are already cloud-managed: Leaf.',
    );
    const chain = [nested('SecGroup1-Nested', 1), nested('SecGroup1-Leaf', 2)];
    const row = childrenRow(facts({ children: [chain[0]!], descendants: chain }));
    assert.equal(row.status, 'warn');
    assert.equal(row.title, 'Nested groups stay in AD');
    assert.equal(
      row.detail,
      'Only this group switches; 2 nested group(s) stay managed in AD: SecGroup1-Leaf, SecGroup1-Nested. ' +
        'Microsoft recommends switching them one by one, lowest first: ' +
        'SecGroup1-Leaf → SecGroup1-Nested → SecGroup1. ' +
        '"move SecGroup1 and its nested groups to cloud" asks for all of them as one plan in that order.',
    );
  });

  it('nested groups: no chain when the order below the first level is not known, a bounded one when long', () => {
    const two = [nested('A', 1), nested('B', 2), nested('C', 2)];
    const row = childrenRow(facts({ children: [two[0]!], descendants: two }));
    assert.match(row.detail, /one by one, lowest first\. "move SecGroup1/);
    const many = Array.from({ length: 14 }, (_, i) => nested(`G${String(i).padStart(2, '0')}`, 1));
    const long = childrenRow(facts({ children: many, descendants: many })).detail;
    assert.match(long, /: G00, G01, G02, G03, G04, G05, G06, G07 and 6 more\./);
    assert.match(long, /lowest first: G00 → G01 → .* → G11 → … → SecGroup1\./);
  });

  it('bottom-up order: only groups still in AD, deepest first, then by name', () => {
    const order = bottomUpOrder(
      facts({
        descendants: [nested('b', 1), nested('z', 3), nested('a', 1), nested('cloud', 3, null), nested('m', 2)],
      }),
    );
    assert.deepEqual(
      order.map((n) => n.displayName),
      ['z', 'm', 'a', 'b'],
    );
  });

  it('parent groups: pass when none is still synced; warn about the lost membership (no dual write)', () => {
    assert.equal(parentsRow(facts()).detail, 'Not nested in any group.');
    const cloudParent = [{ id: 'p', displayName: 'Cloud Parent', onPremisesSyncEnabled: null }];
    assert.deepEqual(parentsRow(facts({ parents: cloudParent })), {
      id: 'parents',
      title: 'Parent groups',
      status: 'pass',
      detail: 'No parent group is still synced from AD.',
    });
    const row = parentsRow(
      facts({ parents: [...cloudParent, { id: 'q', displayName: 'AppAccess-Parent', onPremisesSyncEnabled: true }] }),
    );
    assert.equal(row.status, 'warn');
    assert.equal(row.title, 'Parent groups still synced from AD');
    assert.equal(
      row.detail,
      'Member of AppAccess-Parent, still synced from AD. No dual write: if this group is later provisioned back ' +
        'to AD, its membership in those groups is not synced.',
    );
  });

  it('nesting depth: pass with the count and depth; warn on a cycle or a tree larger than one card reads', () => {
    assert.deepEqual(depthRow(facts()), {
      id: 'depth',
      title: 'Nesting depth',
      status: 'pass',
      detail: 'No nested groups.',
    });
    assert.equal(depthRow(facts({ descendants: [nested('a', 1)] })).detail, '1 nested group(s), one level deep.');
    const deep = depthRow(facts({ descendants: [nested('a', 1), nested('b', 2)], cycle: true, truncated: true }));
    assert.equal(deep.status, 'warn');
    assert.equal(
      deep.detail,
      '2 nested group(s), more than one level deep; the AD nesting contains a cycle; the tree is larger than ' +
        'the bot reads for one card, so the list is incomplete.',
    );
    assert.equal(depthRow(facts({ truncated: true })).status, 'warn');
  });

  it('extension attributes: pass when none is set, warn listing those lost, unknown when unread', () => {
    assert.equal(extensionAttributesRow(facts()).status, 'pass');
    assert.equal(
      extensionAttributesRow(facts({ group: { extensionAttributes: { extensionAttribute1: null, x: '' } } })).detail,
      'None set (they are not supported after the switch).',
    );
    const set = extensionAttributesRow(
      facts({
        group: { extensionAttributes: { extensionAttribute3: 'cost-center-4410', extensionAttribute7: 'tier1' } },
      }),
    );
    assert.equal(set.status, 'warn');
    assert.equal(
      set.detail,
      'Not supported after the switch and lost: extensionAttribute3 = cost-center-4410, extensionAttribute7 = tier1.',
    );
    const unread = extensionAttributesRow(facts({ group: { extensionAttributes: null } }));
    assert.equal(unread.status, 'unknown');
    assert.equal(unread.title, 'Extension attributes 1–15');
  });

  it('later AD edits: always a warning (no reconciliation, event 6956)', () => {
    const row = reconciliationRow();
    assert.equal(row.status, 'warn');
    assert.match(row.detail, /^No reconciliation: .* \(the sync client skips it, event 6956\)\.$/);
  });
});
