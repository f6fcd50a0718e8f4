/** The checks of a switch and of a rollback alike: the tenant, the group's origin and state, mail. Pure. */
import type { SoaAction } from './command';
import { kindLabel, type GroupFacts, type SoaState } from './group-facts';
import { when, type CheckRow, type SyncMinimums } from './check-row';

export function tenantSyncRow(f: GroupFacts): CheckRow {
  const t = f.tenant;
  if (t === null)
    return {
      id: 'tenantSync',
      title: 'Tenant sync',
      status: 'unknown',
      detail: 'Could not read the organization (Organization.Read.All or Directory.Read.All needed).',
    };
  if (t.onPremisesSyncEnabled === true) {
    const last = t.onPremisesLastSyncDateTime ? `; last sync ${when(t.onPremisesLastSyncDateTime)}` : '';
    return { id: 'tenantSync', title: 'Tenant sync', status: 'pass', detail: `On-premises sync is enabled${last}.` };
  }
  return {
    id: 'tenantSync',
    title: 'Tenant sync',
    status: 'fail',
    detail: 'On-premises directory sync is not enabled for this tenant: there is no AD source of authority to switch.',
  };
}

export function syncedRow(f: GroupFacts, state: SoaState): CheckRow {
  if (f.group.kind === 'unified')
    return {
      id: 'synced',
      title: 'Synced from AD',
      status: 'fail',
      detail: `${f.group.displayName} is a Microsoft 365 group created in the cloud: there is nothing to switch.`,
    };
  if (state === 'cloudOnly')
    return {
      id: 'synced',
      title: 'Synced from AD',
      status: 'fail',
      detail: `${f.group.displayName} was created in the cloud and never synced from AD: there is nothing to switch.`,
    };
  const g = f.group;
  const last = g.onPremisesLastSyncDateTime ? `, last synced ${when(g.onPremisesLastSyncDateTime)}` : '';
  return {
    id: 'synced',
    title: 'Synced from AD',
    status: 'pass',
    detail: `From ${g.onPremisesDomainName ?? 'AD'} as ${g.onPremisesSamAccountName ?? '?'}${last}.`,
  };
}

const STATE_TEXT: Record<SoaState, string> = {
  ad: 'managed in AD',
  cloud: 'cloud-managed',
  rollbackPending: 'rolled back and waiting for the next sync cycle',
  unknown: 'unknown',
  cloudOnly: '',
};

/** Whether the group (named `name`) is where the action starts from (not asked of a cloud-only group). */
export function soaStateRow(state: SoaState, action: SoaAction, name: string): CheckRow {
  const title = 'Current source of authority';
  if (state === 'unknown')
    return {
      id: 'soaState',
      title,
      status: 'unknown',
      detail: "Could not read isCloudManaged; it is read again with the approver's token before any change.",
    };
  const want = action === 'move' ? 'ad' : 'cloud';
  if (state === want) return { id: 'soaState', title, status: 'pass', detail: `The group is ${STATE_TEXT[state]}.` };
  const need = action === 'move' ? 'a move needs a group managed in AD' : 'a rollback needs a cloud-managed group';
  return { id: 'soaState', title, status: 'fail', detail: `${name} is ${STATE_TEXT[state]}: ${need}.` };
}

/** Mail-enabled kinds warn, a security group passes, a Microsoft 365 group has no row. */
export function mailRow(f: GroupFacts, action: SoaAction): CheckRow | null {
  const kind = f.group.kind;
  if (kind === 'mailEnabledSecurity' || kind === 'distribution') {
    const after =
      action === 'move'
        ? 'after the switch its membership is managed in Exchange Online, not in Entra ID or Graph; ' +
          'it cannot be governed by Entra ID Governance nor provisioned back to AD.'
        : 'AD and Exchange on-premises manage it again after the rollback.';
    return { id: 'mail', title: 'Mail-enabled group', status: 'warn', detail: `${kindLabel(kind)}: ${after}` };
  }
  if (kind === 'security')
    return { id: 'mail', title: 'Mail-enabled group', status: 'pass', detail: 'Not mail-enabled.' };
  return null;
}

export function syncVersionsRow(minimums: SyncMinimums): CheckRow {
  return {
    id: 'syncVersions',
    title: 'Sync client versions',
    status: 'ack',
    detail:
      `Connect Sync ${minimums.connectSync} or later, or the Cloud Sync provisioning agent ${minimums.cloudSync} ` +
      'or later, runs on the sync servers, so that the sync client honours the switch (Graph does not report ' +
      'installed versions).',
  };
}

/**
 * The restore point read just before the switch (services/soa/restore-points.ts), as far as
 * it can be foreseen: no row when it will be whole; a warning when the group has more direct
 * members than it keeps (SNAPSHOT_MAX_MEMBERS); unknown when the members could not be counted.
 */
export function restorePointRow(f: GroupFacts, maxMembers: number): CheckRow | null {
  const n = f.memberCount;
  if (n === undefined || (n !== null && n <= maxMembers)) return null;
  if (n === null)
    return {
      id: 'restorePoint',
      title: 'Restore point',
      status: 'unknown',
      detail:
        "Could not count the group's members: the restore point read just before the switch may be " +
        'incomplete; it will name what it is missing.',
    };
  const fmt = (x: number) => x.toLocaleString('en-US');
  return {
    id: 'restorePoint',
    title: 'Restore point incomplete',
    status: 'warn',
    detail:
      `The restore point read just before the switch keeps the first ${fmt(maxMembers)} of ${fmt(n)} ` +
      'direct members (SNAPSHOT_MAX_MEMBERS); owners, attributes and parent groups in full.',
  };
}
