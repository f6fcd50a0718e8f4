/**
 * The directory in memory, for use-case tests: groups with their nesting and source of
 * authority, people with their active roles (read at every whoAmI), an audit log whose entries
 * show after a delay, sync cycles run by the test, latency, and failures to inject per method.
 * Every call is recorded with the identity it ran as ('app' or the user's id).
 */
import type { RollbackFacts } from '../../src/domain/checks-rollback';
import type { SoaAction } from '../../src/domain/command';
import { CodedError } from '../../src/domain/errors';
import type { GroupGraph, PlanNode } from '../../src/domain/plan';
import type { Decider } from '../../src/domain/policy';
import type { GroupFacts, GroupKind, GroupSummary } from '../../src/domain/prerequisites';
import type { AuditConfirmation, Person } from '../../src/domain/request';
import type { Clock } from '../../src/ports/clock';
import { fakeRestorePoint, type FakeGroupExtras } from './fake-restore-point';
import type { AppDirectory, DirectoryFactory, GroupMatch, UserDirectory } from '../../src/ports/directory';

export interface FakeGroup extends FakeGroupExtras {
  id: string;
  displayName: string;
  kind: GroupKind;
  /** true: synced from (managed in) AD; null: cloud-managed, or rolled back until the next sync. */
  onPremisesSyncEnabled: boolean | null;
  isCloudManaged: boolean;
  lastSyncAt: string | null;
  children: string[];
  /** Member users not synced from AD. */
  cloudOnlyMembers: Array<{ id: string; displayName: string }>;
}

type Audit = AuditConfirmation & { groupId: string; action: SoaAction; visibleAt: number };
type SyncState = { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null };

export class FakeDirectory implements DirectoryFactory {
  readonly groups = new Map<string, FakeGroup>();
  readonly people = new Map<string, Decider & { name: string }>();
  readonly calls: Array<{ as: string; method: string; args: unknown[] }> = [];
  readonly audits: Audit[] = [];
  /** How long a write's audit entry takes to show (Infinity: it never does in time). */
  auditDelayMs = 0;
  tenantLastSync: string | null = null;
  /**
   * The provisioning log: AD-side edits the sync client skipped, and other entries (not skips);
   * `visible` false when it cannot be read. Connect Sync writes nothing there.
   */
  skipped: {
    visible: boolean;
    edits: Array<{ groupId: string; at: string; changes: string[] }>;
    others: Array<{ groupId: string; at: string }>;
  } = { visible: true, edits: [], others: [] };
  /** Changes made in the cloud to a group (the audit log's entries other than switches). */
  readonly cloudEdits: Array<{ groupId: string; activity: string; at: string }> = [];
  /** Groups whose rollback reads fail (a rollback plan's step); their restore points miss their members. */
  readonly unreadable = new Set<string>();
  /** How long every call takes, on the clock (a slow tenant). */
  latencyMs = 0;
  /** Groups whose writes Graph accepts without effect (reading back shows the old value). */
  readonly ignoredWrites = new Set<string>();
  private readonly failures: Array<{ method: string; error: Error }> = [];

  constructor(private readonly clock: Clock) {}

  addGroup(g: Partial<FakeGroup> & { id: string; displayName: string }): FakeGroup {
    const group: FakeGroup = {
      kind: 'security',
      onPremisesSyncEnabled: true,
      isCloudManaged: false,
      lastSyncAt: '2026-03-02T08:30:00.000Z',
      children: [],
      cloudOnlyMembers: [],
      ...g,
    };
    this.groups.set(group.id, group);
    return group;
  }

  addPerson(p: Person, roles: string[], groupIds: string[] = []): void {
    this.people.set(p.id, { id: p.id, name: p.name, roles, groupIds });
  }

  /** The next call of `method` fails with `error` (Graph throttling, an outage, a refusal). */
  failNext(method: keyof AppDirectory | keyof UserDirectory, error: Error, times = 1): void {
    for (let i = 0; i < times; i++) this.failures.push({ method, error });
  }

  /** A sync cycle: groups rolled back to AD are taken over, and the tenant's last sync moves. */
  syncCycle(): string {
    const at = this.clock.now().toISOString();
    for (const g of this.groups.values())
      if (!g.isCloudManaged && g.onPremisesSyncEnabled === null) g.onPremisesSyncEnabled = true;
    for (const g of this.groups.values()) if (g.onPremisesSyncEnabled) g.lastSyncAt = at;
    this.tenantLastSync = at;
    return at;
  }

