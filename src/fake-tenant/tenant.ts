/** In-memory state of the fake tenant and the directory rules that act on it. */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_POLICY,
  type AuditEntry,
  type Group,
  type Policy,
  type Seed,
  type SeedApp,
  type Settings,
  type SyncCycleResult,
  type SyncEvent,
  type User,
} from './model';

export class SeedError extends Error {}

/** Connect Sync's event for a skipped object whose source of authority is in the cloud. */
export const SOA_SKIP_EVENT_ID = 6956;
export const SOA_SKIP_MESSAGE = 'As the SOA of this group is in the cloud, this object will not sync.';

export type Clock = () => number;

export class Tenant {
  readonly tenantId: string;
  readonly organization: Seed['organization'] & { id: string; onPremisesLastSyncDateTime: string | null };
  readonly users = new Map<string, User>();
  readonly apps = new Map<string, SeedApp>();
  readonly groups = new Map<string, Group>();
  readonly audits: AuditEntry[] = [];
  readonly syncHistory: SyncCycleResult[] = [];
  /** Provisioning log entries (GET /auditLogs/provisioning): skipped AD-side edits of cloud-managed groups. */
  readonly provisioningLog: Array<Record<string, unknown>> = [];
  readonly policy: Policy;

  constructor(
    seed: Seed,
    private readonly clock: Clock = Date.now,
  ) {
    validateSeed(seed);
    this.tenantId = seed.tenantId;
    const start = new Date(clock() - 10 * 60_000).toISOString();
    this.organization = {
      ...seed.organization,
      id: seed.tenantId,
      onPremisesLastSyncDateTime: seed.organization.onPremisesSyncEnabled ? start : null,
    };
    this.policy = { ...DEFAULT_POLICY, ...(seed.policy ?? {}) };
    for (const u of seed.users) {
      this.users.set(u.id, {
        id: u.id,
        displayName: u.displayName,
        userPrincipalName: u.userPrincipalName,
        mail: u.userPrincipalName,
        roles: [...u.roles],
        signIn: u.signIn ?? 'none',
        onPremisesSyncEnabled: u.onPremisesSyncEnabled ?? null,
        accountEnabled: u.accountEnabled ?? true,
      });
    }
    for (const a of seed.apps) this.apps.set(a.clientId, { ...a });
    for (const g of seed.groups) {
      const mailEnabled = g.kind !== 'security';
      const nick = g.mailNickname ?? g.displayName.replace(/[^A-Za-z0-9]/g, '');
      const synced = !!g.ad;
      const cloudManaged = synced && !!g.isCloudManaged;
      this.groups.set(g.id, {
        id: g.id,
        displayName: g.displayName,
        description: g.description ?? null,
        kind: g.kind,
        mailNickname: nick,
        mail: mailEnabled ? (g.mail ?? `${nick}@${seed.organization.verifiedDomain}`) : null,
        proxyAddresses: mailEnabled ? [`SMTP:${nick}@${seed.organization.verifiedDomain}`] : [],
        createdDateTime: g.createdDateTime ?? new Date(clock() - 400 * 86_400_000).toISOString(),
        isAssignableToRole: g.isAssignableToRole ?? null,
        members: [...g.members],
        // Entra's attribute table: synced = true; after a switch = null; cloud-native = null.
        onPremisesSyncEnabled: synced ? (cloudManaged ? null : true) : null,
        onPremisesLastSyncDateTime: synced ? start : null,
        onPremisesSecurityIdentifier: g.ad?.securityIdentifier ?? null,
        onPremisesSamAccountName: g.ad?.samAccountName ?? null,
        onPremisesDomainName: g.ad?.domainName ?? null,
        onPremisesNetBiosName: g.ad?.netBiosName ?? null,
        onPremisesExtensionAttributes: synced ? { ...g.ad!.extensionAttributes } : null,
        isCloudManaged: cloudManaged,
        ad: g.ad
          ? {
              ...g.ad,
              displayName: g.ad.displayName,
              description: g.ad.description ?? g.description ?? null,
              members: [...(g.ad.members ?? g.members)],
              extensionAttributes: { ...g.ad.extensionAttributes },
            }
          : null,
      });
    }
  }

  now(): number {
    return this.clock();
  }

  /** Synced from AD and currently mastered there. */
  isAdManaged(g: Group): boolean {
    return !!g.ad && !g.isCloudManaged && g.onPremisesSyncEnabled === true;
  }

