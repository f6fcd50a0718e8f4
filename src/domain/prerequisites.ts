/**
 * The prerequisite checklist for a Group SOA switch or rollback, from facts read in the
 * directory. Pure: no I/O. Each row is pass / warn / fail / unknown (could not verify) /
 * ack (the approver must confirm what Graph cannot show).
 */
import type { SoaAction } from './command';

export type GroupKind = 'security' | 'mailEnabledSecurity' | 'distribution' | 'unified';

export interface GroupSummary {
  id: string;
  displayName: string;
  /** true = still synced from (managed in) AD; null = cloud-managed, rolled back pending sync, or cloud-only. */
  onPremisesSyncEnabled: boolean | null;
}

export interface TreeNode extends GroupSummary {
  depth: number;
}

/** What the bot read about a group before offering it for approval. */
export interface GroupFacts {
  group: {
    id: string;
    displayName: string;
    description: string | null;
    kind: GroupKind;
    mail: string | null;
    onPremisesSyncEnabled: boolean | null;
    onPremisesLastSyncDateTime: string | null;
    onPremisesSamAccountName: string | null;
    onPremisesSecurityIdentifier: string | null;
    onPremisesDomainName: string | null;
    /** null when it could not be read. */
    extensionAttributes: Record<string, string | null> | null;
  };
  /** null: could not be read with the identity that gathered the facts. */
  isCloudManaged: boolean | null;
  tenant: { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null } | null;
  /** Direct child groups. */
  children: GroupSummary[];
  /** Every group below, each once, with the depth at which it was first met. */
  descendants: TreeNode[];
  /** true when the walk met a group twice on one path (AD allows cycles). */
  cycle: boolean;
  /** true when the walk stopped at its bound; the card says so. */
  truncated: boolean;
  parents: GroupSummary[];
  /** For rollback: members that are cloud-only users (not synced from AD). null = not read. */
  cloudOnlyMembers: Array<{ id: string; displayName: string }> | null;
  readAt: string;
}

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'ack';

export interface CheckRow {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
}

export interface SyncMinimums {
  connectSync: string;
  cloudSync: string;
}

export function kindLabel(kind: GroupKind): string {
  switch (kind) {
    case 'security':
      return 'Security group';
    case 'mailEnabledSecurity':
      return 'Mail-enabled security group';
    case 'distribution':
      return 'Distribution list';
    case 'unified':
      return 'Microsoft 365 group';
  }
}

/** Synced from AD at some point: it carries an on-premises SID and SAM account name. */
export function isFromAd(f: GroupFacts): boolean {
  return (
    f.group.kind !== 'unified' &&
    (f.group.onPremisesSecurityIdentifier !== null || f.group.onPremisesSyncEnabled === true)
  );
}

/**
 * Current source of authority. Entra's attribute table: synced = onPremisesSyncEnabled true;
 * after a switch it is null, and after a rollback it stays null until the next sync, so only
 * `isCloudManaged` tells those apart.
 */
export function soaState(f: GroupFacts): 'ad' | 'cloud' | 'rollbackPending' | 'cloudOnly' | 'unknown' {
  if (!isFromAd(f)) return 'cloudOnly';
  if (f.group.onPremisesSyncEnabled === true) return 'ad';
  if (f.isCloudManaged === true) return 'cloud';
  if (f.isCloudManaged === false) return 'rollbackPending';
  return 'unknown';
}

/** 2026-11-28T05:59:18.716Z → 2026-11-28 05:59 UTC */
export const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

const list = (gs: Array<{ displayName: string }>, max = 8) =>
  gs.length <= max
    ? gs.map((g) => g.displayName).join(', ')
    : `${gs
        .slice(0, max)
        .map((g) => g.displayName)
        .join(', ')} and ${gs.length - max} more`;

/** Bottom-up order for the groups still managed in AD below this one: deepest first. */
/**
 * Whether the lowest-first order is known from the facts: depth 2 means "below a direct child",
 * so the order among several such groups is not known without reading the tree level by level.
 */
function chainKnown(order: TreeNode[]): boolean {
  return order.filter((d) => d.depth >= 2).length <= 1;
}

export function bottomUpOrder(f: GroupFacts): TreeNode[] {
  return f.descendants
    .filter((d) => d.onPremisesSyncEnabled === true)
    .sort((a, b) => b.depth - a.depth || a.displayName.localeCompare(b.displayName));
}

