/** The readiness report's shapes, shared by the scan (services), its rules (domain) and its card (views). */
import type { GroupKind } from './group-facts';

/** A group as the scan keeps it once its page entries are merged. */
export interface ScanGroup {
  id: string;
  displayName: string;
  kind: GroupKind;
  onPremisesSyncEnabled: boolean | null;
  fromAd: boolean;
  extensionAttributes: string[];
  provisioningErrors: number;
  childGroupIds: string[];
}

/** ready; ready with warnings; blocked; already cloud-managed. */
export type ReadinessClass = 'ready' | 'warnings' | 'blocked' | 'cloud';

/** Why a group is not simply ready: warnings first, then blockers. */
export type ReadinessReason =
  // warnings
  | 'mailEnabled'
  | 'extensionAttributes'
  | 'parentsInAd'
  | 'childrenInAd'
  | 'cycle'
  // blockers
  | 'tenantSyncOff'
  | 'rollbackPending'
  | 'noLongerSynced'
  | 'provisioningErrors'
  | 'openRequest';

export interface ReadinessRow {
  id: string;
  displayName: string;
  kind: GroupKind;
  class: ReadinessClass;
  reasons: ReadinessReason[];
  /** Levels of groups nested below it (0: no child groups). */
  depth: number;
  /**
   * The bottom-up wave it can move in: 1 = no child group still managed in AD, n = after wave
   * n - 1; a nesting cycle moves as one wave. null for a group already cloud-managed.
   */
  wave: number | null;
  /** Child groups still managed in AD, and parent groups still synced from AD. */
  adChildren: number;
  adParents: number;
  /** The open request of this group in the bot (blocker `openRequest`). */
  openRequestId?: string;
}

export interface ReadinessResult {
  /** The groups reported (synced from AD at some point; only the slice's when there is one), by wave then name. */
  rows: ReadinessRow[];
  counts: Record<ReadinessClass, number>;
  /** Groups per wave: waves[0] is wave 1. */
  waves: number[];
  maxDepth: number;
  /** Reasons by how many groups they hold back, most first (blockers, then warnings). */
  blockers: Array<{ reason: ReadinessReason; groups: number }>;
  warnings: Array<{ reason: ReadinessReason; groups: number }>;
  /** Every group the scan read (all kinds, the whole tenant). */
  groupsRead: number;
  prefix?: string;
}

/**
 * One group as a page lists it. Graph may list a group again on a later page with more of its
 * members: merge a repeat by adding its `childGroupIds`. Graph's delta sends the same
 * properties again on a repeat (and GraphInventory passes them on); a reader may also give
 * only `id` and `childGroupIds`.
 */
export interface InventoryEntry {
  id: string;
  displayName?: string;
  kind?: GroupKind;
  onPremisesSyncEnabled?: boolean | null;
  /** It carries an on-premises security identifier: synced from AD at some point. */
  fromAd?: boolean;
  /** The names of the onPremisesExtensionAttributes that are set ("extensionAttribute3"). */
  extensionAttributes?: string[];
  /** How many onPremisesProvisioningErrors the group has. */
  provisioningErrors?: number;
  /** The direct members that are groups, of those this entry lists. */
  childGroupIds: string[];
  /** The group was deleted (a delta page's `@removed`). */
  removed?: boolean;
}
