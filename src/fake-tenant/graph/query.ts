/** Graph's query options on one resource: $select, $filter, and when a query counts as "advanced". */
import { ODataSyntaxError, type Node } from '../odata/ast';
import { checkFilter, UnsupportedFilterError, type FilterSpec } from '../odata/check';
import { parseFilter } from '../odata/parse';
import { fail } from './errors';
import type { GraphRequest, Json } from './types';

export function isEventual(req: GraphRequest): boolean {
  return (req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

/** Advanced directory queries need ConsistencyLevel: eventual and $count=true. */
export function isAdvanced(req: GraphRequest): boolean {
  return isEventual(req) && req.query.get('$count') === 'true';
}

/** Parses $filter and checks it against what the resource accepts, as Graph's errors. */
export function parseChecked(filter: string, spec: FilterSpec, advanced: boolean): Node {
  try {
    const tree = parseFilter(filter);
    checkFilter(tree, spec, advanced);
    return tree;
  } catch (e) {
    if (e instanceof ODataSyntaxError) throw fail.badRequest(`Invalid filter clause: ${e.message}`);
    if (e instanceof UnsupportedFilterError) throw fail.unsupportedQuery(e.message);
    throw e;
  }
}

/** The $select list with each name spelt as the type spells it, or null without $select. */
export function selectList(query: URLSearchParams, allowed: string[], type: string): string[] | null {
  const raw = query.get('$select');
  if (raw === null) return null;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.length) throw fail.badRequest('Invalid $select: the list is empty.');
  return names.map((n) => {
    const found = allowed.find((a) => a.toLowerCase() === n.toLowerCase());
    if (!found)
      throw fail.requestBadRequest(`Could not find a property named '${n}' on type 'microsoft.graph.${type}'.`);
    return found;
  });
}

/** Applies $select (or the default property set) to one object. */
export function project(
  obj: Json,
  query: URLSearchParams,
  allowed: string[],
  defaults: string[] | null,
  type: string,
): Json {
  const selected = selectList(query, allowed, type);
  const keep = selected ?? defaults;
  const out: Json = {};
  if (obj['@odata.type']) out['@odata.type'] = obj['@odata.type'];
  for (const [k, v] of Object.entries(obj)) {
    if (k === '@odata.type') continue;
    if (keep === null || keep.includes(k)) out[k] = v;
  }
  if (selected) for (const s of selected) if (!(s in out) && obj['@odata.type'] === undefined) out[s] = null;
  return out;
}