  /** PATCHes of isCloudManaged, in order: which group, which value, as whom. */
  writes(): Array<{ groupId: string; value: boolean; as: string }> {
    return this.calls
      .filter((c) => c.method === 'setIsCloudManaged')
      .map((c) => ({ groupId: c.args[0] as string, value: c.args[1] as boolean, as: c.as }));
  }

  app(): AppDirectory {
    const call = this.caller('app');
    return {
      findGroups: async (names) => call('findGroups', [names], () => new Map(names.map((n) => [n, this.named(n)]))),
      suggestGroups: async (name) =>
        call('suggestGroups', [name], () =>
          this.matching((g) => lower(g.displayName).startsWith(lower(name).slice(0, 3))),
        ),
      readFacts: async (groupId, action) => call('readFacts', [groupId, action], () => this.facts(groupId)),
      findSoaAudit: async (groupId, action, since) =>
        call('findSoaAudit', [groupId, action, since], () => {
          const found = this.visibleAudits(action, since)
            .filter((a) => a.groupId === groupId)
            .pop();
          if (!found) return null;
          const { groupId: _g, ...entry } = logged(found);
          return entry;
        }),
      readSyncState: async (groupId) => call('readSyncState', [groupId], () => this.syncState(this.must(groupId))),
      readSyncStates: async (ids) =>
        call(
          'readSyncStates',
          [ids],
          () => new Map(ids.flatMap((id) => (this.groups.has(id) ? [[id, this.syncState(this.must(id))]] : []))),
        ),
      readTree: async (rootId, max) => call('readTree', [rootId, max], () => this.graph(this.below(rootId), max)),
      readSet: async (ids, max) =>
        call('readSet', [ids, max], () =>
          this.graph(
            ids.filter((id) => this.groups.has(id)),
            max,
          ),
        ),
      findGroupsByPrefix: async (prefix) =>
        call('findGroupsByPrefix', [prefix], () =>
          this.matching((g) => lower(g.displayName).startsWith(lower(prefix))),
        ),
      readTenantLastSync: async () => call('readTenantLastSync', [], () => this.tenantLastSync),
      findSkippedAdEdits: async (ids, since) =>
        call('findSkippedAdEdits', [ids, since], () => {
          if (!this.skipped.visible) return { visible: false, edits: [], logged: [] };
          const edits = this.skipped.edits.filter((e) => ids.includes(e.groupId) && e.at > since);
          const others = this.skipped.others.filter((e) => ids.includes(e.groupId) && e.at > since);
          return { visible: true, edits, logged: [...new Set([...edits, ...others].map((e) => e.groupId))] };
        }),
      readRollbackFacts: async (levels) =>
        call('readRollbackFacts', [levels], () => {
          const facts = new Map<string, RollbackFacts>();
          for (const { groupId, since } of levels.flat()) {
            const g = this.groups.get(groupId);
            facts.set(
              groupId,
              !g || this.unreadable.has(groupId)
                ? { cloudOnlyMembers: null, cloudEdits: null }
                : {
                    cloudOnlyMembers: g.cloudOnlyMembers,
                    cloudEdits: this.cloudEdits
                      .filter((e) => e.groupId === groupId && e.at >= since)
                      .map((e) => ({ activity: e.activity, at: e.at })),
                  },
            );
          }
          return facts;
        }),
      findSoaAudits: async (action, since) =>
        call('findSoaAudits', [action, since], () => this.visibleAudits(action, since).map(logged)),
      readRestorePoint: async (groupId, max) =>
        call('readRestorePoint', [groupId, max], () =>
          fakeRestorePoint(this.groups, groupId, max, this.clock.now().toISOString(), this.unreadable.has(groupId)),
        ),
    };
  }

  forUser(user: Person): UserDirectory {
    const call = this.caller(user.id);
    return {
      // Roles are whatever they are now: a role removed since the request counts at the click.
      whoAmI: async () =>
        call('whoAmI', [], () => ({
          ...(this.people.get(user.id) ?? { id: user.id, name: user.name, roles: [], groupIds: [] }),
        })),
      readIsCloudManaged: async (groupId) =>
        call('readIsCloudManaged', [groupId], () => this.must(groupId).isCloudManaged),
      // One attempt, sent once the guard (the caller's lease) allows it, as Graph's client does.
      setIsCloudManaged: async (groupId, value, guard) => {
        await guard?.();
        return call('setIsCloudManaged', [groupId, value], () => {
          const g = this.must(groupId);
          if (this.ignoredWrites.has(groupId)) return;
          g.isCloudManaged = value;
          g.onPremisesSyncEnabled = null;
          const at = this.clock.now();
          this.audits.push({
            id: `Directory_${this.audits.length + 1}`,
            activityDisplayName: 'Update group',
            activityDateTime: at.toISOString(),
            initiatedBy: this.people.get(user.id)?.name ?? user.name,
            result: 'success',
            correlationId: `c-${this.audits.length + 1}`,
            groupId,
            action: value ? 'move' : 'rollback',
            visibleAt: at.getTime() + this.auditDelayMs,
          });
        });
      },
    };
  }

