import assert from 'node:assert/strict';
import { largeSeed } from '../../src/fake-tenant/large-seed';
import { defaultSeed } from '../../src/fake-tenant/seed';
import { Tenant } from '../../src/fake-tenant/tenant';

describe('fake tenant: seeds', () => {
  it('the default seed holds the documented users and groups', () => {
    const t = new Tenant(defaultSeed());
    assert.equal(t.tenantId, '00000000-0000-0000-0000-0000000000001');
    const names = [...t.groups.values()].map((g) => g.displayName);
    for (const n of [
      'SecGroup1',
      'SecGroup1-Nested',
      'SecGroup1-Leaf',
      'SecGroup2',
      'AppAccess-Parent',
      'SOAGroup3',
      'Finance DL',
      'Helpdesk MESG',
      'CloudOnly-Engineering',
      'Project X',
      "O'Brien Admins",
    ]) {
      assert.equal(names.filter((x) => x === n).length, 1, n);
    }
    assert.equal(names.filter((x) => x === 'Marketing').length, 2);
    assert.equal(t.users.get('00000000-0000-0000-0000-0000000000024')!.signIn, 'mfa');
  });

  it('the large generator is deterministic and has depth, cycles, shared children and a FIN- wave', () => {
    const a = largeSeed({ groups: 2000, users: 100, randomSeed: 7 });
    const b = largeSeed({ groups: 2000, users: 100, randomSeed: 7 });
    assert.deepEqual(a, b);
    const generated = a.groups.filter((g) => g.id.startsWith('c3000000'));
    assert.equal(generated.length, 2000);
    const byId = new Map(a.groups.map((g) => [g.id, g]));
    const parents = new Map<string, number>();
    for (const g of generated) for (const m of g.members) if (byId.has(m)) parents.set(m, (parents.get(m) ?? 0) + 1);
    assert.ok(
      [...parents.values()].some((n) => n > 1),
      'a child shared by several parents',
    );
    const reaches = (from: string, target: string, seen = new Set<string>()): boolean =>
      (byId.get(from)?.members ?? []).some(
        (m) => m === target || (!seen.has(m) && byId.has(m) && (seen.add(m), reaches(m, target, seen))),
      );
    const hasCycle = generated.some((g) => reaches(g.id, g.id));
    assert.ok(hasCycle, 'a cycle');
    assert.ok(generated.some((g) => g.displayName.startsWith('FIN-')));
    assert.ok(generated.some((g) => g.isCloudManaged));
    assert.doesNotThrow(() => new Tenant(a));
  });
});
