import assert from 'node:assert/strict';
import {
  mailRow,
  restorePointRow,
  soaStateRow,
  syncedRow,
  syncVersionsRow,
  tenantSyncRow,
} from '../../src/domain/checks-common';
import { evaluate } from '../../src/domain/prerequisites';
import { soaState } from '../../src/domain/group-facts';
import { cloudManaged, facts } from './fixtures';

describe('domain checks for a move and a rollback alike', () => {
  it('restore point: no row within the cap or when not counted before; a warning over it; unknown uncounted', () => {
    assert.equal(restorePointRow(facts({ memberCount: 50_000 }), 50_000), null);
    assert.equal(restorePointRow(facts(), 2), null, 'facts read before members were counted');
    const over = restorePointRow(facts({ memberCount: 62_000 }), 50_000)!;
    assert.equal(over.status, 'warn');
    assert.match(over.detail, /keeps the first 50,000 of 62,000 direct members \(SNAPSHOT_MAX_MEMBERS\)/);
    assert.equal(restorePointRow(facts({ memberCount: null }), 50_000)!.status, 'unknown');
    const minimums = { connectSync: '2.5.76.0', cloudSync: '1.1.1370.0' };
    const rows = evaluate(facts({ memberCount: 3 }), 'rollback', minimums, 2).map((r) => r.id);
    assert.deepEqual(rows.slice(-2), ['restorePoint', 'syncVersions'], 'a rollback has the row too, before the ack');
  });

  it('tenant sync: pass with the last sync time, fail when not enabled, unknown when not readable', () => {
    assert.deepEqual(tenantSyncRow(facts()), {
      id: 'tenantSync',
      title: 'Tenant sync',
      status: 'pass',
      detail: 'On-premises sync is enabled; last sync 2026-11-28 05:59 UTC.',
    });
    const never = tenantSyncRow(facts({ tenant: { onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: null } }));
    assert.equal(never.detail, 'On-premises sync is enabled.');
    const off = tenantSyncRow(facts({ tenant: { onPremisesSyncEnabled: null, onPremisesLastSyncDateTime: null } }));
    assert.equal(off.status, 'fail');
    assert.match(off.detail, /not enabled for this tenant: there is no AD source of authority to switch/);
    const unread = tenantSyncRow(facts({ tenant: null }));
    assert.equal(unread.status, 'unknown');
    assert.match(unread.detail, /Organization\.Read\.All or Directory\.Read\.All/);
  });

  it('synced from AD: pass naming the domain and account; fail for Microsoft 365 and cloud-only groups', () => {
    const f = facts();
    assert.deepEqual(syncedRow(f, soaState(f)), {
      id: 'synced',
      title: 'Synced from AD',
      status: 'pass',
      detail: 'From contoso.com as SecGroup1, last synced 2026-11-28 05:59 UTC.',
    });
    const bare = facts({
      group: { onPremisesDomainName: null, onPremisesSamAccountName: null, onPremisesLastSyncDateTime: null },
    });
    assert.equal(syncedRow(bare, soaState(bare)).detail, 'From AD as ?.');
    const m365 = facts({ group: { kind: 'unified' } });
    assert.equal(syncedRow(m365, soaState(m365)).status, 'fail');
    assert.equal(
      syncedRow(m365, soaState(m365)).detail,
      'SecGroup1 is a Microsoft 365 group created in the cloud: there is nothing to switch.',
    );
    const cloudOnly = facts({ group: { onPremisesSyncEnabled: null, onPremisesSecurityIdentifier: null } });
    assert.equal(syncedRow(cloudOnly, 'cloudOnly').status, 'fail');
    assert.equal(
      syncedRow(cloudOnly, 'cloudOnly').detail,
      'SecGroup1 was created in the cloud and never synced from AD: there is nothing to switch.',
    );
  });

  it('current source of authority: pass where the action starts, fail elsewhere saying why, unknown if unread', () => {
    assert.deepEqual(soaStateRow('ad', 'move', 'SecGroup1'), {
      id: 'soaState',
      title: 'Current source of authority',
      status: 'pass',
      detail: 'The group is managed in AD.',
    });
    assert.equal(soaStateRow('cloud', 'rollback', 'SecGroup1').detail, 'The group is cloud-managed.');
    assert.equal(soaStateRow('cloud', 'move', 'SecGroup1').status, 'fail');
    assert.equal(
      soaStateRow('cloud', 'move', 'SecGroup1').detail,
      'SecGroup1 is cloud-managed: a move needs a group managed in AD.',
    );
    assert.equal(
      soaStateRow('rollbackPending', 'move', 'SecGroup1').detail,
      'SecGroup1 is rolled back and waiting for the next sync cycle: a move needs a group managed in AD.',
    );
    assert.equal(
      soaStateRow('ad', 'rollback', 'SecGroup1').detail,
      'SecGroup1 is managed in AD: a rollback needs a cloud-managed group.',
    );
    const unknown = soaStateRow('unknown', 'move', 'SecGroup1');
    assert.equal(unknown.status, 'unknown');
    assert.match(unknown.detail, /read again with the approver's token before any change/);
  });

  it('mail: mail-enabled groups warn (Exchange Online takes them over); security passes; M365 has no row', () => {
    const dl = mailRow(facts({ group: { kind: 'distribution' } }), 'move');
    assert.equal(dl?.status, 'warn');
    assert.equal(
      dl?.detail,
      'Distribution list: after the switch its membership is managed in Exchange Online, not in Entra ID or ' +
        'Graph; it cannot be governed by Entra ID Governance nor provisioned back to AD.',
    );
    assert.equal(
      mailRow(facts({ group: { kind: 'mailEnabledSecurity' } }), 'rollback')?.detail,
      'Mail-enabled security group: AD and Exchange on-premises manage it again after the rollback.',
    );
    assert.deepEqual(mailRow(cloudManaged(), 'rollback'), {
      id: 'mail',
      title: 'Mail-enabled group',
      status: 'pass',
      detail: 'Not mail-enabled.',
    });
    assert.equal(mailRow(facts({ group: { kind: 'unified' } }), 'move'), null);
  });

  it('sync client versions: always for the approver to confirm, with the configured minimums', () => {
    const row = syncVersionsRow({ connectSync: '2.5.76.0', cloudSync: '1.1.1370.0' });
    assert.equal(row.status, 'ack');
    assert.equal(
      row.detail,
      'Connect Sync 2.5.76.0 or later, or the Cloud Sync provisioning agent 1.1.1370.0 or later, runs on the ' +
        'sync servers, so that the sync client honours the switch (Graph does not report installed versions).',
    );
  });
});