  private caller(as: string) {
    return async <T>(method: string, args: unknown[], run: () => T): Promise<T> => {
      this.calls.push({ as, method, args });
      if (this.latencyMs) await this.clock.sleep(this.latencyMs);
      const i = this.failures.findIndex((f) => f.method === method);
      if (i >= 0) throw this.failures.splice(i, 1)[0]!.error;
      return run();
    };
  }

  private must(id: string): FakeGroup {
    const g = this.groups.get(id);
    if (!g) throw new CodedError('GroupNotFound', `No group ${id}.`);
    return g;
  }

  private named(name: string): GroupMatch[] {
    return this.matching((g) => g.id === name || lower(g.displayName) === lower(name));
  }

  private matching(pick: (g: FakeGroup) => boolean): GroupMatch[] {
    return [...this.groups.values()].filter(pick).map((g) => ({
      id: g.id,
      displayName: g.displayName,
      description: null,
      kind: g.kind,
      onPremisesSyncEnabled: g.onPremisesSyncEnabled,
      onPremisesSamAccountName: g.displayName,
    }));
  }

  private syncState(g: FakeGroup): SyncState {
    return { onPremisesSyncEnabled: g.onPremisesSyncEnabled, onPremisesLastSyncDateTime: g.lastSyncAt };
  }

  private visibleAudits(action: SoaAction, since: string): Audit[] {
    const now = this.clock.now().getTime();
    return this.audits.filter((a) => a.action === action && a.activityDateTime >= since && a.visibleAt <= now);
  }

  private summary(g: FakeGroup): GroupSummary {
    return { id: g.id, displayName: g.displayName, onPremisesSyncEnabled: g.onPremisesSyncEnabled };
  }

  /** The group and everything nested below it, each once, breadth first, with the depth first met. */
  private below(rootId: string): string[] {
    return [...this.depths(rootId).keys()];
  }

  private depths(rootId: string): Map<string, number> {
    const depth = new Map([[rootId, 0]]);
    for (const [id, d] of depth)
      for (const c of this.groups.get(id)?.children ?? []) if (!depth.has(c) && this.groups.has(c)) depth.set(c, d + 1);
    return depth;
  }

  private graph(ids: string[], max: number): GroupGraph {
    const kept = ids.slice(0, max);
    const nodes = new Map<string, PlanNode>(
      kept.map((id) => {
        const g = this.must(id);
        return [id, { id, displayName: g.displayName, kind: g.kind, onPremisesSyncEnabled: g.onPremisesSyncEnabled }];
      }),
    );
    const children = new Map(kept.map((id) => [id, this.must(id).children.filter((c) => nodes.has(c))]));
    return { nodes, children, truncated: ids.length > max };
  }

  private facts(groupId: string): GroupFacts {
    const g = this.must(groupId);
    const parents = [...this.groups.values()].filter((p) => p.children.includes(groupId));
    const descendants = [...this.depths(groupId)]
      .slice(1)
      .map(([id, depth]) => ({ ...this.summary(this.must(id)), depth }));
    return {
      group: {
        id: g.id,
        displayName: g.displayName,
        description: null,
        kind: g.kind,
        mail: null,
        onPremisesSyncEnabled: g.onPremisesSyncEnabled,
        onPremisesLastSyncDateTime: g.lastSyncAt,
        onPremisesSamAccountName: g.displayName,
        onPremisesSecurityIdentifier: 'S-1-5-21-1004336348-1177238915-682003330-1104',
        onPremisesDomainName: 'contoso.local',
        extensionAttributes: {},
      },
      isCloudManaged: g.isCloudManaged,
      tenant: { onPremisesSyncEnabled: true, onPremisesLastSyncDateTime: this.tenantLastSync },
      children: g.children.map((c) => this.summary(this.must(c))),
      descendants,
      cycle: false,
      truncated: false,
      parents: parents.map((p) => this.summary(p)),
      cloudOnlyMembers: g.cloudOnlyMembers,
      readAt: this.clock.now().toISOString(),
    };
  }
}

const lower = (s: string) => s.toLowerCase();

/** An audit entry as the directory lists it (with the group it targets). */
const logged = ({ action: _a, visibleAt: _v, ...entry }: Audit): AuditConfirmation & { groupId: string } => entry;
