/** Finding groups by what people type: exact names or ids, "did you mean", and name prefixes. */
import { isObjectId } from '../../domain/command';
import type { GroupMatch } from '../../ports/directory';
import type { StepResult } from './batch';
import { mapGraphError } from './errors';
import { toMatch } from './mapping';
import { allPages, fail, odataString, ok, type AppGraph, type Page, type WireGroup } from './wire';

const MATCH_SELECT =
  'id,displayName,description,mailEnabled,securityEnabled,groupTypes,onPremisesSyncEnabled,onPremisesSamAccountName';

/** Exact display-name (case-insensitive) or object-id matches, every name in one batch. */
export async function findGroups(graph: AppGraph, names: string[]): Promise<Map<string, GroupMatch[]>> {
  const unique = [...new Set(names)];
  const steps = unique.map((name, i) => ({
    id: String(i),
    url: isObjectId(name)
      ? `/groups/${name}?$select=${MATCH_SELECT}`
      : `/groups?$filter=${encodeURIComponent(`displayName eq '${odataString(name)}'`)}` +
        `&$select=${MATCH_SELECT}&$top=50`,
  }));
  const results = await graph.batch(steps);
  const out = new Map<string, GroupMatch[]>();
  unique.forEach((name, i) => {
    const r = results.get(String(i));
    // An id reads the group itself; a name reads a filtered collection.
    if (ok(r))
      out.set(name, isObjectId(name) ? [toMatch(r.body as WireGroup)] : (r.body as Page<WireGroup>).value.map(toMatch));
    else if ((r as StepResult | undefined)?.status === 404) out.set(name, []);
    else throw fail(r);
  });
  return out;
}

/** Groups whose names look like `name`: a search on the first word, then its stem as a prefix. */
export async function suggestGroups(graph: AppGraph, name: string): Promise<GroupMatch[]> {
  const word = name.trim().split(/\s+/)[0]!.slice(0, 40);
  const stem = word.slice(0, Math.max(3, Math.min(word.length - 1, 6)));
  try {
    const res = (await graph.client
      .api('/groups')
      .header('ConsistencyLevel', 'eventual')
      .query({ $count: 'true' })
      .search(`"displayName:${word.replace(/"/g, '')}"`)
      .select(MATCH_SELECT)
      .top(10)
      .get()) as Page<WireGroup>;
    const found = res.value.map(toMatch);
    if (found.length) return found;
    const prefix = (await graph.client
      .api('/groups')
      .filter(`startswith(displayName,'${odataString(stem)}')`)
      .select(MATCH_SELECT)
      .top(10)
      .get()) as Page<WireGroup>;
    return prefix.value.map(toMatch);
  } catch (e) {
    throw mapGraphError(e);
  }
}

/** Every group whose display name starts with `prefix` (every page, up to one past the bound). */
export async function findGroupsByPrefix(graph: AppGraph, prefix: string, maxGroups: number): Promise<GroupMatch[]> {
  try {
    const first = (await graph.client
      .api('/groups')
      .filter(`startswith(displayName,'${odataString(prefix)}')`)
      .select(MATCH_SELECT)
      .top(999)
      .get()) as Page<WireGroup>;
    return (await allPages(graph.client, first, maxGroups + 1)).items.map(toMatch);
  } catch (e) {
    throw mapGraphError(e);
  }
}
