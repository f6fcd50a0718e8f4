/**
 * An inventory in memory, for use-case tests: the groups of a tenant listed `pageSize` entries
 * a page, a group with more child groups than `membersPerEntry` listed again on a later page
 * with the rest (as Graph's delta does), and faults to make a page fail.
 */
import { CodedError } from '../../src/domain/errors';
import type { GroupKind } from '../../src/domain/group-facts';
import type { Inventory, InventoryEntry, InventoryPage } from '../../src/ports/inventory';

export interface FakeInventoryGroup {
  id: string;
  displayName: string;
  kind?: GroupKind;
  onPremisesSyncEnabled?: boolean | null;
  fromAd?: boolean;
  extensionAttributes?: string[];
  provisioningErrors?: number;
  childGroupIds?: string[];
  cloudManaged?: boolean;
}

export class InMemoryInventory implements Inventory {
  /** Pages read, in order, as their cursors (null: the first). */
  readonly reads: Array<string | null> = [];
  /** The next `failPages` page reads fail (Graph unavailable). */
  failPages = 0;
  /** The next `expireCursors` reads from a cursor fail as Graph's expired page token does (GraphInventory). */
  expireCursors = 0;
  /** Called before each page is answered (a test may cancel the scan here). */
  beforePage: ((cursor: string | null) => Promise<void>) | null = null;
  tenantSync: boolean | null = true;

  constructor(
    readonly groups: FakeInventoryGroup[],
    readonly pageSize = 3,
    readonly membersPerEntry = 2,
  ) {}

  async countGroups(): Promise<number | null> {
    return this.groups.length;
  }

  async cloudManagedIds(): Promise<string[]> {
    return this.groups.filter((g) => g.cloudManaged).map((g) => g.id);
  }

  async tenantSyncEnabled(): Promise<boolean | null> {
    return this.tenantSync;
  }

  async readPage(cursor: string | null): Promise<InventoryPage> {
    this.reads.push(cursor);
    await this.beforePage?.(cursor);
    if (cursor !== null && this.expireCursors > 0) {
      this.expireCursors--;
      throw new CodedError('Expired', 'The page token expired: read again from the first page.', { restartScan: true });
    }
    if (this.failPages > 0) {
      this.failPages--;
      throw new Error('Service unavailable');
    }
    const entries = this.entries();
    const start = cursor === null ? 0 : Number(/^page-(\d+)$/.exec(cursor)?.[1] ?? NaN);
    if (!Number.isInteger(start)) throw new Error(`not a cursor of this inventory: ${cursor}`);
    const end = start + this.pageSize;
    return { entries: entries.slice(start, end), next: end < entries.length ? `page-${end}` : null };
  }

  /** Every entry in listing order: each group once with its first children, then the repeats. */
  private entries(): InventoryEntry[] {
    const first: InventoryEntry[] = [];
    const repeats: InventoryEntry[] = [];
    for (const g of this.groups) {
      const children = g.childGroupIds ?? [];
      first.push({
        id: g.id,
        displayName: g.displayName,
        kind: g.kind ?? 'security',
        onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? (g.cloudManaged ? false : true),
        fromAd: g.fromAd ?? true,
        extensionAttributes: g.extensionAttributes ?? [],
        provisioningErrors: g.provisioningErrors ?? 0,
        childGroupIds: children.slice(0, this.membersPerEntry),
      });
      for (let i = this.membersPerEntry; i < children.length; i += this.membersPerEntry)
        repeats.push({ id: g.id, childGroupIds: children.slice(i, i + this.membersPerEntry) });
    }
    return [...first, ...repeats];
  }
}
