/** In-memory state of the fake tenant and the directory rules that act on it. */
import { auditEntry, type AuditedChange } from './audit-entry';
import {
  DEFAULT_POLICY,
  type AuditEntry,
  type Group,
  type Policy,
  type Seed,
  type SeedApp,
  type Settings,
  type SyncCycleResult,
  type User,
} from './model';
import { validateSeed } from './seed-validation';
import { runSyncCycle } from './sync-cycle';

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
  /** Groups deleted since the tenant was seeded, with when (epoch ms): group delta's `@removed`. */
  readonly removedGroups: Array<{ id: string; at: number }> = [];
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
        onPremisesSyncEnabled: synced ? (cloudManaged || g.rollbackPending ? null : true) : null,
        onPremisesLastSyncDateTime: synced ? start : null,
        onPremisesSecurityIdentifier: g.ad?.securityIdentifier ?? null,
        onPremisesSamAccountName: g.ad?.samAccountName ?? null,
        onPremisesDomainName: g.ad?.domainName ?? null,
        onPremisesNetBiosName: g.ad?.netBiosName ?? null,
        onPremisesExtensionAttributes: synced ? { ...g.ad!.extensionAttributes } : null,
        isCloudManaged: cloudManaged,
        ...(g.owners ? { owners: [...g.owners] } : {}),
        ...(g.provisioningErrors?.length
          ? { onPremisesProvisioningErrors: g.provisioningErrors.map((e) => ({ ...e })) }
          : {}),
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

  /** Deletes a group (and its memberships), remembered for group delta's `@removed`. */
  deleteGroup(id: string): boolean {
    if (!this.groups.delete(id)) return false;
    this.removedGroups.push({ id, at: this.clock() });
    for (const g of this.groups.values()) {
      g.members = g.members.filter((m) => m !== id);
      if (g.ad) g.ad.members = g.ad.members.filter((m) => m !== id);
    }
    return true;
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
    return this.audit(
      {
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
      },
      settings,
    );
  }

  /** Writes the audit entry of a change, visible after the tenant's audit delay. */
  audit(change: Omit<AuditedChange, 'visibleAt'>, settings: Settings): AuditEntry {
    const entry = auditEntry({ ...change, visibleAt: this.clock() + settings.auditDelayMs }, this.clock());
    this.audits.push(entry);
    return entry;
  }

  /**
   * One sync cycle, the stand-in for Start-ADSyncSyncCycle: AD-managed groups take the AD
   * values; cloud-managed groups are skipped (event 6956); rolled-back groups are taken over.
   */
  runSyncCycle(client: Settings['syncClient'] = 'cloudSync'): SyncCycleResult {
    return runSyncCycle(this, client);
  }
}
