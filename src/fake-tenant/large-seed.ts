/** A large tenant for benchmarks and scale tests, generated deterministically. */
import type { Seed, SeedGroup } from './model';
import { adSide, defaultSeed } from './seed';

export interface LargeSeedOptions {
  /** Number of groups (default 3000). */
  groups?: number;
  /** Number of users (default 500). */
  users?: number;
  /** Depth of the main nesting trees (default 6). */
  depth?: number;
  /** Children per group in the trees (default 4). */
  breadth?: number;
  /** Cycles to add between groups of the same tree (default 5). */
  cycles?: number;
  /** Children shared by two parents (default 20). */
  sharedChildren?: number;
  /** Share of synced groups that are already cloud-managed, 0..1 (default 0.1). */
  cloudManagedShare?: number;
  /** PRNG seed so a benchmark sees the same tenant every run (default 42). */
  randomSeed?: number;
  /** Share of synced groups that are mail-enabled (security or distribution), 0..1 (default 0). */
  mailEnabledShare?: number;
  /** Share of synced groups with an extension attribute set, 0..1 (default 0). */
  extensionAttributeShare?: number;
  /** Share of synced groups with a provisioning error, 0..1 (default 0). */
  provisioningErrorShare?: number;
  /** Share of synced groups rolled back and waiting for the next sync cycle, 0..1 (default 0). */
  rollbackPendingShare?: number;
  /** Of `groups`, how many are cloud-only (never synced; some hold synced groups) (default 0). */
  cloudOnlyGroups?: number;
}

/**
 * The mix the readiness report is measured on: every kind of group it tells apart, in
 * proportions a hybrid tenant might have.
 */
export function readinessMix(groups: number): LargeSeedOptions {
  return {
    groups,
    users: 500,
    depth: 6,
    breadth: 4,
    cycles: Math.max(5, Math.round(groups / 1000)),
    sharedChildren: Math.max(20, Math.round(groups / 100)),
    cloudManagedShare: 0.1,
    mailEnabledShare: 0.05,
    extensionAttributeShare: 0.1,
    provisioningErrorShare: 0.01,
    rollbackPendingShare: 0.005,
    cloudOnlyGroups: Math.round(groups / 50),
  };
}

/** A small deterministic generator (xorshift32): the same seed gives the same tenant, or the same run. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

function hexId(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * A large tenant for benchmarks: the default seed plus `groups` generated groups, arranged in
 * trees `depth` deep and `breadth` wide under "BIG-Root-N" groups, with cycles, children
 * shared by several parents, a "FIN-" wave prefix and some groups already cloud-managed.
 */