export function evaluate(f: GroupFacts, action: SoaAction, minimums: SyncMinimums): CheckRow[] {
  const rows: CheckRow[] = [];
  const t = f.tenant;
  rows.push(
    t === null
      ? {
          id: 'tenantSync',
          title: 'Tenant sync',
          status: 'unknown',
          detail: 'Could not read the organization (Organization.Read.All or Directory.Read.All needed).',
        }
      : t.onPremisesSyncEnabled === true
        ? {
            id: 'tenantSync',
            title: 'Tenant sync',
            status: 'pass',
            detail: `On-premises sync is enabled${t.onPremisesLastSyncDateTime ? `; last sync ${when(t.onPremisesLastSyncDateTime)}` : ''}.`,
          }
        : {
            id: 'tenantSync',
            title: 'Tenant sync',
            status: 'fail',
            detail:
              'On-premises directory sync is not enabled for this tenant: there is no AD source of authority to switch.',
          },
  );

  const state = soaState(f);
  if (f.group.kind === 'unified') {
    rows.push({
      id: 'synced',
      title: 'Synced from AD',
      status: 'fail',
      detail: 'This is a Microsoft 365 group, a cloud object: there is nothing to switch.',
    });
  } else if (state === 'cloudOnly') {
    rows.push({
      id: 'synced',
      title: 'Synced from AD',
      status: 'fail',
      detail: 'This group was created in the cloud and never synced from AD: there is nothing to switch.',
    });
  } else {
    rows.push({
      id: 'synced',
      title: 'Synced from AD',
      status: 'pass',
      detail: `From ${f.group.onPremisesDomainName ?? 'AD'} as ${f.group.onPremisesSamAccountName ?? '?'}${f.group.onPremisesLastSyncDateTime ? `, last synced ${when(f.group.onPremisesLastSyncDateTime)}` : ''}.`,
    });
  }

  if (state !== 'cloudOnly') {
    const want = action === 'move' ? 'ad' : 'cloud';
    const now = {
      ad: 'managed in AD',
      cloud: 'cloud-managed',
      rollbackPending: 'rolled back and waiting for the next sync cycle',
      unknown: 'unknown',
      cloudOnly: '',
    }[state];
    if (state === 'unknown') {
      rows.push({
        id: 'soaState',
        title: 'Current source of authority',
        status: 'unknown',
        detail: "Could not read isCloudManaged; it is read again with the approver's token before any change.",
      });
    } else if (state === want) {
      rows.push({
        id: 'soaState',
        title: 'Current source of authority',
        status: 'pass',
        detail: `The group is ${now}.`,
      });
    } else {
      const what = action === 'move' ? 'A move needs a group managed in AD' : 'A rollback needs a cloud-managed group';
      rows.push({
        id: 'soaState',
        title: 'Current source of authority',
        status: 'fail',
        detail: `${what}; this group is ${now}.`,
      });
    }
  }

  if (action === 'move') {
    const adChildren = f.children.filter((c) => c.onPremisesSyncEnabled === true);
    const order = bottomUpOrder(f);
    rows.push(
      adChildren.length === 0 && order.length === 0
        ? {
            id: 'children',
            title: 'Nested groups',
            status: 'pass',
            detail: f.children.length
              ? `Child groups are already cloud-managed: ${list(f.children)}.`
              : 'No child groups.',
          }
        : {
            id: 'children',
            title: 'Nested groups stay in AD',
            status: 'warn',
            detail: `Only this group switches; ${order.length} nested group(s) stay managed in AD: ${list(order)}. Microsoft recommends switching them one by one, lowest first${
              chainKnown(order)
                ? `: ${order
                    .map((g) => g.displayName)
                    .slice(0, 12)
                    .join(' → ')}${order.length > 12 ? ' → …' : ''} → ${f.group.displayName}`
                : ''
            }. "move ${f.group.displayName} and its nested groups to cloud" asks for all of them as one plan in that order.`,
          },
    );
    const adParents = f.parents.filter((p) => p.onPremisesSyncEnabled === true);
    rows.push(
      adParents.length === 0
        ? {
            id: 'parents',
            title: 'Parent groups',
            status: 'pass',
            detail: f.parents.length ? 'No parent group is still synced from AD.' : 'Not nested in any group.',
          }
        : {
            id: 'parents',
            title: 'Parent groups still synced from AD',
            status: 'warn',
            detail: `Member of ${list(adParents)}, still synced from AD. No dual write: if this group is later provisioned back to AD, its membership in those groups is not synced.`,
          },
    );
    const depth = f.descendants.reduce((m, d) => Math.max(m, d.depth), 0);
    rows.push({
      id: 'depth',
      title: 'Nesting depth',
      status: f.cycle || f.truncated ? 'warn' : 'pass',
      detail: `${depth === 0 ? 'No nested groups' : depth === 1 ? `${f.descendants.length} nested group(s), one level deep` : `${f.descendants.length} nested group(s), more than one level deep`}${f.cycle ? '; the AD nesting contains a cycle' : ''}${f.truncated ? '; the tree is larger than the bot reads for one card, so the list is incomplete' : ''}.`,
    });
  }

  if (f.group.kind === 'mailEnabledSecurity' || f.group.kind === 'distribution') {
    rows.push({
      id: 'mail',
      title: 'Mail-enabled group',
      status: 'warn',
      detail: `${kindLabel(f.group.kind)}: ${action === 'move' ? 'after the switch its membership is managed in Exchange Online, not in Entra ID or Graph; it cannot be governed by Entra ID Governance nor provisioned back to AD.' : 'AD and Exchange on-premises manage it again after the rollback.'}`,
    });
  } else if (f.group.kind === 'security') {
    rows.push({ id: 'mail', title: 'Mail-enabled group', status: 'pass', detail: 'Not mail-enabled.' });
  }

  if (action === 'move') {
    const ext = f.group.extensionAttributes;
    const set = ext ? Object.entries(ext).filter(([, v]) => v !== null && v !== '') : [];
    rows.push(
      ext === null
        ? {
            id: 'extensionAttributes',
            title: 'Extension attributes 1–15',
            status: 'unknown',
            detail:
              'Could not read onPremisesExtensionAttributes. Extension attributes 1–15 are not supported after the switch.',
          }
        : set.length
          ? {
              id: 'extensionAttributes',
              title: 'Extension attributes 1–15',
              status: 'warn',
              detail: `Not supported after the switch and lost: ${set.map(([k, v]) => `${k} = ${v}`).join(', ')}.`,
            }
          : {
              id: 'extensionAttributes',
              title: 'Extension attributes 1–15',
              status: 'pass',
              detail: 'None set (they are not supported after the switch).',
            },
    );
    rows.push({
      id: 'reconciliation',
      title: 'Later AD edits',
      status: 'warn',
      detail:
        'No reconciliation: changes made to the AD group after the switch are not carried over to the cloud (the sync client skips it, event 6956).',
    });
  } else {
    const cloudMembers = f.cloudOnlyMembers;
    rows.push(
      cloudMembers === null
        ? {
            id: 'cloudMembers',
            title: 'Cloud-only members',
            status: 'unknown',
            detail:
              'Could not read the members. Remove cloud-only members before a rollback: AD membership replaces them.',
          }
        : cloudMembers.length
          ? {
              id: 'cloudMembers',
              title: 'Cloud-only members',
              status: 'warn',
              detail: `${cloudMembers.length} member(s) exist only in the cloud and will be removed when AD takes the group over: ${list(cloudMembers)}.`,
            }
          : { id: 'cloudMembers', title: 'Cloud-only members', status: 'pass', detail: 'All members come from AD.' },
    );
    rows.push({
      id: 'cloudEdits',
      title: 'Cloud edits',
      status: 'warn',
      detail:
        'Changes made in the cloud while the group was cloud-managed are overwritten by the AD values at the next sync. Remove the group from access packages first.',
    });
    rows.push({
      id: 'completesAtSync',
      title: 'Completes at the next sync',
      status: 'warn',
      detail:
        'The rollback only completes when the next sync cycle takes the group over; until then it stays editable in the cloud.',
    });
  }

  rows.push({
    id: 'syncVersions',
    title: 'Sync client versions',
    status: 'ack',
    detail: `Graph does not report installed sync client versions. Confirm Connect Sync ${minimums.connectSync} or later, or the Cloud Sync provisioning agent ${minimums.cloudSync} or later, so the sync client honours the switch.`,
  });
  return rows;
}

export function isBlocked(rows: CheckRow[]): boolean {
  return rows.some((r) => r.status === 'fail');
}
