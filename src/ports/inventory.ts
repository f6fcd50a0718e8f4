/**
 * Reading every group of the tenant for the readiness report, a page at a time, with the bot's
 * own identity. A page is what Graph hands back for one request; the scan stores the cursor
 * after each page, so a restarted bot goes on from the last page it kept.
 */
import type { GroupKind } from '../domain/group-facts';

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

export interface InventoryPage {
  entries: InventoryEntry[];
  /** Where the next page is read from; null after the last page. Opaque to the caller. */
  next: string | null;
}

export interface Inventory {
  /** How many groups the tenant has, for progress ("1,200 of 10,000"); null when it cannot be read. */
  countGroups(): Promise<number | null>;
  /** The ids of every group whose isCloudManaged is true (every page). */
  cloudManagedIds(): Promise<string[]>;
  /** Whether the tenant syncs from on-premises AD (organization); null when it cannot be read. */
  tenantSyncEnabled(): Promise<boolean | null>;
  /** One page of every group with its member groups: `cursor` null for the first page. */
  readPage(cursor: string | null): Promise<InventoryPage>;
}