export function largeSeed(options: LargeSeedOptions = {}): Seed {
  const cloudOnly = Math.max(0, Math.min(options.cloudOnlyGroups ?? 0, (options.groups ?? 3000) - 1));
  const total = (options.groups ?? 3000) - cloudOnly;
  const userCount = options.users ?? 500;
  const depth = Math.max(1, options.depth ?? 6);
  const breadth = Math.max(1, options.breadth ?? 4);
  const rnd = prng(options.randomSeed ?? 42);
  const seed = defaultSeed();
  const userIds: string[] = [];
  for (let i = 0; i < userCount; i++) {
    const id = hexId('b2000000', i + 1);
    userIds.push(id);
    seed.users.push({
      id,
      displayName: `User ${i + 1}`,
      userPrincipalName: `user${i + 1}@contoso.com`,
      roles: [],
      onPremisesSyncEnabled: true,
    });
  }
  const groups: SeedGroup[] = [];
  const pickUsers = (n: number) =>
    Array.from({ length: n }, () => userIds[Math.floor(rnd() * userIds.length)]!).filter(
      (v, i, a) => a.indexOf(v) === i,
    );
  let n = 0;
  const make = (name: string): SeedGroup => {
    n += 1;
    const g: SeedGroup = {
      id: hexId('c3000000', n),
      displayName: name,
      kind: 'security',
      ad: adSide(name.slice(0, 64), name, 'OU=Generated'),
      members: userIds.length ? pickUsers(1 + Math.floor(rnd() * 5)) : [],
    };
    if (rnd() < (options.cloudManagedShare ?? 0.1)) g.isCloudManaged = true;
    groups.push(g);
    return g;
  };
  // Trees, breadth-first, until the budget is spent.
  const parentOf = new Map<string, SeedGroup>();
  let tree = 0;
  while (groups.length < total) {
    tree += 1;
    const root = make(tree % 2 === 0 ? `FIN-Root-${tree}` : `BIG-Root-${tree}`);
    root.isCloudManaged = false;
    let level = [root];
    for (let d = 1; d < depth && groups.length < total; d++) {
      const next: SeedGroup[] = [];
      for (const parent of level) {
        for (let b = 0; b < breadth && groups.length < total; b++) {
          const child = make(`${root.displayName}-L${d}-${next.length + 1}`);
          parent.members.push(child.id);
          parentOf.set(child.id, parent);
          next.push(child);
        }
      }
      level = next;
    }
  }
  // Shared children: a group gets a second parent from elsewhere (a diamond).
  for (let i = 0; i < (options.sharedChildren ?? 20) && groups.length > 2; i++) {
    const child = groups[1 + Math.floor(rnd() * (groups.length - 1))]!;
    const parent = groups[Math.floor(rnd() * groups.length)]!;
    if (parent !== child && !parent.members.includes(child.id) && !child.members.includes(parent.id))
      parent.members.push(child.id);
  }
  // Cycles: a group at depth 2 or more gets its grandparent as a member (AD allows this).
  const deep = groups.filter((g) => parentOf.has(g.id) && parentOf.has(parentOf.get(g.id)!.id));
  for (let i = 0; i < (options.cycles ?? 5) && deep.length; i++) {
    const g = deep[Math.floor(rnd() * deep.length)]!;
    const grandparent = parentOf.get(parentOf.get(g.id)!.id)!;
    if (!g.members.includes(grandparent.id)) g.members.push(grandparent.id);
  }
  for (const g of groups) if (g.ad) g.ad.members = [...g.members];
  // Variety on a stream of its own, so the trees above stay those of the same random seed.
  addVariety(groups, options, prng((options.randomSeed ?? 42) + 1));
  seed.groups.push(...groups, ...cloudOnlyGroups(cloudOnly, groups, userIds, prng((options.randomSeed ?? 42) + 2)));
  return seed;
}

/** Mail-enabled kinds, extension attributes, pending rollbacks and provisioning errors on some synced groups. */
function addVariety(groups: SeedGroup[], options: LargeSeedOptions, rnd: () => number): void {
  for (const g of groups) {
    if (rnd() < (options.mailEnabledShare ?? 0)) {
      g.kind = rnd() < 0.5 ? 'mailEnabledSecurity' : 'distribution';
      g.mailNickname = g.displayName.replace(/[^A-Za-z0-9]/g, '');
    }
    if (rnd() < (options.extensionAttributeShare ?? 0) && g.ad)
      g.ad.extensionAttributes = { [`extensionAttribute${1 + Math.floor(rnd() * 15)}`]: `value-${g.id.slice(-4)}` };
    if (rnd() < (options.rollbackPendingShare ?? 0) && !g.isCloudManaged) g.rollbackPending = true;
    if (rnd() < (options.provisioningErrorShare ?? 0))
      g.provisioningErrors = [
        {
          category: 'PropertyConflict',
          occurredDateTime: '2026-01-05T08:00:00Z',
          propertyCausingError: 'ProxyAddresses',
          value: `SMTP:${g.displayName.replace(/[^A-Za-z0-9]/g, '')}@contoso.com`,
        },
      ];
  }
}

/** Cloud-only groups (security and Microsoft 365); some of the security ones hold synced groups. */
function cloudOnlyGroups(n: number, synced: SeedGroup[], userIds: string[], rnd: () => number): SeedGroup[] {
  const out: SeedGroup[] = [];
  for (let i = 0; i < n; i++) {
    const unified = i % 3 === 2;
    const members = userIds.length ? [userIds[Math.floor(rnd() * userIds.length)]!] : [];
    if (!unified && synced.length && rnd() < 0.5) members.push(synced[Math.floor(rnd() * synced.length)]!.id);
    out.push({
      id: hexId('d4000000', i + 1),
      displayName: `${unified ? 'Team' : 'Cloud'}-${i + 1}`,
      kind: unified ? 'unified' : 'security',
      members,
    });
  }
  return out;
}
