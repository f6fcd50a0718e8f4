/** The fake tenant's documented default seed, and the fixed ids that tests and docs name. */
import { ROLE, type Seed, type SeedGroup, type SeedUser } from './model';

/** Tenant id used by the Microsoft 365 Agents Playground. */
export const LOCAL_TENANT_ID = '00000000-0000-0000-0000-0000000000001';
/** The bot's app registration in the local tenant (also in env/.env.playground). */
export const LOCAL_BOT_APP_ID = '6d7e1c52-9a3b-4f0e-8c21-5b4a3f2e1d90';
export const LOCAL_BOT_SECRET = 'local-fake-tenant-only';
const LOCAL_BOT_SP_ID = '6d7e1c52-0000-4000-8000-00000000b075';

/**
 * Delegated Graph scopes the bot asks for (least privilege), consented tenant-wide in the
 * default seed: the approver's identity and roles, and the switch itself.
 */
export const BOT_DELEGATED_SCOPES = ['User.Read', 'Group-OnPremisesSyncBehavior.ReadWrite.All'];
/** Application permissions for the reads done without a user (cards, audit polling, sync watch). */
export const BOT_APPLICATION_PERMISSIONS = ['Group.Read.All', 'AuditLog.Read.All', 'Directory.Read.All'];

export const USER = {
  alex: '00000000-0000-0000-0000-0000000000020',
  megan: '00000000-0000-0000-0000-0000000000021',
  adele: '00000000-0000-0000-0000-0000000000022',
  lee: '00000000-0000-0000-0000-0000000000023',
  isaiah: '00000000-0000-0000-0000-0000000000024',
} as const;

/** Fixed ids of the default seed's groups, so tests and docs can name them. */
export const GROUP = {
  secGroup1: 'a1000000-0000-4000-8000-000000000001',
  secGroup1Nested: 'a1000000-0000-4000-8000-000000000002',
  secGroup1Leaf: 'a1000000-0000-4000-8000-000000000003',
  secGroup2: 'a1000000-0000-4000-8000-000000000004',
  appAccessParent: 'a1000000-0000-4000-8000-000000000005',
  soaGroup3: 'a1000000-0000-4000-8000-000000000006',
  financeDl: 'a1000000-0000-4000-8000-000000000007',
  helpdeskMesg: 'a1000000-0000-4000-8000-000000000008',
  cloudOnlyEngineering: 'a1000000-0000-4000-8000-000000000009',
  projectX: 'a1000000-0000-4000-8000-00000000000a',
  marketingA: 'a1000000-0000-4000-8000-00000000000b',
  marketingB: 'a1000000-0000-4000-8000-00000000000c',
  obrienAdmins: 'a1000000-0000-4000-8000-00000000000d',
} as const;

const DOMAIN = 'contoso.com';

function user(id: string, displayName: string, roles: string[], extra: Partial<SeedUser> = {}): SeedUser {
  const alias = displayName.split(' ')[0]!.toLowerCase();
  return { id, displayName, userPrincipalName: `${alias}@${DOMAIN}`, roles, onPremisesSyncEnabled: true, ...extra };
}

let sidCounter = 1100;
/** The AD side of a seeded group, with the next SID (numbering restarts with each defaultSeed()). */
export function adSide(sam: string, displayName: string, ou = 'OU=Groups'): NonNullable<SeedGroup['ad']> {
  sidCounter += 1;
  return {
    displayName,
    description: null,
    samAccountName: sam,
    securityIdentifier: `S-1-5-21-1004336348-1177238915-682003330-${sidCounter}`,
    domainName: 'corp.contoso.com',
    netBiosName: 'CORP',
    distinguishedName: `CN=${displayName.replace(/,/g, '\\,')},${ou},DC=corp,DC=contoso,DC=com`,
    extensionAttributes: {},
  };
}

