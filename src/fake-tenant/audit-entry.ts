/** Directory audit entries as Entra writes them for a group change (GET /auditLogs/directoryAudits). */
import { randomUUID } from 'node:crypto';
import type { AuditEntry, Group, SeedApp, User } from './model';

export interface AuditedChange {
  activityDisplayName: string;
  group: Group;
  /** A user acting through the app (delegated), or the app alone (user null). */
  actor: { user: User | null; app: SeedApp };
  modified: Array<{ displayName: string; oldValue: string; newValue: string }>;
  /** Epoch ms from which the entry is returned by the API. */
  visibleAt: number;
  /** Add/Assign for a member added; Update by default. */
  operationType?: string;
  /** A member added or removed: Entra lists it as the first target, the group after it. */
  member?: { id: string; displayName: string; type: 'User' | 'Group'; userPrincipalName: string | null };
}

/** `at`: epoch ms of the change. */
export function auditEntry(args: AuditedChange, at: number): AuditEntry {
  const { user, app } = args.actor;
  return {
    id: `Directory_${randomUUID()}`,
    category: 'GroupManagement',
    correlationId: randomUUID(),
    result: 'success',
    resultReason: '',
    activityDisplayName: args.activityDisplayName,
    activityDateTime: new Date(at).toISOString(),
    loggedByService: 'Core Directory',
    operationType: args.operationType ?? 'Update',
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
      ...(args.member
        ? [
            {
              id: args.member.id,
              displayName: args.member.displayName,
              type: args.member.type,
              userPrincipalName: args.member.userPrincipalName,
              groupType: null,
              modifiedProperties: [],
            },
          ]
        : []),
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
}

function groupTypeLabel(g: Group): string {
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
