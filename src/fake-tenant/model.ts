/** The fake tenant's data model: what a seed describes and what the server keeps in memory. */

export const ROLE = {
  globalAdministrator: '62e90394-69f5-4237-9190-012177145e10',
  hybridIdentityAdministrator: '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2',
  groupsAdministrator: 'fdd7a751-b60b-444a-984c-02652fe8fa1c',
  userAdministrator: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  cloudApplicationAdministrator: '158c047a-c907-4556-b7ef-446551a6b5f7',
  applicationAdministrator: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3',
  globalReader: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451',
  reportsReader: '4a5d8f65-41da-4de4-8968-e035b65339cf',
  securityReader: '5d6b6bb7-de71-4623-b4af-96380a352509',
  securityAdministrator: '194ae4cb-b126-40b2-bd5b-6091b380977d',
} as const;

export const ROLE_NAMES: Record<string, string> = {
  [ROLE.globalAdministrator]: 'Global Administrator',
  [ROLE.hybridIdentityAdministrator]: 'Hybrid Identity Administrator',
  [ROLE.groupsAdministrator]: 'Groups Administrator',
  [ROLE.userAdministrator]: 'User Administrator',
  [ROLE.cloudApplicationAdministrator]: 'Cloud Application Administrator',
  [ROLE.applicationAdministrator]: 'Application Administrator',
  [ROLE.globalReader]: 'Global Reader',
  [ROLE.reportsReader]: 'Reports Reader',
  [ROLE.securityReader]: 'Security Reader',
  [ROLE.securityAdministrator]: 'Security Administrator',
};

/** What on-behalf-of sign-in demands of this user (Conditional Access stand-in). */
export type SignInRequirement = 'none' | 'mfa' | 'blocked';

export interface SeedUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  /** Directory role template ids (active assignments). */
  roles: string[];
  signIn?: SignInRequirement;
  onPremisesSyncEnabled?: boolean | null;
  accountEnabled?: boolean;
}

export interface SeedApp {
  clientId: string;
  displayName: string;
  /** Client secrets accepted at the token endpoint. */
  secrets: string[];
  /** Public certificates (PEM) whose keys may sign client assertions (certificate credentials). */
  certificates?: string[];
  /** Delegated scopes with tenant-wide (admin) consent. Empty: nobody consented (AADSTS65001). */
  delegatedScopes: string[];
  /** Application permissions granted (the `roles` claim of app-only tokens). */
  applicationPermissions: string[];
  /** Service principal object id (the `oid` of app-only tokens). */
  servicePrincipalId: string;
}

export type GroupKind = 'security' | 'mailEnabledSecurity' | 'distribution' | 'unified';

/** The Active Directory copy of a synced group: what the sync client reads on premises. */
export interface AdGroup {
  displayName: string;
  description: string | null;
  samAccountName: string;
  securityIdentifier: string;
  domainName: string;
  netBiosName: string;
  distinguishedName: string;
  /** Cloud object ids of the members (users and groups), as the sync client resolves them. */
  members: string[];
  extensionAttributes: Record<string, string | null>;
}

export interface SeedGroup {
  id: string;
  displayName: string;
  description?: string | null;
  kind: GroupKind;
  /** Absent for cloud-only groups. */
  ad?: Omit<AdGroup, 'members'> & { members?: string[] };
  /** true: source of authority is already in the cloud. Only meaningful with `ad`. */
  isCloudManaged?: boolean;
  members: string[];
  /** Owner object ids (users). */
  owners?: string[];
  mailNickname?: string;
  mail?: string | null;
  createdDateTime?: string;
  isAssignableToRole?: boolean;
  /**
   * Rolled back to AD (isCloudManaged false) and not yet taken over by a sync cycle:
   * onPremisesSyncEnabled stays null until the next one. Only meaningful with `ad`.
   */
  rollbackPending?: boolean;
  /** Errors the sync client met writing this group (Graph's onPremisesProvisioningErrors). */
  provisioningErrors?: ProvisioningError[];
}

/** One onPremisesProvisioningError of a synced object, as Graph lists it. */
export interface ProvisioningError {
  category: string;
  occurredDateTime: string;
  propertyCausingError: string;
  value: string;
}

export interface Policy {
  /** Directory roles allowed to read or change onPremisesSyncBehavior with a delegated token. */
  soaRoles: string[];
  /** Directory roles allowed to update group properties with a delegated token. */
  groupWriteRoles: string[];
  /** Directory roles allowed to read directory audit logs with a delegated token. */
  auditReadRoles: string[];
}

export interface Seed {
  tenantId: string;
  organization: { displayName: string; onPremisesSyncEnabled: boolean | null; verifiedDomain: string };
  users: SeedUser[];
  apps: SeedApp[];
  groups: SeedGroup[];
  policy?: Partial<Policy>;
}

