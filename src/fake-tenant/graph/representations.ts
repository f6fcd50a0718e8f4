/** How groups, users and directory roles look on the wire, and which properties each one offers. */
import { ROLE_NAMES, type Group, type User } from '../model';
import type { Json } from './types';

export const GROUP_PROPS = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'creationOptions',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'onPremisesProvisioningErrors',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'serviceProvisioningErrors',
  'theme',
  'visibility',
];
/** Returned only when asked for with $select. */
export const GROUP_SELECT_ONLY = [
  'onPremisesExtensionAttributes',
  'hideFromAddressLists',
  'hideFromOutlookClients',
  'assignedLabels',
  'assignedLicenses',
];
export const USER_PROPS = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'accountEnabled',
  'onPremisesSyncEnabled',
];
export const USER_DEFAULT = [
  'id',
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
];
export const ROLE_PROPS = ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'];

export function isGroup(o: Group | User): o is Group {
  return 'kind' in o;
}

export function groupJson(g: Group): Json {
  const security = g.kind === 'security' || g.kind === 'mailEnabledSecurity';
  return {
    id: g.id,
    deletedDateTime: null,
    classification: null,
    createdDateTime: g.createdDateTime,
    creationOptions: [],
    description: g.description,
    displayName: g.displayName,
    expirationDateTime: null,
    groupTypes: g.kind === 'unified' ? ['Unified'] : [],
    isAssignableToRole: g.isAssignableToRole,
    mail: g.mail,
    mailEnabled: g.kind !== 'security',
    mailNickname: g.mailNickname,
    membershipRule: null,
    membershipRuleProcessingState: null,
    onPremisesDomainName: g.onPremisesDomainName,
    onPremisesLastSyncDateTime: g.onPremisesLastSyncDateTime,
    onPremisesNetBiosName: g.onPremisesNetBiosName,
    onPremisesSamAccountName: g.onPremisesSamAccountName,
    onPremisesSecurityIdentifier: g.onPremisesSecurityIdentifier,
    onPremisesSyncEnabled: g.onPremisesSyncEnabled,
    onPremisesProvisioningErrors: g.onPremisesProvisioningErrors ?? [],
    preferredDataLocation: null,
    preferredLanguage: null,
    proxyAddresses: g.proxyAddresses,
    renewedDateTime: g.createdDateTime,
    resourceBehaviorOptions: [],
    resourceProvisioningOptions: [],
    securityEnabled: security,
    securityIdentifier: `S-1-12-1-${parseInt(g.id.slice(0, 8), 16)}-${parseInt(g.id.slice(9, 13), 16)}`,
    serviceProvisioningErrors: [],
    theme: null,
    visibility: g.kind === 'unified' ? 'Private' : null,
    onPremisesExtensionAttributes: g.onPremisesExtensionAttributes,
    hideFromAddressLists: null,
    hideFromOutlookClients: null,
    assignedLabels: [],
    assignedLicenses: [],
  };
}

export function userJson(u: User): Json {
  const [given, ...rest] = u.displayName.split(' ');
  return {
    id: u.id,
    businessPhones: [],
    displayName: u.displayName,
    givenName: given ?? null,
    jobTitle: null,
    mail: u.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: rest.join(' ') || null,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    onPremisesSyncEnabled: u.onPremisesSyncEnabled,
  };
}

export function roleJson(templateId: string): Json {
  return {
    id: `d1${templateId.slice(2)}`,
    deletedDateTime: null,
    description: `${ROLE_NAMES[templateId] ?? 'Directory role'} (local tenant).`,
    displayName: ROLE_NAMES[templateId] ?? templateId,
    roleTemplateId: templateId,
  };
}
