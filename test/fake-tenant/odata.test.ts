import assert from 'node:assert/strict';
import { ODataSyntaxError } from '../../src/fake-tenant/odata/ast';
import { checkFilter, UnsupportedFilterError, type FilterSpec } from '../../src/fake-tenant/odata/check';
import { evaluate } from '../../src/fake-tenant/odata/evaluate';
import { parseFilter } from '../../src/fake-tenant/odata/parse';

const spec: FilterSpec = {
  resource: 'Thing',
  notIsAdvanced: true,
  properties: {
    displayName: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne'] },
    when: { ops: ['ge', 'le'] },
    'items/id': { ops: ['eq'] },
    tags: { ops: ['eq'] },
  },
};

const matches = (filter: string, obj: unknown, advanced = false) => {
  const tree = parseFilter(filter);
  checkFilter(tree, spec, advanced);
  return evaluate(tree, obj);
};

describe('fake tenant: OData $filter subset', () => {
  const thing = {
    displayName: "O'Brien Admins",
    when: '2026-01-02T03:04:05Z',
    items: [{ id: 'a' }, { id: 'b' }],
    tags: ['x', 'Unified'],
  };

  it('compares strings without regard to case and unescapes doubled quotes', () => {
    assert.equal(matches("displayName eq 'o''brien admins'", thing), true);
    assert.equal(matches("displayName eq 'OBrien Admins'", thing), false);
    assert.equal(matches("startswith(displayName,'O''B')", thing), true);
    assert.equal(matches("displayName in ('x', 'O''Brien Admins')", thing), true);
  });

  it('handles and/or/not precedence, parentheses, dates and lambdas', () => {
    assert.equal(matches("displayName eq 'x' or displayName eq 'y' and displayName eq 'z'", thing), false);
    assert.equal(
      matches("(displayName eq 'x' or startswith(displayName,'O')) and when ge 2026-01-01T00:00:00Z", thing),
      true,
    );
    assert.equal(matches('when le 2025-12-31T00:00:00Z', thing), false);
    assert.equal(matches("items/any(i:i/id eq 'b')", thing), true);
    assert.equal(matches("items/any(i:i/id eq 'c')", thing), false);
    assert.equal(matches("tags/any(t:t eq 'unified')", thing), true);
    assert.equal(matches("not(displayName eq 'x')", thing, true), true);
  });

  it('rejects syntax errors with the position', () => {
    for (const bad of [
      "displayName eq 'open",
      'displayName eq',
      "displayName eq 'a' extra",
      "startswith(displayName 'a')",
      '',
      'displayName @ 1',
      "items/all(i:i/id eq 'a')",
    ]) {
      assert.throws(() => parseFilter(bad), ODataSyntaxError, bad);
    }
  });

  it('refuses properties and operators outside the resource list; advanced ones need the flag', () => {
    assert.throws(() => matches("colour eq 'red'", thing), UnsupportedFilterError);
    assert.throws(() => matches('when eq 2026-01-01T00:00:00Z', thing), UnsupportedFilterError);
    assert.throws(() => matches("endswith(displayName,'s')", thing), UnsupportedFilterError);
    const advanced = (() => {
      try {
        matches("displayName ne 'x'", thing);
        return null;
      } catch (e) {
        return e as UnsupportedFilterError;
      }
    })();
    assert.ok(advanced instanceof UnsupportedFilterError && advanced.advancedHint);
    assert.equal(matches("displayName ne 'x'", thing, true), true);
    assert.throws(() => matches("not(displayName eq 'x')", thing, false), UnsupportedFilterError);
  });
});