export interface Settings {
  /** Added to every Graph and token request. */
  latencyMs: number;
  /** How long after a switch or rollback its audit entry becomes visible. */
  auditDelayMs: number;
  /** Runs a sync cycle automatically every N ms; 0 = only on demand (POST /_fake/sync). */
  syncIntervalMs: number;
  /**
   * Microsoft's docs disagree on the PATCH onPremisesSyncBehavior answer: the current beta
   * page says 204 No Content, an earlier one 200 with the object. Default 204; 200 selectable
   * so callers can be tested against both.
   */
  soaPatchStatus: 200 | 204;
  /**
   * Microsoft's docs spell the audit activities two ways ("AD" and "AD DS"). The defaults
   * follow the configure page; either can be switched to test a caller's matching.
   */
  auditActivityNames: { convert: string; rollback: string };
  /** Lifetime of issued access tokens, in seconds. */
  accessTokenLifetimeSeconds: number;
  /**
   * The sync client that skips cloud-managed groups: Cloud Sync writes each skip of a changed
   * group to the provisioning log; Connect Sync records it only as event 6956 on its server.
   */
  syncClient: 'cloudSync' | 'connectSync';
  /**
   * GET /groups/delta page size. Microsoft does not document it (and $top is not supported
   * there); Microsoft's answers on Q&A name 200 objects and 500 directory links per page.
   */
  deltaPageGroups: number;
  /** Member links (members@delta items) per delta page; a group with more continues on the next page. */
  deltaPageLinks: number;
  /**
   * How long a delta state token (nextLink or deltaLink) is honoured: seven days for directory
   * resources since July 2020 (Microsoft 365 developer blog); then 400 syncStateNotFound.
   */
  deltaTokenLifetimeSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  latencyMs: 0,
  auditDelayMs: 3000,
  syncIntervalMs: 0,
  soaPatchStatus: 204,
  auditActivityNames: {
    convert: 'Change Source of Authority from AD to cloud',
    rollback: 'Undo changes to Source of Authority from AD DS to cloud',
  },
  accessTokenLifetimeSeconds: 3600,
  syncClient: 'cloudSync',
  deltaPageGroups: 200,
  deltaPageLinks: 500,
  deltaTokenLifetimeSeconds: 7 * 86_400,
};

export const DEFAULT_POLICY: Policy = {
  // Entra's prerequisites name Hybrid (Identity) Administrator; one revision of the Graph
  // page names Groups Administrator as least privileged. Both are allowed by default.
  soaRoles: [ROLE.hybridIdentityAdministrator, ROLE.groupsAdministrator, ROLE.globalAdministrator],
  groupWriteRoles: [ROLE.groupsAdministrator, ROLE.userAdministrator, ROLE.globalAdministrator],
  auditReadRoles: [
    ROLE.reportsReader,
    ROLE.securityReader,
    ROLE.securityAdministrator,
    ROLE.globalReader,
    ROLE.globalAdministrator,
    ROLE.hybridIdentityAdministrator,
  ],
};

/** A group as the cloud (Entra ID) holds it. */
export interface Group {
  id: string;
  displayName: string;
  description: string | null;
  kind: GroupKind;
  mailNickname: string;
  mail: string | null;
  proxyAddresses: string[];
  createdDateTime: string;
  isAssignableToRole: boolean | null;
  members: string[];
  onPremisesSyncEnabled: boolean | null;
  onPremisesLastSyncDateTime: string | null;
  onPremisesSecurityIdentifier: string | null;
  onPremisesSamAccountName: string | null;
  onPremisesDomainName: string | null;
  onPremisesNetBiosName: string | null;
  onPremisesExtensionAttributes: Record<string, string | null> | null;
  isCloudManaged: boolean;
  /** Owner object ids (GET /groups/{id}/owners); none when absent. */
  owners?: string[];
  onPremisesProvisioningErrors?: ProvisioningError[];
  /** Present when the group came from AD: the on-premises object the sync client reads. */
  ad: AdGroup | null;
}

export interface User {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string;
  roles: string[];
  signIn: SignInRequirement;
  onPremisesSyncEnabled: boolean | null;
  accountEnabled: boolean;
}

export interface AuditEntry {
  id: string;
  category: string;
  correlationId: string;
  result: 'success' | 'failure';
  resultReason: string;
  activityDisplayName: string;
  activityDateTime: string;
  loggedByService: string;
  operationType: string;
  initiatedBy: {
    user: { id: string; displayName: string; userPrincipalName: string; ipAddress: string | null } | null;
    app: { appId: string; displayName: string; servicePrincipalId: string; servicePrincipalName: string } | null;
  };
  targetResources: Array<{
    id: string;
    displayName: string;
    type: string;
    userPrincipalName: string | null;
    groupType: string | null;
    modifiedProperties: Array<{ displayName: string; oldValue: string; newValue: string }>;
  }>;
  additionalDetails: Array<{ key: string; value: string }>;
  /** Epoch ms from which the entry is returned by the API. Not serialised. */
  visibleAt: number;
}

/** One thing a sync cycle did to one group. */
export interface SyncEvent {
  groupId: string;
  displayName: string;
  outcome: 'updated' | 'unchanged' | 'skipped' | 'takenOver';
  /** For skips: the sync client's message, with the Connect Sync event id. */
  detail?: string;
  eventId?: number;
  changes?: string[];
}

export interface SyncCycleResult {
  startedAt: string;
  finishedAt: string;
  events: SyncEvent[];
}
