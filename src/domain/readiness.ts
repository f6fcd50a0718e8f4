/**
 * The readiness report's rules: merging the pages a scan reads, then classifying every group
 * synced from AD (ready, ready with warnings, blocked, already cloud-managed) with its nesting
 * depth and the bottom-up wave it can move in. Pure; linear in groups and nesting links, apart
 * from sorting the rows.
 */
import { components, depths, inCycle, waves } from './readiness-graph';
import type {
  InventoryEntry,
  ReadinessClass,
  ReadinessReason,
  ReadinessResult,
  ReadinessRow,
  ScanGroup,
} from './readiness-types';

/**
 * Merges a page's entries into the groups read so far: a new group is added, a repeat adds
 * its child groups (each once) and any field it carries, a removed group is dropped. A repeat
 * met before its group's first full entry keeps the id as its name until that entry comes.
 */
export function mergeEntries(into: Map<string, ScanGroup>, entries: readonly InventoryEntry[]): void {
  for (const e of entries) {
    if (e.removed) {
      into.delete(e.id);
      continue;
    }
    let g = into.get(e.id);
    if (!g) {
      g = {
        id: e.id,
        displayName: e.id,
        kind: 'security',
        onPremisesSyncEnabled: null,
        fromAd: false,
        extensionAttributes: [],
        provisioningErrors: 0,
        childGroupIds: [],
      };
      into.set(e.id, g);
    }
    if (e.displayName !== undefined) g.displayName = e.displayName;
    if (e.kind !== undefined) g.kind = e.kind;
    if (e.onPremisesSyncEnabled !== undefined) g.onPremisesSyncEnabled = e.onPremisesSyncEnabled;
    if (e.fromAd !== undefined) g.fromAd = e.fromAd;
    if (e.extensionAttributes !== undefined) g.extensionAttributes = [...e.extensionAttributes];
    if (e.provisioningErrors !== undefined) g.provisioningErrors = e.provisioningErrors;
    if (e.childGroupIds.length) {
      const seen = new Set(g.childGroupIds);
      for (const c of e.childGroupIds)
        if (!seen.has(c)) {
          seen.add(c);
          g.childGroupIds.push(c);
        }
    }
  }
}

export interface ClassifyInput {
  /** Every group the scan read, of every kind (an array, or a Map's values()). */
  groups: Iterable<ScanGroup>;
  /** The groups whose isCloudManaged is true. */
  cloudManaged: ReadonlySet<string>;
  /** Whether the tenant syncs from AD; null when it could not be read (then it blocks nothing). */
  tenantSyncEnabled: boolean | null;
  /** The bot's open requests, by group id. */
  openRequests: ReadonlyMap<string, string>;
  /** Report only groups whose name starts with this (case-insensitive); nesting is read across the tenant. */
  prefix?: string;
}

/** The order reasons are listed in on a row: blockers first, then warnings. */
export const BLOCKERS: readonly ReadinessReason[] = [
  'tenantSyncOff',
  'rollbackPending',
  'noLongerSynced',
  'provisioningErrors',
  'openRequest',
];
export const WARNINGS: readonly ReadinessReason[] = [
  'mailEnabled',
  'extensionAttributes',
  'parentsInAd',
  'childrenInAd',
  'cycle',
];

