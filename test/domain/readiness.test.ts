import assert from 'node:assert/strict';
import { classify, mergeEntries, type ClassifyInput } from '../../src/domain/readiness';
import type { ReadinessRow, ScanGroup } from '../../src/domain/readiness-types';
import type { InventoryEntry } from '../../src/ports/inventory';

/** A security group synced from AD (sync on), with the given child groups. */
function g(id: string, children: string[] = [], extra: Partial<ScanGroup> = {}): ScanGroup {
  return {
    id,
    displayName: id,
    kind: 'security',
    onPremisesSyncEnabled: true,
    fromAd: true,
    extensionAttributes: [],
    provisioningErrors: 0,
    childGroupIds: children,
    ...extra,
  };
}

function run(groups: ScanGroup[], more: Partial<ClassifyInput> = {}) {
  const result = classify({
    groups,
    cloudManaged: new Set(),
    tenantSyncEnabled: true,
    openRequests: new Map(),
    ...more,
  });
  const row = (id: string): ReadinessRow => {
    const r = result.rows.find((x) => x.id === id);
    assert.ok(r, `no row for ${id}`);
    return r;
  };
  return { result, row };
}

/** The default seed of the fake tenant, as a scan reads it. */
function seedLike(): { groups: ScanGroup[]; cloudManaged: Set<string> } {
  return {
    groups: [
      g('SecGroup1', ['SecGroup1-Nested'], { extensionAttributes: ['extensionAttribute3'] }),
      g('SecGroup1-Nested', ['SecGroup1-Leaf']),
      g('SecGroup1-Leaf'),
      g('SecGroup2'),
      g('AppAccess-Parent', ['SecGroup2']),
      g('SOAGroup3', [], { onPremisesSyncEnabled: null }),
      g('Finance DL', [], { kind: 'distribution' }),
      g('Helpdesk MESG', [], {
        kind: 'mailEnabledSecurity',
        extensionAttributes: ['extensionAttribute1', 'extensionAttribute7'],
      }),
      g('CloudOnly-Engineering', [], { fromAd: false, onPremisesSyncEnabled: null }),
      g('Project X', [], { kind: 'unified', fromAd: false, onPremisesSyncEnabled: null }),
      g('Marketing-EMEA'),
      g('Marketing-AMER'),
      g("O'Brien Admins"),
    ],
    cloudManaged: new Set(['SOAGroup3']),
  };
}