  /** Switch or roll back. Returns the audit entry written, or null for a no-op. */
  setCloudManaged(
    g: Group,
    value: boolean,
    actor: { user: User | null; app: SeedApp },
    settings: Settings,
  ): AuditEntry | null {
    if (g.isCloudManaged === value) return null;
    const before = g.isCloudManaged;
    g.isCloudManaged = value;
    // Entra's attribute table: converting clears onPremisesSyncEnabled; a rollback leaves
    // it null until the next sync cycle takes the object over again.
    g.onPremisesSyncEnabled = null;
    const entry = this.writeAudit({
      activityDisplayName: value ? settings.auditActivityNames.convert : settings.auditActivityNames.rollback,
      group: g,
      actor,
      modified: [
        {
          displayName: 'IsCloudManaged',
          oldValue: JSON.stringify(String(before)),
          newValue: JSON.stringify(String(value)),
        },
      ],
      visibleAt: this.clock() + settings.auditDelayMs,
    });
    return entry;
  }

  private writeAudit(args: {
    activityDisplayName: string;
    group: Group;
    actor: { user: User | null; app: SeedApp };
    modified: Array<{ displayName: string; oldValue: string; newValue: string }>;
    visibleAt: number;
  }): AuditEntry {
    const { user, app } = args.actor;
    const entry: AuditEntry = {
      id: `Directory_${randomUUID()}`,
      category: 'GroupManagement',
      correlationId: randomUUID(),
      result: 'success',
      resultReason: '',
      activityDisplayName: args.activityDisplayName,
      activityDateTime: new Date(this.clock()).toISOString(),
      loggedByService: 'Core Directory',
      operationType: 'Update',
      initiatedBy: {
        user: user
          ? {
              id: user.id,
              displayName: user.displayName,
              userPrincipalName: user.userPrincipalName,
              ipAddress: '127.0.0.1',
            }
          : null,
        app: user
          ? null
          : {
              appId: app.clientId,
              displayName: app.displayName,
              servicePrincipalId: app.servicePrincipalId,
              servicePrincipalName: app.displayName,
            },
      },
      targetResources: [
        {
          id: args.group.id,
          displayName: args.group.displayName,
          type: 'Group',
          userPrincipalName: null,
          groupType: groupTypeLabel(args.group),
          modifiedProperties: args.modified,
        },
      ],
      additionalDetails: user ? [{ key: 'AppId', value: app.clientId }] : [],
      visibleAt: args.visibleAt,
    };
    this.audits.push(entry);
    return entry;
  }

  /**
   * One sync cycle, the stand-in for Start-ADSyncSyncCycle: AD-managed groups take the AD
   * values; cloud-managed groups are skipped (event 6956); rolled-back groups are taken over.
   */
  runSyncCycle(): SyncCycleResult {
    const startedAt = new Date(this.clock()).toISOString();
    const events: SyncEvent[] = [];
    for (const g of this.groups.values()) {
      if (!g.ad) continue;
      const changes = this.adDifferences(g);
      if (g.isCloudManaged) {
        events.push({
          groupId: g.id,
          displayName: g.displayName,
          outcome: 'skipped',
          eventId: SOA_SKIP_EVENT_ID,
          detail: SOA_SKIP_MESSAGE,
          changes,
        });
        if (changes.length) {
          this.provisioningLog.push({
            id: randomUUID(),
            activityDateTime: startedAt,
            jobId: 'AD2AADProvisioning.local',
            cycleId: startedAt,
            changeId: randomUUID(),
            provisioningAction: 'update',
            provisioningStatusInfo: { status: 'skipped', errorInformation: null },
            sourceIdentity: { id: g.ad.securityIdentifier, displayName: g.ad.displayName, identityType: 'group' },
            targetIdentity: { id: g.id, displayName: g.displayName, identityType: 'Group' },
            provisioningSteps: [
              {
                name: 'EntryExportSkipped',
                provisioningStepType: 'export',
                status: 'skipped',
                description: SOA_SKIP_MESSAGE,
              },
            ],
            modifiedProperties: changes.map((c) => ({ displayName: c, oldValue: null, newValue: null })),
          });
          if (this.provisioningLog.length > 5000) this.provisioningLog.shift();
        }
        continue;
      }
      const takeover = g.onPremisesSyncEnabled !== true;
      this.applyAd(g);
      g.onPremisesSyncEnabled = true;
      g.onPremisesLastSyncDateTime = startedAt;
      events.push({
        groupId: g.id,
        displayName: g.displayName,
        outcome: takeover ? 'takenOver' : changes.length ? 'updated' : 'unchanged',
        changes,
      });
    }
    if (this.organization.onPremisesSyncEnabled) this.organization.onPremisesLastSyncDateTime = startedAt;
    const result = { startedAt, finishedAt: new Date(this.clock()).toISOString(), events };
    this.syncHistory.push(result);
    if (this.syncHistory.length > 200) this.syncHistory.shift();
    return result;
  }

