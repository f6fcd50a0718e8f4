/** The directory read with the bot's own identity: the fewest round trips, batched, errors mapped. */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { RollbackFacts } from '../../domain/checks-rollback';
import type { SoaAction } from '../../domain/command';
import type { GroupGraph } from '../../domain/plan';
import type { GroupFacts } from '../../domain/prerequisites';
import type { AuditConfirmation } from '../../domain/request';
import type { RestorePoint } from '../../domain/restore-point';
import type { Clock } from '../../ports/clock';
import type { AppDirectory, GroupMatch, SkippedAdEdits } from '../../ports/directory';
import { findSkippedAdEdits, findSoaAudit, findSoaAudits } from './audit';
import { GroupFactsReader } from './facts';
import { findGroups, findGroupsByPrefix, suggestGroups } from './group-search';
import { readSet, readTree } from './nesting';
import { readRestorePoint } from './restore-point';
import { readRollbackFacts } from './rollback-facts';
import { readSyncState, readSyncStates, readTenantLastSync, type SyncState } from './sync-state';
import { appGraph, type AppGraph } from './wire';

export class GraphAppDirectory implements AppDirectory {
  private readonly graph: AppGraph;
  private readonly facts: GroupFactsReader;

  constructor(
    client: Client,
    private readonly clock: Clock,
    batching = true,
    tenantCacheMs = 0,
  ) {
    this.graph = appGraph(client, clock, batching);
    this.facts = new GroupFactsReader(this.graph, clock, tenantCacheMs);
  }

  findGroups(names: string[]): Promise<Map<string, GroupMatch[]>> {
    return findGroups(this.graph, names);
  }

  suggestGroups(name: string): Promise<GroupMatch[]> {
    return suggestGroups(this.graph, name);
  }

  findGroupsByPrefix(prefix: string, maxGroups: number): Promise<GroupMatch[]> {
    return findGroupsByPrefix(this.graph, prefix, maxGroups);
  }

  readFacts(groupId: string, action: SoaAction): Promise<GroupFacts> {
    return this.facts.readFacts(groupId, action);
  }

  readTree(rootId: string, maxGroups: number): Promise<GroupGraph> {
    return readTree(this.graph, rootId, maxGroups);
  }

  readSet(groupIds: string[], maxGroups: number): Promise<GroupGraph> {
    return readSet(this.graph, groupIds, maxGroups);
  }

  readSyncState(groupId: string): Promise<SyncState> {
    return readSyncState(this.graph, groupId);
  }

  readSyncStates(groupIds: string[]): Promise<Map<string, SyncState>> {
    return readSyncStates(this.graph, groupIds);
  }

  readTenantLastSync(): Promise<string | null> {
    return readTenantLastSync(this.graph);
  }

  readRollbackFacts(levels: Array<Array<{ groupId: string; since: string }>>): Promise<Map<string, RollbackFacts>> {
    return readRollbackFacts(this.graph, levels);
  }

  findSoaAudit(groupId: string, action: SoaAction, since: string): Promise<AuditConfirmation | null> {
    return findSoaAudit(this.graph, groupId, action, since);
  }

  findSoaAudits(action: SoaAction, since: string): Promise<Array<AuditConfirmation & { groupId: string }>> {
    return findSoaAudits(this.graph, action, since);
  }

  findSkippedAdEdits(groupIds: string[], since: string): Promise<SkippedAdEdits> {
    return findSkippedAdEdits(this.graph, groupIds, since);
  }

  readRestorePoint(groupId: string, maxMembers: number): Promise<RestorePoint> {
    return readRestorePoint(this.graph, groupId, maxMembers, () => this.clock.now().toISOString());
  }
}
