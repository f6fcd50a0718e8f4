/**
 * The benchmark's baseline for the readiness scan (GRAPH_BATCHING=off): one request per fact.
 * It lists the groups page by page (`GET /groups`), then asks, for each group synced from AD,
 * its member groups, its extension attributes and (in `cloudManagedIds`) whether it is
 * cloud-managed, each as its own request, a few groups at a time.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../../ports/clock';
import type { InventoryEntry, InventoryPage } from '../../ports/inventory';
import { mapGraphError } from './errors';
import {
  allIds,
  CLOUD_MANAGED_FILTER,
  INVENTORY_SELECT,
  toEntry,
  type InventoryWirePage,
  type WireInventoryGroup,
} from './inventory-wire';

/** Groups whose facts are read at the same time (requests stay one per fact). */
const PARALLEL = 4;
/** Graph's default page size for listing groups. */
const LIST_TOP = 100;

/** Runs `fn` over `items`, at most `n` at a time, keeping the order of the results. */
async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

const fromAd = (g: WireInventoryGroup) => !!g.onPremisesSecurityIdentifier;

export class NaiveInventory {
  constructor(
    private readonly client: Client,
    readonly clock: Clock,
  ) {}

  async readPage(cursor: string | null): Promise<InventoryPage> {
    try {
      const page = (await this.client
        .api(cursor ?? `/groups?$select=${INVENTORY_SELECT}&$top=${LIST_TOP}`)
        .get()) as InventoryWirePage;
      const entries = await pool(page.value, PARALLEL, (g) => this.entryOf(g));
      return { entries, next: page['@odata.nextLink'] ?? null };
    } catch (e) {
      throw mapGraphError(e);
    }
  }

  /** The group with its member groups and its extension attributes, one request each. */
  private async entryOf(g: WireInventoryGroup): Promise<InventoryEntry> {
    if (!fromAd(g)) return toEntry(g, []);
    const children = await allIds(this.client, `/groups/${g.id}/members/microsoft.graph.group?$select=id&$top=999`);
    const ext = (await this.client
      .api(`/groups/${g.id}`)
      .select('id,onPremisesExtensionAttributes')
      .get()) as WireInventoryGroup;
    return toEntry({ ...g, onPremisesExtensionAttributes: ext.onPremisesExtensionAttributes ?? null }, children);
  }

  /** Every group listed, then for each one synced from AD the documented filter on its own id. */
  async cloudManagedIds(): Promise<string[]> {
    try {
      const all: WireInventoryGroup[] = [];
      let next: string | undefined = `/groups?$select=id,onPremisesSecurityIdentifier&$top=${LIST_TOP}`;
      while (next) {
        const page = (await this.client.api(next).get()) as InventoryWirePage;
        all.push(...page.value);
        next = page['@odata.nextLink'];
      }
      const flags = await pool(all.filter(fromAd), PARALLEL, async (g) => {
        const filter = encodeURIComponent(`id eq '${g.id}' and ${CLOUD_MANAGED_FILTER}`);
        const ids = await allIds(this.client, `/groups?$filter=${filter}&$count=true&$select=id`, {
          ConsistencyLevel: 'eventual',
        });
        return ids.length > 0 ? g.id : null;
      });
      return flags.filter((id): id is string => id !== null);
    } catch (e) {
      throw mapGraphError(e);
    }
  }
}
