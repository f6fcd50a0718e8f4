import assert from 'node:assert/strict';
import {
  applicableRows,
  blockingReasons,
  evaluate,
  isBlocked,
  when,
  type CheckRow,
} from '../../src/domain/prerequisites';
import { cloudManaged, facts } from './fixtures';

const minimums = { connectSync: '2.5.76.0', cloudSync: '1.1.1370.0' };
const ids = (rows: CheckRow[]) => rows.map((r) => r.id);
const status = (rows: CheckRow[], id: string) => rows.find((r) => r.id === id)?.status;

describe('domain: the prerequisite checklist', () => {
  it('a move of a synced security group: every move row in card order, nothing blocks', () => {
    const rows = evaluate(facts(), 'move', minimums);
    assert.deepEqual(ids(rows), [
      'tenantSync',
      'synced',
      'soaState',
      'children',
      'parents',
      'depth',
      'mail',
      'extensionAttributes',
      'reconciliation',
      'syncVersions',
    ]);
    assert.equal(isBlocked(rows), false);
  });

  it('a rollback of a cloud-managed group: the rollback rows instead of the nesting ones', () => {
    const rows = evaluate(cloudManaged(), 'rollback', minimums);
    assert.deepEqual(ids(rows), [
      'tenantSync',
      'synced',
      'soaState',
      'mail',
      'cloudMembers',
      'cloudEdits',
      'completesAtSync',
      'syncVersions',
    ]);
    assert.equal(isBlocked(rows), false);
  });

  it('blocks what cannot be switched: Microsoft 365 and cloud-only groups, the wrong state, no tenant sync', () => {
    const m365 = evaluate(facts({ group: { kind: 'unified' } }), 'move', minimums);
    assert.equal(isBlocked(m365), true);
    assert.ok(!ids(m365).includes('soaState') && !ids(m365).includes('mail'), 'no state or mail row for M365');
    const cloudOnly = facts({ group: { onPremisesSyncEnabled: null, onPremisesSecurityIdentifier: null } });
    assert.equal(status(evaluate(cloudOnly, 'move', minimums), 'synced'), 'fail');
    assert.equal(isBlocked(evaluate(cloudManaged(), 'move', minimums)), true, 'already cloud-managed');
    assert.equal(isBlocked(evaluate(facts(), 'rollback', minimums)), true, 'still managed in AD');
    const noSync = facts({ tenant: { onPremisesSyncEnabled: false, onPremisesLastSyncDateTime: null } });
    assert.equal(isBlocked(evaluate(noSync, 'move', minimums)), true);
  });

  it('a group that never came from AD: only the tenant row and the reason apply, the reason leads', () => {
    const m365 = facts({ group: { kind: 'unified', displayName: 'Project X' } });
    const rows = evaluate(m365, 'move', minimums);
    assert.deepEqual(ids(applicableRows(m365, rows)), ['tenantSync', 'synced']);
    assert.deepEqual(blockingReasons(rows), [
      'Project X is a Microsoft 365 group created in the cloud: there is nothing to switch.',
    ]);
    const cloudOnly = facts({ group: { onPremisesSyncEnabled: null, onPremisesSecurityIdentifier: null } });
    assert.deepEqual(ids(applicableRows(cloudOnly, evaluate(cloudOnly, 'rollback', minimums))), [
      'tenantSync',
      'synced',
    ]);
    const synced = evaluate(cloudManaged(), 'move', minimums);
    assert.deepEqual(applicableRows(cloudManaged(), synced), synced, 'a group from AD keeps every row');
    assert.deepEqual(blockingReasons(synced), ['SecGroup1 is cloud-managed: a move needs a group managed in AD.']);
  });

  it('warnings and unknowns do not block; only a failed row does', () => {
    const unsure = facts({ tenant: null, group: { kind: 'distribution', extensionAttributes: null } });
    const rows = evaluate(unsure, 'move', minimums);
    assert.equal(status(rows, 'tenantSync'), 'unknown');
    assert.equal(status(rows, 'mail'), 'warn');
    assert.equal(status(rows, 'extensionAttributes'), 'unknown');
    assert.equal(isBlocked(rows), false);
    assert.equal(isBlocked([{ id: 'x', title: 'x', status: 'ack', detail: '' }]), false);
    assert.equal(isBlocked([{ id: 'x', title: 'x', status: 'fail', detail: '' }]), true);
  });

  it('shows times to the minute in UTC', () => {
    assert.equal(when('2026-11-28T05:59:18.716Z'), '2026-11-28 05:59 UTC');
    assert.equal(when('2026-11-28T05:59:18Z'), '2026-11-28 05:59 UTC');
  });
});
