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
