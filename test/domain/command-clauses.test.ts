import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCommand, type Clauses } from '../../src/domain/command';
import { splitClauses } from '../../src/domain/command-clauses';

const command = (text: string) => parseCommand(text).command;
const move = (name: string, clauses?: Clauses) => ({
  kind: 'request',
  action: 'move',
  targets: [{ name }],
  ...(clauses ? { clauses } : {}),
});

describe('domain: the clauses a request ends with (ticket, reason, time)', () => {
  it('reads a ticket, a reason and a time after the group part, in any order', () => {
    assert.deepEqual(command('move SecGroup1 to cloud for CHG0012345'), move('SecGroup1', { ticket: 'CHG0012345' }));
    assert.deepEqual(
      command('move SecGroup1 to cloud because the HR app now reads it from Entra.'),
      move('SecGroup1', { justification: 'the HR app now reads it from Entra' }),
    );
    const all = { ticket: 'INC-42', when: 'on Saturday at 22:00', justification: 'the HR app reads it' };
    for (const text of [
      'move SecGroup1 to cloud for INC-42 on Saturday at 22:00 because the HR app reads it',
      'move SecGroup1 to cloud on Saturday at 22:00 for INC-42 because the HR app reads it',
    ])
      assert.deepEqual(command(text), move('SecGroup1', all), text);
  });

  it('keeps the time clause as typed, for every form the scheduler reads', () => {
    for (const when of [
      'at 2026-12-05 22:00',
      'at 22:00',
      'on Saturday at 22:00',
      'on 5 December at 22:00',
      'tonight at 23:00',
      'tomorrow at 06:00',
      'in 2 hours',
      'in 30 minutes',
      // Not a date anyone knows: still the time clause, for the scheduler to refuse by name.
      'on Funday at 22:00',
    ])
      assert.deepEqual(command(`move SecGroup1 to cloud ${when}`), move('SecGroup1', { when }), when);
  });

  it('carries clauses on rollbacks, several groups, trees, waves and the rollback of a plan', () => {
    const c = { ticket: 'CHG0012345' };
    assert.deepEqual(command('rollback SecGroup1 for CHG0012345'), {
      kind: 'request',
      action: 'rollback',
      targets: [{ name: 'SecGroup1' }],
      clauses: c,
    });
    assert.deepEqual(command('move A, B and C to cloud for CHG0012345'), {
      kind: 'request',
      action: 'move',
      targets: [{ name: 'A' }, { name: 'B' }, { name: 'C' }],
      clauses: c,
    });
    assert.deepEqual(command('move SecGroup1 and its nested groups to cloud for CHG0012345'), {
      kind: 'plan',
      mode: 'request',
      scope: { kind: 'tree', root: { name: 'SecGroup1' } },
      clauses: c,
    });
    assert.deepEqual(command('move groups starting with "FIN-" to cloud in 2 hours'), {
      kind: 'plan',
      mode: 'request',
      scope: { kind: 'prefix', prefix: 'FIN-' },
      clauses: { when: 'in 2 hours' },
    });
    assert.deepEqual(command('rollback R-ABC234 because the pilot ended'), {
      kind: 'rollbackPlan',
      requestId: 'R-ABC234',
      clauses: { justification: 'the pilot ended' },
    });
  });

  it('keeps names with "for", "at" or "because" in them whole in quotes, and the old phrasings as they were', () => {
    assert.deepEqual(command('rollback "Team at 22:00"'), {
      kind: 'request',
      action: 'rollback',
      targets: [{ name: 'Team at 22:00' }],
    });
    assert.deepEqual(command('rollback "Budget for 2026" for CHG1'), {
      kind: 'request',
      action: 'rollback',
      targets: [{ name: 'Budget for 2026' }],
      clauses: { ticket: 'CHG1' },
    });
    assert.deepEqual(command('move "Sales because reasons" to cloud'), move('Sales because reasons'));
    assert.deepEqual(command('move Because We Can to cloud'), move('Because We Can'));
    assert.deepEqual(command('verify prerequisites for SecGroup1'), {
      kind: 'check',
      action: 'move',
      targets: [{ name: 'SecGroup1' }],
    });
    assert.deepEqual(command('undo the switch for SecGroup1'), {
      kind: 'request',
      action: 'rollback',
      targets: [{ name: 'SecGroup1' }],
    });
    // No digit: not a ticket, and the phrase stays part of the check.
    assert.deepEqual(command('check SecGroup1 for a move to cloud'), {
      kind: 'check',
      action: 'move',
      targets: [{ name: 'SecGroup1' }],
    });
  });

  it('refuses clauses on a check with a sentence, instead of ignoring them', () => {
    for (const text of [
      'check SecGroup1 for CHG0012345',
      'check SecGroup1 because I want to',
      'check the tree under SecGroup1 at 22:00',
    ]) {
      const c = command(text);
      assert.ok(c.kind === 'invalid' && /A check changes nothing/.test(c.reason), text);
    }
  });

  it('reads a trial ("for 7 days", "as a trial") apart from a ticket, in either order, with the other clauses', () => {
    assert.deepEqual(command('move SecGroup1 to cloud for 7 days'), move('SecGroup1', { trial: 'for 7 days' }));
    assert.deepEqual(command('move SecGroup1 to cloud for 12 hours'), move('SecGroup1', { trial: 'for 12 hours' }));
    assert.deepEqual(command('move SecGroup1 to cloud as a trial'), move('SecGroup1', { trial: 'as a trial' }));
    assert.deepEqual(
      command('move SecGroup1 to cloud for 3 days as a trial'),
      move('SecGroup1', { trial: 'for 3 days as a trial' }),
    );
    // Out-of-bounds lengths are still the trial clause: the service refuses them by name.
    assert.deepEqual(command('move SecGroup1 to cloud for -2 days'), move('SecGroup1', { trial: 'for -2 days' }));
    assert.deepEqual(command('move SecGroup1 to cloud for 0 hours'), move('SecGroup1', { trial: 'for 0 hours' }));
    const both = { ticket: 'CHG0012345', trial: 'for 7 days' };
    assert.deepEqual(command('move SecGroup1 to cloud for CHG0012345 for 7 days'), move('SecGroup1', both));
    assert.deepEqual(command('move SecGroup1 to cloud for 7 days for CHG0012345'), move('SecGroup1', both));
    assert.deepEqual(
      command('move SecGroup1 to cloud for CHG0012345 as a trial on Saturday at 22:00 because the HR app'),
      move('SecGroup1', {
        ticket: 'CHG0012345',
        trial: 'as a trial',
        when: 'on Saturday at 22:00',
        justification: 'the HR app',
      }),
    );
    // One token with a digit is a ticket, never a trial ("7d" is not a length).
    assert.deepEqual(command('move SecGroup1 to cloud for 7d'), move('SecGroup1', { ticket: '7d' }));
    // "in 2 days" stays a time; a quoted name keeps its "for 7 days".
    assert.deepEqual(command('move SecGroup1 to cloud in 2 days'), move('SecGroup1', { when: 'in 2 days' }));
    assert.deepEqual(command('move "Leave for 7 days" to cloud'), move('Leave for 7 days'));
  });

  it('a clause with nothing before it is no clause', () => {
    assert.deepEqual(splitClauses('because'), { rest: 'because', clauses: {} });
    assert.deepEqual(command('for CHG1'), { kind: 'unknown', text: 'for CHG1' });
  });
});

