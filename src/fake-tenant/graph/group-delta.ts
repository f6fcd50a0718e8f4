/**
 * GET /groups/delta: every group in pages, with `members@delta` when members are selected,
 * following Microsoft's group-delta and delta-query pages:
 * - query options are given on the first request only; Graph encodes them in the state token
 *   of `@odata.nextLink` (`$skiptoken`) and of the last page's `@odata.deltaLink` (`$deltatoken`),
 *   and $select together with $skiptoken is not supported;
 * - `$top`, `$orderby` are not supported on groups; `$filter` only as `id eq '…'` (or-ed, 50 ids at most);
 * - `members@delta` lists the members with `@odata.type` and `id` only; a group without members has none;
 * - a group whose members do not fit one page is listed again on a later page with the same
 *   properties and the next members ("Paging through members in a large group");
 * - deleted groups appear as `{ id, "@removed": { reason } }`.
 * Where the docs are silent, the choices are said beside the code.
 */
import type { HttpReply } from '../http';
import type { Group } from '../model';
import { ODataSyntaxError, type Node } from '../odata/ast';
import { parseFilter } from '../odata/parse';
import type { Tenant } from '../tenant';
import { fail } from './errors';
import { GROUP_PROPS, GROUP_SELECT_ONLY, groupJson } from './representations';
import { ok } from './responses';
import type { Call, Json } from './types';

/** What a state token carries: the first request's options and where the round is. */
interface DeltaState {
  /** Selected properties (null: the default set); `members` is tracked by `m`. */
  select: string[] | null;
  members: boolean;
  ids: string[] | null;
  /** The group being listed (with `offset` members already sent) or the last one finished. */
  after: string | null;
  offset: number;
  /** When this round started (epoch ms): groups deleted since are listed as removed. */
  since: number;
  /** When the token was handed out (epoch ms): it expires after deltaTokenLifetimeSeconds. */
  issued?: number;
}

const ALLOWED = [...GROUP_PROPS, ...GROUP_SELECT_ONLY];
const MAX_FILTER_IDS = 50;

function encode(s: DeltaState, now: number): string {
  return Buffer.from(JSON.stringify({ ...s, issued: now })).toString('base64url');
}

function decode(token: string): DeltaState {
  try {
    const s = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
    if (typeof s !== 'object' || s === null || typeof s.since !== 'number' || typeof s.offset !== 'number')
      throw new Error('bad');
    return s;
  } catch {
    // The wording Graph uses for a bad or expired token is not documented; this one says what happened.
    throw fail.badRequest('The delta state token is invalid or has expired. Start again without a token.');
  }
}

/** `id eq 'a' or id eq 'b'`: the only $filter group delta supports. */
function filterIds(raw: string): string[] {
  let tree: Node;
  try {
    tree = parseFilter(raw);
  } catch (e) {
    if (e instanceof ODataSyntaxError) throw fail.badRequest(`Invalid filter clause: ${e.message}`);
    throw e;
  }
  const ids: string[] = [];
  const walk = (n: Node): void => {
    if (n.type === 'or') {
      walk(n.left);
      walk(n.right);
      return;
    }
    if (
      n.type === 'cmp' &&
      n.op === 'eq' &&
      n.left.type === 'path' &&
      n.left.path.join('/') === 'id' &&
      n.right.type === 'lit' &&
      typeof n.right.value === 'string'
    ) {
      ids.push(n.right.value.toLowerCase());
      return;
    }
    throw fail.unsupportedQuery("Group delta supports $filter only on the object id ('id eq …', or-ed).");
  };
  walk(tree);
  if (ids.length > MAX_FILTER_IDS)
    throw fail.unsupportedQuery(`Group delta can filter at most ${MAX_FILTER_IDS} object ids.`);
  return ids;
}

/** The state of a first request, from its query options. */
function firstState(query: URLSearchParams, now: number): DeltaState {
  for (const key of query.keys()) {
    if (key === '$top' || key === '$orderby' || key === '$count' || key === '$search' || key === '$skip')
      throw fail.unsupportedQuery(`The query option '${key}' is not supported with group delta.`);
    if (key.startsWith('$') && !['$select', '$filter', '$expand'].includes(key))
      throw fail.badRequest(`Query option '${key}' is not supported.`);
  }
  const expand = query.get('$expand');
  // The group delta page documents $select=members; the delta-query overview says $expand is
  // not supported for groups while the groups walkthrough uses $expand=members. Both are
  // accepted for members, and nothing else is expanded.
  if (expand !== null && expand.trim().toLowerCase() !== 'members')
    throw fail.unsupportedQuery('Group delta can expand only members.');
  const raw = query.get('$select');
  let select: string[] | null = null;
  let members = raw === null || expand !== null;
  if (raw !== null) {
    select = [];
    for (const name of raw.split(',').map((s) => s.trim())) {
      if (!name) continue;
      if (name.toLowerCase() === 'members') {
        members = true;
        continue;
      }
      const found = ALLOWED.find((a) => a.toLowerCase() === name.toLowerCase());
      if (!found)
        throw fail.requestBadRequest(`Could not find a property named '${name}' on type 'microsoft.graph.group'.`);
      select.push(found);
    }
  }
  const filter = query.get('$filter');
  return { select, members, ids: filter === null ? null : filterIds(filter), after: null, offset: 0, since: now };
}

