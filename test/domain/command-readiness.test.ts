import assert from 'node:assert/strict';
import { parseCommand } from '../../src/domain/command';

const command = (text: string) => parseCommand(text).command;

describe('domain: the readiness command', () => {
  it('reads the whole-tenant report in its phrasings', () => {
    for (const text of ['readiness', 'Readiness report', 'run the readiness scan', 'please readiness!', 'READINESS'])
      assert.deepEqual(command(text), { kind: 'readiness' }, text);
  });

  it('reads a slice by name prefix: quoted, starred, in typographic quotes', () => {
    for (const text of [
      'readiness groups starting with "FIN-"',
      'readiness of groups starting with FIN-',
      'readiness report for all groups whose names start with \u201CFIN-\u201D',
      'readiness groups prefixed FIN-',
      'readiness FIN-*',
      'readiness "FIN-*"',
      'readiness for FIN-*',
    ])
      assert.deepEqual(command(text), { kind: 'readiness', prefix: 'FIN-' }, text);
    assert.deepEqual(command('readiness groups starting with "Sales EU"'), { kind: 'readiness', prefix: 'Sales EU' });
  });

  it('anything else after "readiness" is not guessed: the phrasing to use is offered', () => {
    for (const text of [
      'readiness FIN-',
      'readiness of SecGroup1',
      'readiness groups starting with ""',
      'readinessX',
    ]) {
      const c = command(text);
      if (text === 'readinessX') assert.equal(c.kind, 'unknown', text);
      else assert.deepEqual(c, { kind: 'unknown', text, suggestion: 'readiness groups starting with "FIN-"' }, text);
    }
  });

  it('a prefix longer than a group name can be is refused before anything is read', () => {
    const c = command(`readiness groups starting with "${'x'.repeat(300)}"`);
    assert.equal(c.kind, 'invalid');
  });

  it('other commands are unchanged by it', () => {
    assert.equal(command('move readiness to cloud').kind, 'request');
    assert.equal(command('check groups starting with FIN-').kind, 'plan');
  });
});