/** In the report: synced from AD at some point, or cloud-managed; never a Microsoft 365 group. */
export function inScope(g: ScanGroup, cloudManaged: ReadonlySet<string>): boolean {
  return g.kind !== 'unified' && (g.fromAd || g.onPremisesSyncEnabled === true || cloudManaged.has(g.id));
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Rows by wave (cloud-managed groups last), then name, then id. */
function byWaveThenName(a: ReadinessRow, b: ReadinessRow): number {
  const wa = a.wave ?? Number.MAX_SAFE_INTEGER;
  const wb = b.wave ?? Number.MAX_SAFE_INTEGER;
  return wa - wb || collator.compare(a.displayName, b.displayName) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Reasons by how many rows carry them, most first (ties in the listed order); none with no rows. */
function tally(rows: ReadinessRow[], reasons: readonly ReadinessReason[]) {
  return reasons
    .map((reason) => ({ reason, groups: rows.filter((r) => r.reasons.includes(reason)).length }))
    .filter((t) => t.groups > 0)
    .sort((a, b) => b.groups - a.groups);
}

/** Classifies every group in scope; with a prefix, reports only the matching ones. */
export function classify(input: ClassifyInput): ReadinessResult {
  const { cloudManaged, tenantSyncEnabled, openRequests } = input;
  const groups: ScanGroup[] = [];
  const at = new Map<string, number>();
  for (const g of input.groups)
    if (!at.has(g.id)) {
      at.set(g.id, groups.length);
      groups.push(g);
    }
  const n = groups.length;
  const scoped = groups.map((g) => inScope(g, cloudManaged));
  const cloud = groups.map((g, v) => scoped[v]! && cloudManaged.has(g.id));
  /** Still managed in AD: in scope and not cloud-managed (a rollback waiting for its sync included). */
  const inAd = groups.map((_, v) => scoped[v]! && !cloud[v]);

  // Child links between groups read, each once; a link to a group not read is left out.
  const out: number[][] = [];
  const mark = new Int32Array(n).fill(-1);
  const adChildren = new Int32Array(n);
  const adParents = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const edges: number[] = [];
    for (const id of groups[v]!.childGroupIds) {
      const w = at.get(id);
      if (w === undefined || mark[w] === v) continue;
      mark[w] = v;
      edges.push(w);
      if (w === v) continue;
      if (inAd[w]) adChildren[v]++;
      if (inAd[v]) adParents[w]++;
    }
    out.push(edges);
  }

  const all = components(out);
  const depth = depths(out, all);
  const cyclic = inCycle(out, all);
  const wave = waves(
    out,
    components(out, (v) => inAd[v]!),
  );

  const prefix = input.prefix?.toLowerCase();
  const rows: ReadinessRow[] = [];
  for (let v = 0; v < n; v++) {
    const g = groups[v]!;
    if (!scoped[v] || (prefix && !g.displayName.toLowerCase().startsWith(prefix))) continue;
    const openRequestId = openRequests.get(g.id);
    const row: ReadinessRow = {
      id: g.id,
      displayName: g.displayName,
      kind: g.kind,
      class: 'cloud',
      reasons: [],
      depth: depth[v]!,
      wave: cloud[v] ? null : wave[v]!,
      adChildren: adChildren[v]!,
      adParents: adParents[v]!,
      ...(openRequestId ? { openRequestId } : {}),
    };
    if (!cloud[v]) {
      const has: Record<ReadinessReason, boolean> = {
        tenantSyncOff: tenantSyncEnabled === false,
        // null: switched back and waiting for its sync (not cloud-managed); false: Entra's
        // "no longer synced" (sync stopped for it), which no switch applies to.
        rollbackPending: g.onPremisesSyncEnabled === null,
        noLongerSynced: g.onPremisesSyncEnabled === false,
        provisioningErrors: g.provisioningErrors > 0,
        openRequest: openRequestId !== undefined,
        mailEnabled: g.kind === 'mailEnabledSecurity' || g.kind === 'distribution',
        extensionAttributes: g.extensionAttributes.length > 0,
        parentsInAd: adParents[v]! > 0,
        childrenInAd: adChildren[v]! > 0,
        cycle: cyclic[v] === 1,
      };
      row.reasons = [...BLOCKERS, ...WARNINGS].filter((r) => has[r]);
      row.class = row.reasons.some((r) => BLOCKERS.includes(r)) ? 'blocked' : row.reasons.length ? 'warnings' : 'ready';
    }
    rows.push(row);
  }
  rows.sort(byWaveThenName);

  const counts: Record<ReadinessClass, number> = { ready: 0, warnings: 0, blocked: 0, cloud: 0 };
  const perWave: number[] = [];
  let maxDepth = 0;
  for (const r of rows) {
    counts[r.class]++;
    if (r.wave !== null) {
      while (perWave.length < r.wave) perWave.push(0);
      perWave[r.wave - 1]!++;
    }
    maxDepth = Math.max(maxDepth, r.depth);
  }
  return {
    rows,
    counts,
    waves: perWave,
    maxDepth,
    blockers: tally(rows, BLOCKERS),
    warnings: tally(rows, WARNINGS),
    groupsRead: n,
    ...(input.prefix ? { prefix: input.prefix } : {}),
  };
}
