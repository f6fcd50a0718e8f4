/**
 * Reading every group of the tenant for the readiness report, a page at a time, with the bot's
 * own identity. A page is what Graph hands back for one request; the scan stores the cursor
 * after each page, so a restarted bot goes on from the last page it kept.
 */
import type { InventoryEntry } from '../domain/readiness-types';

export type { InventoryEntry } from '../domain/readiness-types';

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
