/**
 * One sync cycle, the stand-in for Start-ADSyncSyncCycle: AD-managed groups take the AD
 * values; cloud-managed groups are skipped (event 6956; with Cloud Sync, also a provisioning log
 * entry when their AD side changed); rolled-back groups are taken over.
 */
import { randomUUID } from 'node:crypto';
import type { Group, Settings, SyncCycleResult, SyncEvent } from './model';
import type { Tenant } from './tenant';

/** Connect Sync's event for a skipped object whose source of authority is in the cloud. */
const SOA_SKIP_EVENT_ID = 6956;
const SOA_SKIP_MESSAGE = 'As the SOA of this group is in the cloud, this object will not sync.';

const MAX_PROVISIONING_LOG = 5000;
const MAX_SYNC_HISTORY = 200;

export function runSyncCycle(t: Tenant, client: Settings['syncClient']): SyncCycleResult {
  const startedAt = new Date(t.now()).toISOString();
  const events: SyncEvent[] = [];
  for (const g of t.groups.values()) {
    if (!g.ad) continue;
    const changes = adDifferences(g);
    if (g.isCloudManaged) {
      events.push({
        groupId: g.id,
        displayName: g.displayName,
        outcome: 'skipped',
        eventId: SOA_SKIP_EVENT_ID,
        detail: SOA_SKIP_MESSAGE,
        changes,
      });
      // Connect Sync writes nothing to the provisioning log: the event on its server is all there is.
      if (changes.length && client === 'cloudSync') {
        t.provisioningLog.push(skippedExport(g, changes, startedAt));
        if (t.provisioningLog.length > MAX_PROVISIONING_LOG) t.provisioningLog.shift();
      }
      continue;
    }
    const takeover = g.onPremisesSyncEnabled !== true;
    applyAd(t, g);
    g.onPremisesSyncEnabled = true;
    g.onPremisesLastSyncDateTime = startedAt;
    events.push({
      groupId: g.id,
      displayName: g.displayName,
      outcome: takeover ? 'takenOver' : changes.length ? 'updated' : 'unchanged',
      changes,
    });
  }
  if (t.organization.onPremisesSyncEnabled) t.organization.onPremisesLastSyncDateTime = startedAt;
  const result = { startedAt, finishedAt: new Date(t.now()).toISOString(), events };
  t.syncHistory.push(result);
  if (t.syncHistory.length > MAX_SYNC_HISTORY) t.syncHistory.shift();
  return result;
}

/** The provisioning log entry for a cloud-managed group whose AD side changed. */
function skippedExport(g: Group, changes: string[], startedAt: string): Record<string, unknown> {
  const ad = g.ad!;
  return {
    id: randomUUID(),
    activityDateTime: startedAt,
    jobId: 'AD2AADProvisioning.local',
    cycleId: startedAt,
    changeId: randomUUID(),
    provisioningAction: 'update',
    provisioningStatusInfo: { status: 'skipped', errorInformation: null },
    sourceIdentity: { id: ad.securityIdentifier, displayName: ad.displayName, identityType: 'group' },
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
  };
}

function adDifferences(g: Group): string[] {
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

function applyAd(t: Tenant, g: Group): void {
  const ad = g.ad!;
  g.displayName = ad.displayName;
  g.description = ad.description;
  g.members = ad.members.filter((m) => t.groups.has(m) || t.users.has(m));
  g.onPremisesSamAccountName = ad.samAccountName;
  g.onPremisesSecurityIdentifier = ad.securityIdentifier;
  g.onPremisesExtensionAttributes = { ...ad.extensionAttributes };
}
