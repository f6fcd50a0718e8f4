/** The directory as the services see it. Implemented over Microsoft Graph in infra/graph. */
import type { RollbackFacts } from '../domain/checks-rollback';
import type { SoaAction } from '../domain/command';
import type { GroupGraph } from '../domain/plan';
import type { Decider } from '../domain/policy';
import type { GroupFacts, GroupKind } from '../domain/prerequisites';
import type { AuditConfirmation, Person } from '../domain/request';
import type { RestorePoint } from '../domain/restore-point';

export interface GroupMatch {
  id: string;
  displayName: string;
  description: string | null;
  kind: GroupKind;
  onPremisesSyncEnabled: boolean | null;
  onPremisesSamAccountName: string | null;
}

/** The provisioning log's view of some groups over a time window. */
export interface SkippedAdEdits {
  /** false: the provisioning log could not be read (no permission or licence, or not offered). */
  visible: boolean;
  /** Entries of skipped AD-side changes, per group. */
  edits: Array<{ groupId: string; at: string; changes: string[] }>;
  /** The groups with at least one entry (skipped or not) in the window. */
  logged: string[];
}

/** Reads with the bot's own identity and read-only application permissions. */
export interface AppDirectory {
  /** Exact display-name (case-insensitive) or object-id matches, per name asked. */
  findGroups(names: string[]): Promise<Map<string, GroupMatch[]>>;
  /** Groups whose names start like `name`, for "did you mean". */
  suggestGroups(name: string): Promise<GroupMatch[]>;
  readFacts(groupId: string, action: SoaAction): Promise<GroupFacts>;
  /** The audit entry of this switch or rollback, or null while it is not visible yet. */
  findSoaAudit(groupId: string, action: SoaAction, since: string): Promise<AuditConfirmation | null>;
  readSyncState(
    groupId: string,
  ): Promise<{ onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }>;
  /** Sync state of many groups, batched (20 per $batch). Missing groups are absent from the map. */
  readSyncStates(
    groupIds: string[],
  ): Promise<Map<string, { onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }>>;
  /** The group and every group nested below it: one batched round trip per level. */
  readTree(rootId: string, maxGroups: number): Promise<GroupGraph>;
  /** The given groups and the nesting among them (one batched round of child reads). */
  readSet(groupIds: string[], maxGroups: number): Promise<GroupGraph>;
  /** Groups whose display name starts with `prefix` (every page). */
  findGroupsByPrefix(prefix: string, maxGroups: number): Promise<GroupMatch[]>;
  /** When the tenant's directory sync last ran (null: never, or not synced). */
  readTenantLastSync(): Promise<string | null>;
  /**
   * What the provisioning log (Cloud Sync's) shows for these groups since `since`: the AD-side
   * changes the sync client skipped, and which groups have any entry at all. Connect Sync writes
   * nothing there (a skip is event 6956 in its server's event log, which Graph cannot see), so
   * a group without entries tells nothing about Connect Sync's skips.
   */
  findSkippedAdEdits(groupIds: string[], since: string): Promise<SkippedAdEdits>;
  /**
   * What each group's rollback checks need, read fresh: its cloud-only members and the cloud
   * edits since `since` (the directory audit log). One batched round trip per level, in the
   * order given. A group whose reads failed has null facts: it is never passed as clean.
   */
  readRollbackFacts(levels: Array<Array<{ groupId: string; since: string }>>): Promise<Map<string, RollbackFacts>>;
  /** Every SOA audit entry of this action since `since`, with the group it targets (every page). */
  findSoaAudits(action: SoaAction, since: string): Promise<Array<AuditConfirmation & { groupId: string }>>;
  /**
   * The group as it is now, for a restore point: its properties, owners, direct members (at most
   * `maxMembers`), parents and sync state. A part that cannot be read is named in `unread`.
   */
  readRestorePoint(groupId: string, maxMembers: number): Promise<RestorePoint>;
}

/**
 * Called before each attempt of a write is sent (the first and every retry): it proves the
 * caller still holds the work, or throws and nothing more is sent; it returns the instant by
 * which the attempt must have ended.
 */
export type WriteGuard = () => Promise<Date>;

/** Acts as one user through the on-behalf-of exchange: their roles, their rights, their audit trail. */
export interface UserDirectory {
  whoAmI(): Promise<Decider & { name: string }>;
  readIsCloudManaged(groupId: string): Promise<boolean>;
  setIsCloudManaged(groupId: string, value: boolean, guard?: WriteGuard): Promise<void>;
}

export interface DirectoryFactory {
  app(): AppDirectory;
  /** Fails with a CodedError (ConsentRequired, InteractionRequired, …) only when first used. */
  forUser(user: Person): UserDirectory;
}
