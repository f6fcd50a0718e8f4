/** What the bot reads about a group before offering it for approval, and what it means. Pure. */

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
  /** Direct members (every type), for the restore point's cap; null: not counted; absent: read before it was. */
  memberCount?: number | null;
  readAt: string;
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

export type SoaState = 'ad' | 'cloud' | 'rollbackPending' | 'cloudOnly' | 'unknown';

/**
 * Current source of authority. Entra's attribute table: synced = onPremisesSyncEnabled true;
 * after a switch it is null, and after a rollback it stays null until the next sync, so only
 * `isCloudManaged` tells those apart.
 */
export function soaState(f: GroupFacts): SoaState {
  if (!isFromAd(f)) return 'cloudOnly';
  if (f.group.onPremisesSyncEnabled === true) return 'ad';
  if (f.isCloudManaged === true) return 'cloud';
  if (f.isCloudManaged === false) return 'rollbackPending';
  return 'unknown';
}