describe('domain: readiness rules', () => {
  describe('mergeEntries', () => {
    it('adds new groups, adds a repeat’s child groups once, and drops removed groups', () => {
      const into = new Map<string, ScanGroup>();
      const first: InventoryEntry[] = [
        {
          id: 'a',
          displayName: 'A',
          kind: 'security',
          onPremisesSyncEnabled: true,
          fromAd: true,
          childGroupIds: ['b'],
        },
        { id: 'gone', displayName: 'Gone', kind: 'security', childGroupIds: [] },
      ];
      mergeEntries(into, first);
      mergeEntries(into, [
        { id: 'a', childGroupIds: ['b', 'c'] },
        { id: 'gone', childGroupIds: [], removed: true },
      ]);
      assert.deepEqual([...into.keys()], ['a']);
      const a = into.get('a')!;
      assert.deepEqual(a.childGroupIds, ['b', 'c']);
      assert.equal(a.displayName, 'A');
      assert.equal(a.onPremisesSyncEnabled, true);
      assert.equal(a.fromAd, true);
    });

    it('keeps a repeat met before its full entry, and fills it in when the entry comes', () => {
      const into = new Map<string, ScanGroup>();
      mergeEntries(into, [{ id: 'x', childGroupIds: ['y'] }]);
      assert.equal(into.get('x')!.displayName, 'x');
      mergeEntries(into, [
        {
          id: 'x',
          displayName: 'X',
          kind: 'distribution',
          onPremisesSyncEnabled: null,
          fromAd: true,
          extensionAttributes: ['extensionAttribute2'],
          provisioningErrors: 1,
          childGroupIds: ['z'],
        },
      ]);
      assert.deepEqual(into.get('x'), {
        id: 'x',
        displayName: 'X',
        kind: 'distribution',
        onPremisesSyncEnabled: null,
        fromAd: true,
        extensionAttributes: ['extensionAttribute2'],
        provisioningErrors: 1,
        childGroupIds: ['y', 'z'],
      });
    });

    it('takes a repeat with the same properties again (as Graph sends it) and a removed child', () => {
      const into = new Map<string, ScanGroup>();
      const full = { displayName: 'Big', kind: 'security' as const, onPremisesSyncEnabled: true, fromAd: true };
      mergeEntries(into, [
        { id: 'big', ...full, extensionAttributes: ['extensionAttribute1'], childGroupIds: ['c1', 'c2'] },
        { id: 'c1', ...full, displayName: 'C1', childGroupIds: [] },
        { id: 'c2', ...full, displayName: 'C2', childGroupIds: [] },
      ]);
      mergeEntries(into, [
        { id: 'big', ...full, extensionAttributes: ['extensionAttribute1'], childGroupIds: ['c2', 'c3'] },
        { id: 'c1', childGroupIds: [], removed: true },
        { id: 'c3', ...full, displayName: 'C3', childGroupIds: [] },
      ]);
      assert.deepEqual(into.get('big')!.childGroupIds, ['c1', 'c2', 'c3']);
      assert.deepEqual(into.get('big')!.extensionAttributes, ['extensionAttribute1']);
      const { row } = run([...into.values()]);
      // The removed child is no longer read: only c2 and c3 count.
      assert.equal(row('big').adChildren, 2);
      assert.equal(row('big').wave, 2);
    });
  });

  describe('classify', () => {
    it('puts every seed-like group in its class, with reasons, depth and wave', () => {
      const { groups, cloudManaged } = seedLike();
      const { result, row } = run(groups, { cloudManaged });
      const table = result.rows.map((r) => [r.id, r.class, r.reasons.join(' '), r.depth, r.wave]);
      assert.deepEqual(table, [
        ['Finance DL', 'warnings', 'mailEnabled', 0, 1],
        ['Helpdesk MESG', 'warnings', 'mailEnabled extensionAttributes', 0, 1],
        ['Marketing-AMER', 'ready', '', 0, 1],
        ['Marketing-EMEA', 'ready', '', 0, 1],
        ["O'Brien Admins", 'ready', '', 0, 1],
        ['SecGroup1-Leaf', 'warnings', 'parentsInAd', 0, 1],
        ['SecGroup2', 'warnings', 'parentsInAd', 0, 1],
        ['AppAccess-Parent', 'warnings', 'childrenInAd', 1, 2],
        ['SecGroup1-Nested', 'warnings', 'parentsInAd childrenInAd', 1, 2],
        ['SecGroup1', 'warnings', 'extensionAttributes childrenInAd', 2, 3],
        ['SOAGroup3', 'cloud', '', 0, null],
      ]);
      assert.deepEqual(result.counts, { ready: 3, warnings: 7, blocked: 0, cloud: 1 });
      assert.deepEqual(result.waves, [7, 2, 1]);
      assert.equal(result.maxDepth, 2);
      assert.equal(result.groupsRead, 13);
      assert.deepEqual(result.blockers, []);
      assert.deepEqual(result.warnings, [
        { reason: 'parentsInAd', groups: 3 },
        { reason: 'childrenInAd', groups: 3 },
        { reason: 'mailEnabled', groups: 2 },
        { reason: 'extensionAttributes', groups: 2 },
      ]);
      assert.equal(row('SecGroup1-Nested').adParents, 1);
      assert.equal(row('SecGroup1-Nested').adChildren, 1);
      assert.equal(result.prefix, undefined);
    });

    it('blocks on tenant sync off, a rollback waiting for its sync, provisioning errors and open requests', () => {
      const groups = [
        g('waiting', [], { onPremisesSyncEnabled: null }),
        g('stopped', [], { onPremisesSyncEnabled: false }),
        g('errors', [], { provisioningErrors: 2 }),
        g('requested', [], { kind: 'distribution' }),
        g('fine'),
        g('cloud', [], { onPremisesSyncEnabled: null }),
      ];
      const more = { cloudManaged: new Set(['cloud']), openRequests: new Map([['requested', 'R-ABC123']]) };
      const { result, row } = run(groups, more);
      assert.deepEqual(row('waiting').reasons, ['rollbackPending']);
      assert.deepEqual(row('stopped').reasons, ['noLongerSynced']);
      assert.deepEqual(row('errors').reasons, ['provisioningErrors']);
      // A blocked group keeps its warnings, after its blockers.
      assert.deepEqual(row('requested').reasons, ['openRequest', 'mailEnabled']);
      assert.equal(row('requested').openRequestId, 'R-ABC123');
      assert.equal(row('requested').class, 'blocked');
      assert.equal(row('fine').class, 'ready');
      assert.deepEqual(result.counts, { ready: 1, warnings: 0, blocked: 4, cloud: 1 });

      const off = run(groups, { ...more, tenantSyncEnabled: false });
      assert.deepEqual(off.row('fine').reasons, ['tenantSyncOff']);
      assert.deepEqual(off.row('requested').reasons, ['tenantSyncOff', 'openRequest', 'mailEnabled']);
      assert.equal(off.row('cloud').class, 'cloud');
      assert.deepEqual(off.result.blockers, [
        { reason: 'tenantSyncOff', groups: 5 },
        { reason: 'rollbackPending', groups: 1 },
        { reason: 'noLongerSynced', groups: 1 },
        { reason: 'provisioningErrors', groups: 1 },
        { reason: 'openRequest', groups: 1 },
      ]);
      // Unknown tenant sync blocks nothing.
      assert.equal(run(groups, { ...more, tenantSyncEnabled: null }).row('fine').class, 'ready');
    });

    it('reports only groups synced from AD at some point or cloud-managed, never Microsoft 365 groups', () => {
      const groups = [
        g('synced-no-sid', [], { fromAd: false }),
        g('cloud-only', [], { fromAd: false, onPremisesSyncEnabled: null }),
        g('moved-no-sid', [], { fromAd: false, onPremisesSyncEnabled: null }),
        g('m365', [], { kind: 'unified' }),
        g('m365-cloud', [], { kind: 'unified', fromAd: false, onPremisesSyncEnabled: null }),
      ];
      const { result } = run(groups, { cloudManaged: new Set(['moved-no-sid', 'm365-cloud']) });
      assert.deepEqual(result.rows.map((r) => `${r.id}:${r.class}`).sort(), [
        'moved-no-sid:cloud',
        'synced-no-sid:ready',
      ]);
      assert.equal(result.groupsRead, 5);
    });

    it('counts only children and parents still managed in AD, each link once', () => {
      const groups = [
        g('parent', ['moved', 'child', 'child', 'cloud-only', 'not-read']),
        g('moved', [], { onPremisesSyncEnabled: null }),
        g('child'),
        g('cloud-only', [], { fromAd: false, onPremisesSyncEnabled: null }),
        g('m365', ['child'], { kind: 'unified' }),
      ];
      const { row } = run(groups, { cloudManaged: new Set(['moved']) });
      assert.equal(row('parent').adChildren, 1);
      assert.equal(row('parent').wave, 2);
      assert.equal(row('parent').depth, 1);
      assert.equal(row('child').adParents, 1);
      assert.equal(row('moved').wave, null);
    });

    it('moves shared children in the wave before all their parents', () => {
      const groups = [
        g('top', ['p1', 'p2']),
        g('p1', ['shared']),
        g('p2', ['deep']),
        g('deep', ['shared']),
        g('shared'),
      ];
      const { row, result } = run(groups);
      assert.equal(row('shared').adParents, 2);
      assert.deepEqual(
        ['shared', 'deep', 'p1', 'p2', 'top'].map((id) => row(id).wave),
        [1, 2, 2, 3, 4],
      );
      assert.equal(row('top').depth, 3);
      assert.deepEqual(result.waves, [1, 2, 1, 1]);
    });

    it('gives a nesting cycle one wave, warns about it, and counts its groups once in the depth', () => {
      const groups = [
        g('a', ['b']),
        g('b', ['c']),
        g('c', ['a', 'leaf']),
        g('leaf'),
        g('above', ['a']),
        g('self', ['self']),
      ];
      const { row, result } = run(groups);
      for (const id of ['a', 'b', 'c']) {
        assert.equal(row(id).wave, 2, id);
        assert.ok(row(id).reasons.includes('cycle'), id);
        assert.equal(row(id).depth, 3, id);
      }
      assert.equal(row('above').wave, 3);
      assert.equal(row('above').depth, 4);
      assert.deepEqual(row('leaf').reasons, ['parentsInAd']);
      assert.deepEqual(row('self').reasons, ['cycle']);
      assert.equal(row('self').adChildren, 0);
      assert.equal(row('self').wave, 1);
      assert.deepEqual(result.waves, [2, 3, 1]);
    });

    it('breaks a cycle through a cloud-managed group for the waves, and still warns about it', () => {
      const groups = [g('a', ['b']), g('b', ['a'], { onPremisesSyncEnabled: null })];
      const { row } = run(groups, { cloudManaged: new Set(['b']) });
      assert.equal(row('a').wave, 1);
      assert.deepEqual(row('a').reasons, ['cycle']);
    });

    it('keeps a slice’s rows but reads nesting across the whole tenant', () => {
      const groups = [
        g('FIN-Payroll', ['HR-Leaf']),
        g('fin-ledger'),
        g('HR-Leaf'),
        g('HR-Top', ['FIN-Payroll']),
        g('FINANCE DL', [], { kind: 'distribution' }),
      ];
      const { result, row } = run(groups, { prefix: 'FIN-' });
      assert.deepEqual(
        result.rows.map((r) => r.id),
        ['fin-ledger', 'FIN-Payroll'],
      );
      assert.equal(row('FIN-Payroll').wave, 2);
      assert.deepEqual(row('FIN-Payroll').reasons, ['parentsInAd', 'childrenInAd']);
      assert.deepEqual(result.counts, { ready: 1, warnings: 1, blocked: 0, cloud: 0 });
      assert.deepEqual(result.waves, [1, 1]);
      assert.equal(result.groupsRead, 5);
      assert.equal(result.prefix, 'FIN-');
      assert.equal(run(groups, { prefix: 'Nothing' }).result.rows.length, 0);
    });

    it('classifies a chain of 10,000 nested groups and a ring of 10,000 without recursion', () => {
      const N = 10_000;
      const chain = Array.from({ length: N }, (_, i) => g(`c${i}`, i + 1 < N ? [`c${i + 1}`] : []));
      const started = Date.now();
      const { result, row } = run(chain);
      assert.equal(row('c0').depth, N - 1);
      assert.equal(row('c0').wave, N);
      assert.equal(row(`c${N - 1}`).wave, 1);
      assert.equal(result.waves.length, N);
      assert.equal(result.maxDepth, N - 1);

      const ring = Array.from({ length: N }, (_, i) => g(`r${i}`, [`r${(i + 1) % N}`]));
      const rr = run(ring);
      assert.deepEqual(rr.result.waves, [N]);
      assert.equal(rr.row('r0').depth, N - 1);
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    });
  });
});