describe('property: clauses after any quoted name', () => {
  const name = fc
    .string({ minLength: 1, maxLength: 40 })
    .map((s) => s.replace(/["\u201C\u201D\u201E\u2018\u2019]/g, '').trim())
    // eslint-disable-next-line no-control-regex -- names without control characters (those become spaces)
    .filter((s) => s.length > 0 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029<>&]|\s{2}/.test(s));
  const ticket = fc.stringMatching(/^[A-Z]{2,5}-?[0-9]{1,8}$/);
  const reason = fc
    .array(fc.constantFrom('the', 'HR', 'app', 'reads', 'it', 'from', 'Entra', 'for', 'at', '22:00', 'CHG1'), {
      minLength: 1,
      maxLength: 8,
    })
    .map((xs) => xs.join(' '));
  const when = fc.constantFrom('at 22:00', 'on Saturday at 22:00', 'in 2 hours', 'tomorrow at 06:00');
  const trial = fc.oneof(
    fc.constant('as a trial'),
    fc
      .tuple(fc.integer({ min: -5, max: 200 }), fc.constantFrom('day', 'days', 'hour', 'hours'), fc.boolean())
      .map(([k, unit, asTrial]) => `for ${k} ${unit}${asTrial ? ' as a trial' : ''}`),
  );

  it('gives back the name and exactly the clauses written, in any order of ticket, time and trial', () => {
    fc.assert(
      fc.property(
        name,
        fc.option(ticket, { nil: undefined }),
        fc.option(when, { nil: undefined }),
        fc.option(trial, { nil: undefined }),
        fc.option(reason, { nil: undefined }),
        fc.constantFrom([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]),
        (n, t, w, tr, r, order) => {
          const written = [t ? `for ${t}` : '', w ?? '', tr ?? ''];
          const parts = order.map((i) => written[i]);
          const text = `move "${n}" to cloud ${parts.join(' ')} ${r ? `because ${r}` : ''}`;
          const c = command(text);
          const clauses = {
            ...(t ? { ticket: t } : {}),
            ...(w ? { when: w } : {}),
            ...(tr ? { trial: tr } : {}),
            ...(r ? { justification: r } : {}),
          };
          assert.deepEqual(c, move(n, Object.keys(clauses).length ? clauses : undefined), text);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 2000) },
    );
  });
});
