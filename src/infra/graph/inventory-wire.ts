/** What the readiness reads share: the group as its pages send it, the properties asked, one entry. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { InventoryEntry } from '../../ports/inventory';
import { groupKind } from './mapping';
import type { Page } from './wire';

/** A group as a delta or list page sends it: only what the read selected. */
export interface WireInventoryGroup {
  id: string;
  displayName?: string;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
  onPremisesSyncEnabled?: boolean | null;
  onPremisesSecurityIdentifier?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
  onPremisesProvisioningErrors?: unknown[] | null;
  'members@delta'?: Array<{ '@odata.type'?: string; id: string; '@removed'?: unknown }>;
  '@removed'?: { reason?: string };
}

export type InventoryWirePage = Page<WireInventoryGroup> & { '@odata.deltaLink'?: string };

/** The group properties a scan needs (what `InventoryEntry` holds). */
export const INVENTORY_SELECT = [
  'id',
  'displayName',
  'mailEnabled',
  'securityEnabled',
  'groupTypes',
  'onPremisesSyncEnabled',
  'onPremisesSecurityIdentifier',
  'onPremisesExtensionAttributes',
  'onPremisesProvisioningErrors',
].join(',');

export const EVENTUAL = { ConsistencyLevel: 'eventual' };
/** The filter Entra's Source of Authority monitoring page documents (needs ConsistencyLevel and $count). */
export const CLOUD_MANAGED_FILTER = 'onPremisesSyncBehavior/isCloudManaged eq true';

/** The names of the extension attributes that hold a value. */
export function extensionAttributeNames(raw: Record<string, string | null> | null | undefined): string[] {
  return Object.entries(raw ?? {})
    .filter(([k, v]) => /^extensionAttribute\d+$/.test(k) && typeof v === 'string' && v !== '')
    .map(([k]) => k);
}

/** One group of a page as the scan keeps it; `childGroupIds` given apart (delta or a member read). */
export function toEntry(g: WireInventoryGroup, childGroupIds: string[]): InventoryEntry {
  if (g['@removed']) return { id: g.id, childGroupIds: [], removed: true };
  return {
    id: g.id,
    ...(g.displayName !== undefined ? { displayName: g.displayName } : {}),
    kind: groupKind(g),
    onPremisesSyncEnabled: g.onPremisesSyncEnabled ?? null,
    fromAd: !!g.onPremisesSecurityIdentifier,
    extensionAttributes: extensionAttributeNames(g.onPremisesExtensionAttributes),
    provisioningErrors: g.onPremisesProvisioningErrors?.length ?? 0,
    childGroupIds,
  };
}

/** Every id of a collection, following @odata.nextLink with the same headers. */
export async function allIds(client: Client, first: string, headers: Record<string, string> = {}): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = first;
  while (next) {
    const page = (await client.api(next).headers(headers).get()) as Page<{ id: string }>;
    for (const x of page.value) ids.push(x.id);
    next = page['@odata.nextLink'];
  }
  return ids;
}
