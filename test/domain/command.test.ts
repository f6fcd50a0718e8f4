import assert from 'node:assert/strict';
import { isObjectId, isRequestId, parseCommand } from '../../src/domain/command';

const command = (text: string) => parseCommand(text).command;
const DAY = 86_400_000;

describe('domain: the command parser', () => {
  it('reads a move in its phrasings, with courtesy, punctuation, mentions and typographic quotes', () => {
    for (const text of [
      'move SecGroup1 to cloud',
      'Please migrate SecGroup1 to Entra ID.',
      'switch the SOA of SecGroup1 to the cloud',
      'make SecGroup1 cloud-managed',
      'move the group SecGroup1 to cloud management',
      '<at>SOA Bot</at> move SecGroup1 to cloud',
      'MOVE SecGroup1 TO CLOUD!',
    ])
      assert.deepEqual(command(text), { kind: 'request', action: 'move', targets: [{ name: 'SecGroup1' }] }, text);
    assert.deepEqual(command('move \u201CSales and Marketing\u201D to cloud'), {
      kind: 'request',
      action: 'move',
      targets: [{ name: 'Sales and Marketing' }],
    });
  });

  it('reads a rollback in its phrasings', () => {
    for (const text of [
      'rollback SecGroup1',
      'roll back SecGroup1',
      'move SecGroup1 back to AD',
      'return SecGroup1 back to on-premises',
      'make SecGroup1 AD-managed',
      'undo the switch of SecGroup1',
    ])
      assert.deepEqual(command(text), { kind: 'request', action: 'rollback', targets: [{ name: 'SecGroup1' }] }, text);
  });

  it('reads checks (dry runs) of a move or of a rollback', () => {
    for (const text of [
      'check SecGroup1',
      'check SecGroup1 for a move to cloud',
      'dry run SecGroup1',
      'verify prerequisites for SecGroup1',
    ])
      assert.deepEqual(command(text), { kind: 'check', action: 'move', targets: [{ name: 'SecGroup1' }] }, text);
    for (const text of ['check rollback of SecGroup1', 'preflight rollback SecGroup1'])
      assert.deepEqual(command(text), { kind: 'check', action: 'rollback', targets: [{ name: 'SecGroup1' }] }, text);
  });

  it('splits several groups on commas and "and", keeps quoted names whole, and offers the unsplit phrase', () => {
    assert.deepEqual(parseCommand('move A, B and "Sales and Marketing" to cloud'), {
      command: {
        kind: 'request',
        action: 'move',
        targets: [{ name: 'A' }, { name: 'B' }, { name: 'Sales and Marketing' }],
      },
    });
    // Unquoted, "and" may be part of a name: the whole phrase comes along so the bot can ask.
    assert.deepEqual(parseCommand('move Sales and Marketing to cloud'), {
      command: { kind: 'request', action: 'move', targets: [{ name: 'Sales' }, { name: 'Marketing' }] },
      unsplit: 'Sales and Marketing',
    });
    assert.deepEqual(command("move O'Brien Admins to cloud"), {
      kind: 'request',
      action: 'move',
      targets: [{ name: "O'Brien Admins" }],
    });
  });

  it('reads plans: a tree under a group, or every group with a name prefix', () => {
    const tree = (mode: string) => ({ kind: 'plan', mode, scope: { kind: 'tree', root: { name: 'SecGroup1' } } });
    for (const text of [
      'move SecGroup1 and its nested groups to cloud',
      'move the tree under SecGroup1 to cloud',
      'move SecGroup1 recursively to cloud',
    ])
      assert.deepEqual(command(text), tree('request'), text);
    for (const text of ['check the tree under SecGroup1', 'check SecGroup1 with all of its child groups'])
      assert.deepEqual(command(text), tree('check'), text);
    assert.deepEqual(command('move groups starting with FIN- to cloud'), {
      kind: 'plan',
      mode: 'request',
      scope: { kind: 'prefix', prefix: 'FIN-' },
    });
    // Quotes and a trailing * are not part of the prefix.
    assert.deepEqual(command('check groups prefixed "FIN-*"'), {
      kind: 'plan',
      mode: 'check',
      scope: { kind: 'prefix', prefix: 'FIN-' },
    });
  });

  it('reads request ids in upper case for a plan rollback, cancel and status', () => {
    assert.deepEqual(command('rollback r-abc234'), { kind: 'rollbackPlan', requestId: 'R-ABC234' });
    assert.deepEqual(command('undo R-ABC234'), { kind: 'rollbackPlan', requestId: 'R-ABC234' });
    assert.deepEqual(command('cancel r-abc234'), { kind: 'cancel', requestId: 'R-ABC234' });
    assert.deepEqual(command('status r-abc234'), { kind: 'status', target: { name: 'R-ABC234' } });
    assert.deepEqual(command('status of "Finance DL"'), { kind: 'status', target: { name: 'Finance DL' } });
    assert.deepEqual(command('status'), { kind: 'status' });
  });

  it('reads the one-word commands and their synonyms', () => {
    const cases: Array<[string, string]> = [
      ['help', 'help'],
      ['what can you do', 'help'],
      ['pending', 'pending'],
      ["what's pending", 'pending'],
      ['board', 'board'],
      ['sign in', 'signin'],
      ['who am i', 'signin'],
      ['log out', 'signout'],
      ['', 'empty'],
      ['   ', 'empty'],
      ['<at>SOA Bot</at>', 'empty'],
    ];
    for (const [text, kind] of cases) assert.deepEqual(command(text), { kind }, text);
  });

  it('reads export ranges as whole UTC days, the end day included, and refuses impossible ones', () => {
    assert.deepEqual(command('export 2026-11-01 to 2026-11-30'), {
      kind: 'export',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
    const c = command('export');
    assert.equal(c.kind, 'export');
    if (c.kind !== 'export') return;
    const to = Date.parse(c.to);
    assert.equal(to - Date.parse(c.from), 30 * DAY, 'the last 30 days');
    assert.equal(to % DAY, 0, 'a UTC midnight');
    assert.ok(to > Date.now() && to <= Date.now() + DAY, 'up to the end of today');
    const week = command('export last 7 days');
    assert.ok(week.kind === 'export' && Date.parse(week.to) - Date.parse(week.from) === 7 * DAY);
    const since = command('export since 2026-11-01');
    assert.ok(since.kind === 'export' && since.from === '2026-11-01T00:00:00.000Z');
    for (const text of ['export 2026-02-30 to 2026-03-01', 'export 2026-11-30 to 2026-11-01', 'export yesterday'])
      assert.deepEqual(command(text), { kind: 'unknown', text, suggestion: 'export last 30 days' }, text);
  });

  it('refuses over-long messages and names before any lookup, saying the bound', () => {
    assert.deepEqual(command(`move ${'x'.repeat(300)} to cloud`), {
      kind: 'invalid',
      reason:
        'Group names in Entra ID have at most 256 characters; the one you gave has 300. ' +
        'Nothing was looked up or requested.',
    });
    assert.deepEqual(command('x'.repeat(4001)), {
      kind: 'invalid',
      reason:
        'That message is 4,001 characters long; commands have at most 2,000. Nothing was done. ' +
        'Type `help` to see the commands.',
    });
    // Length counts after the markup and spaces are gone: padding does not hide a command.
    assert.deepEqual(command(`${' '.repeat(3000)}help`), { kind: 'help' });
    const long = command(`move ${'x'.repeat(2100)} to cloud`);
    assert.ok(long.kind === 'invalid' && /That message is 2,114 characters long/.test(long.reason));
  });

  it('turns control characters into spaces, so they never reach a name', () => {
    assert.deepEqual(command('move Sec\u0000Group1 to cloud'), {
      kind: 'request',
      action: 'move',
      targets: [{ name: 'Sec Group1' }],
    });
  });

  it('answers what it does not understand with a likely fix when there is one', () => {
    assert.deepEqual(command('mvoe SecGroup1 to cloud'), {
      kind: 'unknown',
      text: 'mvoe SecGroup1 to cloud',
      suggestion: 'move SecGroup1 to cloud',
    });
    assert.deepEqual(command('rolback SecGroup1'), {
      kind: 'unknown',
      text: 'rolback SecGroup1',
      suggestion: 'rollback SecGroup1',
    });
    assert.deepEqual(command('move SecGroup1'), {
      kind: 'unknown',
      text: 'move SecGroup1',
      suggestion: 'move SecGroup1 to cloud',
    });
    assert.deepEqual(command('hello there'), { kind: 'unknown', text: 'hello there' });
    assert.deepEqual(command('move  to cloud'), { kind: 'unknown', text: 'move to cloud' });
  });
});

describe('domain: request ids and object ids', () => {
  it('a request id is R- and six letters or digits, in any case, spaces around ignored', () => {
    for (const id of ['R-ABC234', 'r-abc234', ' R-ZZZZZZ ']) assert.ok(isRequestId(id), id);
    for (const id of ['R-ABC23', 'R-ABC2345', 'RABC234', 'R-ABC 34', 'X-ABC234', '']) assert.ok(!isRequestId(id), id);
  });

  it('an object id is a GUID (the local tenant has 13 digits in the last part) and nothing more', () => {
    for (const id of [
      'a1000000-0000-4000-8000-000000000001',
      'A1000000-0000-4000-8000-00000000000A',
      '00000000-0000-0000-0000-0000000000021',
    ])
      assert.ok(isObjectId(id), id);
    for (const id of [
      'not-a-guid',
      'a1000000-0000-4000-8000-00000000001',
      'a1000000-0000-4000-8000-000000000001/owners',
      ' a1000000-0000-4000-8000-000000000001',
      'a1000000-0000-4000-8000-00000000000g',
      "a1000000-0000-4000-8000-000000000001' or 1 eq 1",
    ])
      assert.ok(!isObjectId(id), id);
  });
});
