/** Reads an Inventory to its last page, merging repeated entries (children added), for tests. */
import type { Inventory, InventoryEntry } from '../../src/ports/inventory';

export interface ReadAll {
  /** Each group once: a repeat adds its children; a removed group is dropped. */
  groups: Map<string, InventoryEntry>;
  /** Every entry as the pages listed them. */
  entries: InventoryEntry[];
  pages: number;
}

export async function readAll(inventory: Inventory): Promise<ReadAll> {
  const groups = new Map<string, InventoryEntry>();
  const entries: InventoryEntry[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page = await inventory.readPage(cursor);
    pages += 1;
    for (const e of page.entries) {
      entries.push(e);
      if (e.removed) {
        groups.delete(e.id);
        continue;
      }
      const had = groups.get(e.id);
      groups.set(
        e.id,
        had ? { ...had, ...e, childGroupIds: [...new Set([...had.childGroupIds, ...e.childGroupIds])] } : e,
      );
    }
    cursor = page.next;
  } while (cursor);
  return { groups, entries, pages };
}