function entity(g: Group, select: string[] | null): Json {
  const all = groupJson(g);
  const keep = select ?? GROUP_PROPS;
  const out: Json = { id: g.id };
  for (const k of keep) if (k in all) out[k] = all[k];
  return out;
}

function memberRefs(t: Tenant, g: Group): Json[] {
  const out: Json[] = [];
  for (const id of g.members) {
    if (t.groups.has(id)) out.push({ '@odata.type': '#microsoft.graph.group', id });
    else if (t.users.has(id)) out.push({ '@odata.type': '#microsoft.graph.user', id });
  }
  return out;
}

/** The first index in sorted `ids` of the group to list after `s.after`. */
function startIndex(ids: string[], s: DeltaState): number {
  if (s.after === null) return 0;
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! < s.after) lo = mid + 1;
    else hi = mid;
  }
  // Still listing this group's members: start there; if it was deleted meanwhile, go on after it.
  if (s.offset > 0 && ids[lo] === s.after) return lo;
  return ids[lo] === s.after ? lo + 1 : lo;
}

export function groupDelta(call: Call): HttpReply {
  const { req, tenant, settings, base } = call;
  const q = req.query;
  const skip = q.get('$skiptoken');
  const deltaToken = q.get('$deltatoken');
  let s: DeltaState;
  if (skip !== null || deltaToken !== null) {
    if ([...q.keys()].some((k) => k !== '$skiptoken' && k !== '$deltatoken'))
      throw fail.badRequest('Query options are given on the first delta request only; the state token carries them.');
    s = decode((skip ?? deltaToken)!);
    // Honoured for less than its lifetime (0: expired at once, for tests).
    if (tenant.now() - (s.issued ?? tenant.now()) >= settings.deltaTokenLifetimeSeconds * 1000)
      throw fail.syncStateNotFound();
    // A deltaLink starts a new round. The local tenant does not keep a change journal: the
    // round lists every group again (a replay, which the delta-query page tells callers to
    // expect), plus the groups deleted since the deltaLink was issued.
    if (skip === null) s = { ...s, after: null, offset: 0 };
  } else {
    s = firstState(q, tenant.now());
  }
  const wanted = s.ids ? new Set(s.ids) : null;
  const ids = [...tenant.groups.keys()].filter((id) => !wanted || wanted.has(id)).sort();
  const value: Json[] = [];
  let links = 0;
  let i = startIndex(ids, s);
  let next: DeltaState | null = null;
  while (i < ids.length) {
    if (value.length >= settings.deltaPageGroups) {
      next = { ...s, after: ids[i - 1]!, offset: 0 };
      break;
    }
    const g = tenant.groups.get(ids[i]!)!;
    const e = entity(g, s.select);
    if (s.members) {
      const refs = memberRefs(tenant, g);
      const from = s.after === g.id ? s.offset : 0;
      const room = settings.deltaPageLinks - links;
      if (refs.length - from > 0 && room <= 0) {
        next = { ...s, after: ids[i - 1] ?? null, offset: 0 };
        break;
      }
      const part = refs.slice(from, from + room);
      if (part.length) e['members@delta'] = part;
      links += part.length;
      value.push(e);
      if (from + part.length < refs.length) {
        // The rest of this group's members come with it again on the next page.
        next = { ...s, after: g.id, offset: from + part.length };
        break;
      }
    } else value.push(e);
    i++;
  }
  const shown = s.select ? [...s.select, ...(s.members ? ['members'] : [])] : null;
  const body: Json = { '@odata.context': `${base}/$metadata#groups${shown ? `(${shown.join(',')})` : ''}` };
  if (next) body['@odata.nextLink'] = `${base}/groups/delta?$skiptoken=${encode(next, tenant.now())}`;
  else {
    // The "reason" of a deleted group: 'changed' means it can be restored from deleted items,
    // which the local tenant does not model, so deletions are reported as 'deleted'.
    for (const r of tenant.removedGroups)
      if (r.at >= s.since && (!wanted || wanted.has(r.id))) value.push({ id: r.id, '@removed': { reason: 'deleted' } });
    body['@odata.deltaLink'] =
      `${base}/groups/delta?$deltatoken=${encode({ ...s, after: null, offset: 0, since: tenant.now() }, tenant.now())}`;
  }
  body.value = value;
  return ok(body);
}