  private adDifferences(g: Group): string[] {
    const ad = g.ad!;
    const out: string[] = [];
    if (ad.displayName !== g.displayName) out.push('displayName');
    if ((ad.description ?? null) !== (g.description ?? null)) out.push('description');
    const a = [...ad.members].sort().join(',');
    const b = [...g.members].sort().join(',');
    if (a !== b) out.push('members');
    if (JSON.stringify(ad.extensionAttributes) !== JSON.stringify(g.onPremisesExtensionAttributes ?? {}))
      out.push('extensionAttributes');
    return out;
  }

  private applyAd(g: Group): void {
    const ad = g.ad!;
    g.displayName = ad.displayName;
    g.description = ad.description;
    g.members = ad.members.filter((m) => this.groups.has(m) || this.users.has(m));
    g.onPremisesSamAccountName = ad.samAccountName;
    g.onPremisesSecurityIdentifier = ad.securityIdentifier;
    g.onPremisesExtensionAttributes = { ...ad.extensionAttributes };
  }
}

export function groupTypeLabel(g: Group): string {
  switch (g.kind) {
    case 'unified':
      return 'unifiedGroup';
    case 'distribution':
      return 'distributionGroup';
    case 'mailEnabledSecurity':
      return 'mailEnabledSecurityGroup';
    default:
      return 'securityGroup';
  }
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** Object ids. The Agents Playground's fixed ids carry 13 digits in the last block, so allow it. */
export function isObjectId(s: string): boolean {
  return ID.test(s);
}

function validateSeed(seed: Seed): void {
  const problems: string[] = [];
  if (!seed || typeof seed !== 'object') throw new SeedError('The seed must be a JSON object.');
  if (typeof seed.tenantId !== 'string' || !isObjectId(seed.tenantId)) problems.push('tenantId must be a GUID');
  if (!seed.organization || typeof seed.organization.displayName !== 'string')
    problems.push('organization.displayName is required');
  for (const [name, list] of [
    ['users', seed.users],
    ['apps', seed.apps],
    ['groups', seed.groups],
  ] as const) {
    if (!Array.isArray(list)) problems.push(`${name} must be an array`);
  }
  if (problems.length) throw new SeedError(problems.join('; '));
  const ids = new Set<string>();
  for (const u of seed.users) {
    if (typeof u.id !== 'string' || !isObjectId(u.id)) problems.push(`user id '${u?.id}' is not a GUID`);
    if (ids.has(u.id)) problems.push(`duplicate id ${u.id}`);
    ids.add(u.id);
    if (!Array.isArray(u.roles)) problems.push(`user ${u.id}: roles must be an array`);
  }
  for (const g of seed.groups) {
    if (typeof g.id !== 'string' || !isObjectId(g.id)) problems.push(`group id '${g?.id}' is not a GUID`);
    if (ids.has(g.id)) problems.push(`duplicate id ${g.id}`);
    ids.add(g.id);
    if (typeof g.displayName !== 'string' || !g.displayName) problems.push(`group ${g.id}: displayName is required`);
    if (!['security', 'mailEnabledSecurity', 'distribution', 'unified'].includes(g.kind))
      problems.push(`group ${g.id}: unknown kind '${g.kind}'`);
    if (g.kind === 'unified' && g.ad) problems.push(`group ${g.id}: Microsoft 365 groups are not synced from AD`);
    if (!Array.isArray(g.members)) problems.push(`group ${g.id}: members must be an array`);
  }
  for (const g of seed.groups)
    for (const m of g.members ?? []) if (!ids.has(m)) problems.push(`group ${g.id}: unknown member ${m}`);
  for (const a of seed.apps) {
    if (typeof a.clientId !== 'string' || !isObjectId(a.clientId))
      problems.push(`app clientId '${a?.clientId}' is not a GUID`);
    if (!Array.isArray(a.secrets) || !Array.isArray(a.delegatedScopes) || !Array.isArray(a.applicationPermissions)) {
      problems.push(`app ${a.clientId}: secrets, delegatedScopes and applicationPermissions must be arrays`);
    }
  }
  if (problems.length) throw new SeedError(problems.slice(0, 20).join('; '));
}