/** The documented default seed (docs/fake-tenant.md, "Default seed"). A fresh copy every call. */
export function defaultSeed(): Seed {
  sidCounter = 1100;
  const extraUsers = [
    user('00000000-0000-0000-0000-0000000000030', 'Diego Siciliani', []),
    user('00000000-0000-0000-0000-0000000000031', 'Grady Archie', []),
    user('00000000-0000-0000-0000-0000000000032', 'Johanna Lorenz', []),
    user('00000000-0000-0000-0000-0000000000033', 'Lynne Robbins', []),
    user('00000000-0000-0000-0000-0000000000034', 'Nestor Wilke', []),
    user('00000000-0000-0000-0000-0000000000035', 'Patti Fernandez', []),
    user('00000000-0000-0000-0000-0000000000036', 'Pradeep Gupta', [], { onPremisesSyncEnabled: null }),
  ];
  const [diego, grady, johanna, lynne, nestor, patti, pradeep] = extraUsers.map((u) => u.id) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const mesgAd = adSide('Helpdesk MESG', 'Helpdesk MESG');
  mesgAd.extensionAttributes = { extensionAttribute1: 'IT-Helpdesk', extensionAttribute7: 'tier1' };
  const sec1Ad = adSide('SecGroup1', 'SecGroup1');
  sec1Ad.extensionAttributes = { extensionAttribute3: 'cost-center-4410' };

  return {
    tenantId: LOCAL_TENANT_ID,
    organization: { displayName: 'Contoso (local)', onPremisesSyncEnabled: true, verifiedDomain: DOMAIN },
    users: [
      user(USER.alex, 'Alex Wilber', [ROLE.hybridIdentityAdministrator]),
      user(USER.megan, 'Megan Bowen', [ROLE.hybridIdentityAdministrator]),
      user(USER.adele, 'Adele Vance', [ROLE.groupsAdministrator]),
      user(USER.lee, 'Lee Gu', []),
      user(USER.isaiah, 'Isaiah Langer', [ROLE.hybridIdentityAdministrator], { signIn: 'mfa' }),
      ...extraUsers,
    ],
    apps: [
      {
        clientId: LOCAL_BOT_APP_ID,
        displayName: 'SOA Bot (local)',
        secrets: [LOCAL_BOT_SECRET],
        delegatedScopes: [...BOT_DELEGATED_SCOPES],
        applicationPermissions: [...BOT_APPLICATION_PERMISSIONS],
        servicePrincipalId: LOCAL_BOT_SP_ID,
      },
    ],
    groups: [
      {
        id: GROUP.secGroup1,
        displayName: 'SecGroup1',
        kind: 'security',
        ad: sec1Ad,
        members: [diego, grady, GROUP.secGroup1Nested],
      },
      {
        id: GROUP.secGroup1Nested,
        displayName: 'SecGroup1-Nested',
        kind: 'security',
        ad: adSide('SecGroup1-Nested', 'SecGroup1-Nested'),
        members: [johanna, GROUP.secGroup1Leaf],
      },
      {
        id: GROUP.secGroup1Leaf,
        displayName: 'SecGroup1-Leaf',
        kind: 'security',
        ad: adSide('SecGroup1-Leaf', 'SecGroup1-Leaf'),
        members: [lynne, nestor],
      },
      {
        id: GROUP.secGroup2,
        displayName: 'SecGroup2',
        kind: 'security',
        ad: adSide('SecGroup2', 'SecGroup2'),
        members: [patti],
      },
      {
        id: GROUP.appAccessParent,
        displayName: 'AppAccess-Parent',
        kind: 'security',
        ad: adSide('AppAccess-Parent', 'AppAccess-Parent'),
        members: [GROUP.secGroup2, diego],
      },
      {
        id: GROUP.soaGroup3,
        displayName: 'SOAGroup3',
        kind: 'security',
        ad: adSide('SOAGroup3', 'SOAGroup3'),
        isCloudManaged: true,
        members: [grady, johanna],
      },
      {
        id: GROUP.financeDl,
        displayName: 'Finance DL',
        kind: 'distribution',
        ad: adSide('FinanceDL', 'Finance DL', 'OU=Distribution Lists'),
        members: [lynne, patti],
        mailNickname: 'finance',
      },
      {
        id: GROUP.helpdeskMesg,
        displayName: 'Helpdesk MESG',
        kind: 'mailEnabledSecurity',
        ad: mesgAd,
        members: [nestor],
        mailNickname: 'helpdesk',
      },
      {
        id: GROUP.cloudOnlyEngineering,
        displayName: 'CloudOnly-Engineering',
        kind: 'security',
        members: [pradeep, diego],
      },
      {
        id: GROUP.projectX,
        displayName: 'Project X',
        kind: 'unified',
        members: [pradeep, grady],
        mailNickname: 'projectx',
      },
      {
        id: GROUP.marketingA,
        displayName: 'Marketing',
        description: 'Marketing (EMEA)',
        kind: 'security',
        ad: adSide('Marketing-EMEA', 'Marketing', 'OU=EMEA'),
        members: [johanna],
      },
      {
        id: GROUP.marketingB,
        displayName: 'Marketing',
        description: 'Marketing (Americas)',
        kind: 'security',
        ad: adSide('Marketing-AMER', 'Marketing', 'OU=Americas'),
        members: [lynne],
      },
      {
        id: GROUP.obrienAdmins,
        displayName: "O'Brien Admins",
        kind: 'security',
        ad: adSide('OBrienAdmins', "O'Brien Admins"),
        members: [nestor],
      },
    ],
  };
}
