/**
 * The Microsoft Graph side of the fake tenant (v1.0 and beta): groups, nesting,
 * onPremisesSyncBehavior, directory audits, organization, me, and JSON batching, with
 * Graph's permission checks, query rules and error bodies.
 */
import { randomUUID } from 'node:crypto';
import { errorResponse, fail, GraphFailure, JSON_TYPE, type GraphResponse } from './graph-errors';
import type { Identity, Principal } from './identity';
import { ROLE_NAMES, type AuditEntry, type Group, type Settings, type User } from './model';
import { checkFilter, evaluate, ODataSyntaxError, parseFilter, UnsupportedFilterError, type FilterSpec } from './odata';
import { isObjectId, type Tenant } from './tenant';

export interface GraphRequest {
  method: string;
  /** Path with the version segment, e.g. `/v1.0/groups/{id}`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string | undefined;
  /** `https://localhost:3979`: used for @odata.nextLink and @odata.context. */
  origin: string;
  batchId?: string;
  batchRequestId?: string;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  userId: string | null;
  appId: string | null;
  status: number;
  at: string;
  batch?: string;
  batchRequestId?: string;
}

export interface Fault {
  match: RegExp;
  method?: string;
  status?: number;
  retryAfter?: number;
  delayMs?: number;
  count: number;
}

export interface GraphContext {
  tenant: () => Tenant;
  settings: () => Settings;
  identity: Identity;
  faults: Fault[];
  log: RequestLogEntry[];
}

const GROUP_READ = [
  'Group.Read.All',
  'Group.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'GroupMember.Read.All',
  'GroupMember.ReadWrite.All',
];
const GROUP_WRITE = ['Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const SOA_SCOPE = ['Group-OnPremisesSyncBehavior.ReadWrite.All'];
const AUDIT_READ = ['AuditLog.Read.All'];
const ORG_READ_DELEGATED = [
  'User.Read',
  'User.ReadWrite',
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const ORG_READ_APP = [
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const ME_READ = [
  'User.Read',
  'User.ReadWrite',
  'User.ReadBasic.All',
  'User.Read.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const USER_READ = [
  'User.ReadBasic.All',
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];

const MAX_BATCH = 20;

const GROUP_PROPS = [
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
const GROUP_SELECT_ONLY = [
  'onPremisesExtensionAttributes',
  'hideFromAddressLists',
  'hideFromOutlookClients',
  'assignedLabels',
  'assignedLicenses',
];
const USER_PROPS = [
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
const USER_DEFAULT = [
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
const ROLE_PROPS = ['id', 'deletedDateTime', 'description', 'displayName', 'roleTemplateId'];
const AUDIT_PROPS = [
  'id',
  'category',
  'correlationId',
  'result',
  'resultReason',
  'activityDisplayName',
  'activityDateTime',
  'loggedByService',
  'operationType',
  'initiatedBy',
  'targetResources',
  'additionalDetails',
];
const ORG_PROPS = [
  'id',
  'displayName',
  'onPremisesSyncEnabled',
  'onPremisesLastSyncDateTime',
  'verifiedDomains',
  'tenantType',
  'countryLetterCode',
  'createdDateTime',
];

const GROUP_FILTER: FilterSpec = {
  resource: 'Group',
  notIsAdvanced: true,
  properties: {
    id: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    displayName: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mailNickname: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mail: { ops: ['eq', 'startswith', 'in'], advancedOps: ['ne', 'endswith'] },
    mailEnabled: { ops: ['eq'], advancedOps: ['ne'] },
    securityEnabled: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    groupTypes: { ops: ['eq'], advancedOps: ['ne'] },
    onPremisesSyncEnabled: { ops: ['eq', 'in'], advancedOps: ['ne'] },
    onPremisesSamAccountName: { ops: ['eq', 'startswith', 'in', 'ge', 'le'], advancedOps: ['ne'] },
    onPremisesLastSyncDateTime: { ops: ['eq', 'ge', 'le', 'in'], advancedOps: ['ne'] },
    onPremisesSecurityIdentifier: { ops: ['eq'], advancedOps: ['ne'] },
    isAssignableToRole: { ops: ['eq'], advancedOps: ['ne'] },
    // Entra's SOA monitoring doc filters on this with ConsistencyLevel: eventual + $count.
    'onPremisesSyncBehavior/isCloudManaged': { ops: [], advancedOps: ['eq', 'ne'] },
  },
};
const MEMBER_FILTER: FilterSpec = {
  resource: 'DirectoryObject',
  notIsAdvanced: true,
  properties: {
    displayName: { ops: [], advancedOps: ['eq', 'startswith', 'ne', 'in'] },
    id: { ops: [], advancedOps: ['eq', 'in'] },
    onPremisesSyncEnabled: { ops: [], advancedOps: ['eq', 'ne'] },
  },
};
const AUDIT_FILTER: FilterSpec = {
  resource: 'DirectoryAudit',
  notIsAdvanced: false,
  properties: {
    id: { ops: ['eq'] },
    activityDisplayName: { ops: ['eq', 'startswith'] },
    activityDateTime: { ops: ['eq', 'ge', 'le'] },
    category: { ops: ['eq'] },
    correlationId: { ops: ['eq'] },
    loggedByService: { ops: ['eq'] },
    result: { ops: ['eq'] },
    'initiatedBy/user/id': { ops: ['eq'] },
    'initiatedBy/user/displayName': { ops: ['eq'] },
    'initiatedBy/user/userPrincipalName': { ops: ['eq', 'startswith'] },
    'initiatedBy/app/appId': { ops: ['eq'] },
    'initiatedBy/app/displayName': { ops: ['eq'] },
    'targetResources/id': { ops: ['eq'] },
    'targetResources/displayName': { ops: ['eq', 'startswith'] },
  },
};

type Json = Record<string, unknown>;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class GraphApi {
  constructor(private readonly ctx: GraphContext) {}

  private get tenant(): Tenant {
    return this.ctx.tenant();
  }

  /** Handles one Graph request (a plain call, or one step of a $batch). */
  async handle(req: GraphRequest): Promise<GraphResponse> {
    const requestId = randomUUID();
    const auth = this.ctx.identity.principal(req.headers.authorization);
    const principal = 'kind' in auth ? auth : null;
    let res: GraphResponse;
    const fault = this.takeFault(req);
    if (!req.batchId && this.ctx.settings().latencyMs > 0) await sleep(this.ctx.settings().latencyMs);
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.status) {
      res = faultResponse(fault, requestId);
    } else if (!principal) {
      res = errorResponse(401, (auth as { code: string }).code, (auth as { message: string }).message, requestId, {
        'WWW-Authenticate':
          'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
      });
    } else {
      try {
        res = await this.route(req, principal);
      } catch (e) {
        if (e instanceof GraphFailure) res = errorResponse(e.status, e.code, e.message, requestId, e.headers);
        else {
          res = errorResponse(500, 'generalException', 'An internal error occurred in the local tenant.', requestId);
          console.error('fake-tenant: unexpected error', e instanceof Error ? e.stack : e);
        }
      }
      res.headers = {
        'request-id': requestId,
        'client-request-id': req.headers['client-request-id'] ?? requestId,
        ...res.headers,
      };
    }
    this.ctx.log.push({
      method: req.method,
      path: req.path,
      query: req.query.toString(),
      userId: principal?.kind === 'user' ? principal.user.id : null,
      appId: principal ? principal.app.clientId : null,
      status: res.status,
      at: new Date().toISOString(),
      ...(req.batchId ? { batch: req.batchId, batchRequestId: req.batchRequestId } : {}),
    });
    if (this.ctx.log.length > 20_000) this.ctx.log.splice(0, this.ctx.log.length - 20_000);
    return res;
  }

  private takeFault(req: GraphRequest): Fault | undefined {
    const f = this.ctx.faults.find(
      (x) => x.count > 0 && x.match.test(req.path) && (!x.method || x.method.toUpperCase() === req.method),
    );
    if (f) f.count -= 1;
    return f;
  }

  private async route(req: GraphRequest, p: Principal): Promise<GraphResponse> {
    const segs = req.path
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const version = segs.shift();
    if (version !== 'v1.0' && version !== 'beta') throw fail.segment(version ?? '');
    const [head, ...rest] = segs;
    const m = req.method;
    const base = `${req.origin}/${version}`;
    switch (head) {
      case '$batch':
        if (rest.length) throw fail.segment(rest[0]!);
        if (m !== 'POST') throw fail.methodNotAllowed();
        return this.batch(req, version);
      case 'groups':
        return this.groups(req, p, rest, base);
      case 'auditLogs':
        if (m !== 'GET') throw fail.methodNotAllowed();
        if (rest[0] === 'provisioning' && rest.length === 1) return this.provisioning(req, p, base);
        if (rest[0] !== 'directoryAudits') throw fail.segment(rest[0] ?? 'auditLogs');
        return this.audits(req, p, rest.slice(1), base);
      case 'organization':
        if (m !== 'GET') throw fail.methodNotAllowed();
        return this.organization(req, p, rest, base);
      case 'me':
        if (p.kind !== 'user') throw fail.badRequest('/me request is only valid with delegated authentication flow.');
        if (m !== 'GET') throw fail.methodNotAllowed();
        return this.me(req, p, rest, base);
      case 'users': {
        if (m !== 'GET') throw fail.methodNotAllowed();
        this.require(p, USER_READ, USER_READ);
        const id = rest[0];
        if (!id || rest.length > 1) throw fail.segment(rest[1] ?? 'users');
        const user = [...this.tenant.users.values()].find(
          (u) => u.id === id || u.userPrincipalName.toLowerCase() === id.toLowerCase(),
        );
        if (!user) {
          if (!isObjectId(id) && !id.includes('@')) throw fail.invalidId(id);
          throw fail.notFound(id);
        }
        return ok({
          '@odata.context': `${base}/$metadata#users/$entity`,
          ...project(userJson(user), req.query, USER_PROPS, USER_DEFAULT, 'user'),
        });
      }
      default:
        throw fail.segment(head ?? '');
    }
  }

  // ---------------------------------------------------------------- permissions

  /** Scope (delegated) or app role (application) check, then directory role for delegated. */
  private require(p: Principal, delegated: string[], application: string[], roles?: string[]): void {
    if (p.kind === 'user') {
      if (!delegated.some((s) => p.scopes.has(s))) throw fail.denied();
      if (roles && !p.user.roles.some((r) => roles.includes(r))) throw fail.denied();
    } else if (!application.some((s) => p.roles.has(s))) {
      throw fail.denied();
    }
  }

  // ---------------------------------------------------------------- groups

  private findGroup(id: string): Group {
    if (!isObjectId(id)) throw fail.invalidId(id);
    const g = this.tenant.groups.get(id.toLowerCase()) ?? this.tenant.groups.get(id);
    if (!g) throw fail.notFound(id);
    return g;
  }

  private async groups(req: GraphRequest, p: Principal, rest: string[], base: string): Promise<GraphResponse> {
    const m = req.method;
    if (rest.length === 0) {
      if (m !== 'GET') throw fail.methodNotAllowed();
      this.require(p, GROUP_READ, GROUP_READ);
      return this.listGroups(req, base);
    }
    if (rest[0] === '$count' && rest.length === 1) {
      if (m !== 'GET') throw fail.methodNotAllowed();
      this.require(p, GROUP_READ, GROUP_READ);
      if (!isEventual(req)) throw fail.requestBadRequest('$count is not currently supported.');
      const filtered = this.filterGroups(req, [...this.tenant.groups.values()]);
      return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(filtered.length) };
    }
    const id = rest[0]!;
    const sub = rest[1];
    if (sub === undefined) {
      if (m === 'GET') {
        this.require(p, GROUP_READ, GROUP_READ);
        const g = this.findGroup(id);
        return ok({
          '@odata.context': `${base}/$metadata#groups/$entity`,
          ...project(groupJson(g), req.query, [...GROUP_PROPS, ...GROUP_SELECT_ONLY], GROUP_PROPS, 'group'),
        });
      }
      if (m === 'PATCH') return this.patchGroup(req, p, id);
      throw fail.methodNotAllowed();
    }
    if (sub === 'onPremisesSyncBehavior') {
      if (rest.length > 2) throw fail.segment(rest[2]!);
      return this.syncBehavior(req, p, id, base);
    }
    if (['members', 'memberOf', 'transitiveMembers', 'transitiveMemberOf'].includes(sub)) {
      if (m !== 'GET') throw fail.methodNotAllowed();
      if (rest.length > 3) throw fail.segment(rest[3]!);
      this.require(p, GROUP_READ, GROUP_READ);
      const g = this.findGroup(id);
      const objects = this.relation(g, sub);
      return this.listDirectoryObjects(req, objects, rest[2], `${base}/$metadata#directoryObjects`);
    }
    throw fail.segment(sub);
  }

  private relation(g: Group, rel: string): Array<Group | User> {
    const t = this.tenant;
    const resolve = (id: string) => t.groups.get(id) ?? t.users.get(id);
    const parentsOf = (id: string) => [...t.groups.values()].filter((x) => x.members.includes(id));
    if (rel === 'members') return g.members.map(resolve).filter((x): x is Group | User => !!x);
    if (rel === 'memberOf') return parentsOf(g.id);
    const seen = new Set<string>([g.id]);
    const out: Array<Group | User> = [];
    const queue = [g];
    while (queue.length) {
      const cur = queue.shift()!;
      const next =
        rel === 'transitiveMembers'
          ? cur.members.map(resolve).filter((x): x is Group | User => !!x)
          : parentsOf(cur.id);
      for (const o of next) {
        if (seen.has(o.id)) continue; // cycles and diamonds appear once
        seen.add(o.id);
        out.push(o);
        if (isGroup(o)) queue.push(o);
      }
    }
    return out;
  }

  private filterGroups(req: GraphRequest, groups: Group[]): Group[] {
    const filter = req.query.get('$filter');
    let list = groups;
    if (filter !== null) {
      const tree = parseChecked(filter, GROUP_FILTER, isAdvanced(req));
      list = list.filter((g) =>
        evaluate(tree, { ...groupJson(g), onPremisesSyncBehavior: { isCloudManaged: g.isCloudManaged } }),
      );
    }
    const search = req.query.get('$search');
    if (search !== null) {
      if (!isEventual(req)) {
        throw fail.unsupportedQuery(
          "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
        );
      }
      const m = /^"(displayName|description):(.*)"$/i.exec(search.trim());
      if (!m) throw fail.badRequest(`Invalid search clause: ${search}`);
      const needle = m[2]!.toLowerCase();
      const field = m[1]!.toLowerCase() === 'description' ? 'description' : 'displayName';
      list = list.filter(
        (g) =>
          String(g[field] ?? '')
            .toLowerCase()
            .split(/[\s\-_.]+/)
            .some((w) => w.startsWith(needle)) ||
          String(g[field] ?? '')
            .toLowerCase()
            .startsWith(needle),
      );
    }
    return list;
  }

  private listGroups(req: GraphRequest, base: string): GraphResponse {
    let list = this.filterGroups(req, [...this.tenant.groups.values()]);
    const orderby = req.query.get('$orderby');
    if (orderby !== null) {
      const m = /^displayName(\s+(asc|desc))?$/i.exec(orderby.trim());
      if (!m) throw fail.unsupportedQuery(`Sorting by '${orderby}' is not supported.`);
      if (req.query.has('$filter') && !isAdvanced(req)) {
        throw fail.unsupportedQuery(
          'Sorting not supported for current query. Try adding $count=true query parameter and ConsistencyLevel:eventual header.',
        );
      }
      const dir = m[2]?.toLowerCase() === 'desc' ? -1 : 1;
      list = [...list].sort((a, b) => dir * a.displayName.localeCompare(b.displayName));
    }
    const items = list.map((g) => groupJson(g));
    return page(
      req,
      items,
      `${base}/$metadata#groups`,
      [...GROUP_PROPS, ...GROUP_SELECT_ONLY],
      GROUP_PROPS,
      'group',
      100,
      999,
    );
  }

  private listDirectoryObjects(
    req: GraphRequest,
    objects: Array<Group | User>,
    cast: string | undefined,
    context: string,
  ): GraphResponse {
    let list = objects;
    if (cast !== undefined) {
      if (cast === 'microsoft.graph.group') list = list.filter(isGroup);
      else if (cast === 'microsoft.graph.user') list = list.filter((o) => !isGroup(o));
      else throw fail.segment(cast);
    }
    const filter = req.query.get('$filter');
    let items = list.map((o) =>
      isGroup(o)
        ? { '@odata.type': '#microsoft.graph.group', ...groupJson(o) }
        : { '@odata.type': '#microsoft.graph.user', ...userJson(o) },
    );
    if (filter !== null) {
      const tree = parseChecked(filter, MEMBER_FILTER, isAdvanced(req));
      items = items.filter((o) => evaluate(tree, o));
    }
    const isGroupCast = cast === 'microsoft.graph.group';
    const props = isGroupCast
      ? [...GROUP_PROPS, ...GROUP_SELECT_ONLY]
      : cast === 'microsoft.graph.user'
        ? USER_PROPS
        : [...new Set([...GROUP_PROPS, ...GROUP_SELECT_ONLY, ...USER_PROPS])];
    const defaults = isGroupCast
      ? GROUP_PROPS
      : cast === 'microsoft.graph.user'
        ? USER_DEFAULT
        : [...new Set([...GROUP_PROPS, ...USER_DEFAULT])];
    return page(
      req,
      items,
      isGroupCast ? context.replace('directoryObjects', 'groups') : context,
      props,
      defaults,
      isGroupCast ? 'group' : 'directoryObject',
      100,
      999,
    );
  }

  private patchGroup(req: GraphRequest, p: Principal, id: string): GraphResponse {
    this.require(p, GROUP_WRITE, GROUP_WRITE, this.tenant.policy.groupWriteRoles);
    const g = this.findGroup(id);
    const body = parseJsonObject(req.body);
    const writable: Record<string, 'string' | 'nullableString'> = {
      displayName: 'string',
      description: 'nullableString',
      mailNickname: 'string',
    };
    const readOnly = [
      'id',
      'mail',
      'mailEnabled',
      'securityEnabled',
      'proxyAddresses',
      'onPremisesSyncEnabled',
      'onPremisesLastSyncDateTime',
      'onPremisesSecurityIdentifier',
      'onPremisesSamAccountName',
      'createdDateTime',
      'groupTypes',
    ];
    const updates: Record<string, string | null> = {};
    for (const [rawKey, value] of Object.entries(body)) {
      if (rawKey.startsWith('@odata.')) continue;
      // Property names in request bodies are matched without regard to case (Entra's own
      // walkthrough PATCHes "DisplayName").
      const key = [...Object.keys(writable), ...readOnly].find((k) => k.toLowerCase() === rawKey.toLowerCase());
      if (!key) {
        throw fail.badRequest(
          `Property '${rawKey}' does not exist on type 'microsoft.graph.group'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (readOnly.includes(key)) throw fail.requestBadRequest(`Property '${key}' is read-only and cannot be set.`);
      const kind = writable[key]!;
      const okValue =
        typeof value === 'string'
          ? value.trim().length > 0 && value.length <= 256
          : kind === 'nullableString' && value === null;
      if (!okValue) throw fail.requestBadRequest(`Invalid value specified for property '${key}' of resource 'Group'.`);
      updates[key] = value as string | null;
    }
    // Mail-enabled groups are mastered by Exchange: their error differs from synced ones.
    if (g.kind === 'distribution' || g.kind === 'mailEnabledSecurity') {
      throw fail.requestBadRequest(
        'The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset and the security-enablement property is set.',
      );
    }
    if (this.tenant.isAdManaged(g)) {
      throw fail.requestBadRequest(
        'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
      );
    }
    if (updates.displayName !== undefined) g.displayName = updates.displayName!;
    if (updates.description !== undefined) g.description = updates.description;
    if (updates.mailNickname !== undefined) g.mailNickname = updates.mailNickname!;
    return { status: 204, headers: {} };
  }

  private syncBehavior(req: GraphRequest, p: Principal, id: string, base: string): GraphResponse {
    const m = req.method;
    if (m !== 'GET' && m !== 'PATCH') throw fail.methodNotAllowed();
    this.require(p, SOA_SCOPE, SOA_SCOPE, this.tenant.policy.soaRoles);
    const g = this.findGroup(id);
    const entity = () => ({
      '@odata.context': `${base}/$metadata#groups('${g.id}')/onPremisesSyncBehavior/$entity`,
      id: g.id,
      isCloudManaged: g.isCloudManaged,
    });
    if (m === 'GET') {
      const selected = selectList(req.query, ['id', 'isCloudManaged'], 'onPremisesSyncBehavior');
      const e = entity();
      if (!selected) return ok(e);
      return ok(Object.fromEntries(Object.entries(e).filter(([k]) => k === '@odata.context' || selected.includes(k))));
    }
    const body = parseJsonObject(req.body);
    let value: boolean | undefined;
    for (const [k, v] of Object.entries(body)) {
      if (k === '@odata.type') {
        if (v !== '#microsoft.graph.onPremisesSyncBehavior')
          throw fail.badRequest(`A type named '${String(v).replace(/^#/, '')}' could not be resolved by the model.`);
        continue;
      }
      if (k.toLowerCase() !== 'iscloudmanaged') {
        throw fail.badRequest(
          `Property '${k}' does not exist on type 'microsoft.graph.onPremisesSyncBehavior'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        );
      }
      if (typeof v !== 'boolean')
        throw fail.badRequest(`Cannot convert the literal '${JSON.stringify(v)}' to the expected type 'Edm.Boolean'.`);
      value = v;
    }
    if (value === undefined) throw fail.requestBadRequest("The request must specify the property 'isCloudManaged'.");
    if (!g.ad) {
      // Real wording for this case is not documented; the rule is (SOA applies only to
      // objects synced from AD).
      throw fail.requestBadRequest(
        'The source of authority can only be changed for objects synchronized from on-premises Active Directory.',
      );
    }
    const settings = this.ctx.settings();
    this.tenant.setCloudManaged(g, value, { user: p.kind === 'user' ? p.user : null, app: p.app }, settings);
    if (settings.soaPatchStatus === 200) return ok(entity());
    return { status: 204, headers: {} };
  }

  // ---------------------------------------------------------------- audits

  private audits(req: GraphRequest, p: Principal, rest: string[], base: string): GraphResponse {
    this.require(p, AUDIT_READ, AUDIT_READ, this.tenant.policy.auditReadRoles);
    const now = this.tenant.now();
    const visible = this.tenant.audits.filter((a) => a.visibleAt <= now);
    if (rest.length) {
      if (rest.length > 1) throw fail.segment(rest[1]!);
      const entry = visible.find((a) => a.id === rest[0]);
      if (!entry) throw fail.notFound(rest[0]!);
      return ok({ '@odata.context': `${base}/$metadata#auditLogs/directoryAudits/$entity`, ...auditJson(entry) });
    }
    let items = visible.map(auditJson);
    const filter = req.query.get('$filter');
    if (filter !== null) {
      const tree = parseChecked(filter, AUDIT_FILTER, true);
      items = items.filter((a) => evaluate(tree, a));
    }
    const orderby = (req.query.get('$orderby') ?? 'activityDateTime desc').trim();
    const om = /^activityDateTime(\s+(asc|desc))?$/i.exec(orderby);
    if (!om) throw fail.unsupportedQuery(`Sorting by '${orderby}' is not supported.`);
    const dir = om[2]?.toLowerCase() === 'desc' ? -1 : 1;
    items.sort((a, b) => dir * (Date.parse(String(a.activityDateTime)) - Date.parse(String(b.activityDateTime))));
    return page(
      req,
      items,
      `${base}/$metadata#auditLogs/directoryAudits`,
      AUDIT_PROPS,
      AUDIT_PROPS,
      'directoryAudit',
      1000,
      1000,
    );
  }

  /**
   * Provisioning logs (Cloud Sync's view of each object per cycle): the skips of cloud-managed
   * groups whose AD side had changed. Supports `$filter=activityDateTime ge <time>` only.
   */
  private provisioning(req: GraphRequest, p: Principal, base: string): GraphResponse {
    this.require(p, AUDIT_READ, AUDIT_READ, this.tenant.policy.auditReadRoles);
    let items = [...this.tenant.provisioningLog];
    const filter = req.query.get('$filter');
    if (filter !== null) {
      const m = /^activityDateTime\s+ge\s+(\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(filter.trim());
      if (!m)
        throw fail.unsupportedQuery(
          `Filter '${filter}' is not supported on provisioning logs here (only activityDateTime ge).`,
        );
      items = items.filter((e) => String(e.activityDateTime) >= m[1]!);
    }
    items.sort((a, b) => String(b.activityDateTime).localeCompare(String(a.activityDateTime)));
    const props = [
      'id',
      'activityDateTime',
      'provisioningAction',
      'provisioningStatusInfo',
      'sourceIdentity',
      'targetIdentity',
      'provisioningSteps',
      'modifiedProperties',
      'jobId',
      'cycleId',
      'changeId',
    ];
    return page(
      req,
      items,
      `${base}/$metadata#auditLogs/provisioning`,
      props,
      props,
      'provisioningObjectSummary',
      1000,
      1000,
    );
  }

  // ---------------------------------------------------------------- organization, me

  private organization(req: GraphRequest, p: Principal, rest: string[], base: string): GraphResponse {
    this.require(p, ORG_READ_DELEGATED, ORG_READ_APP);
    const o = this.tenant.organization;
    const json = {
      id: o.id,
      displayName: o.displayName,
      onPremisesSyncEnabled: o.onPremisesSyncEnabled,
      onPremisesLastSyncDateTime: o.onPremisesLastSyncDateTime,
      verifiedDomains: [
        {
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: true,
          isInitial: false,
          name: o.verifiedDomain,
          type: 'Managed',
        },
      ],
      tenantType: 'AAD',
      countryLetterCode: 'US',
      createdDateTime: '2019-01-01T00:00:00Z',
    };
    if (rest.length) {
      if (rest[0] !== o.id || rest.length > 1)
        throw rest[0] && isObjectId(rest[0]) ? fail.notFound(rest[0]) : fail.segment(rest[0] ?? '');
      return ok({
        '@odata.context': `${base}/$metadata#organization/$entity`,
        ...project(json, req.query, ORG_PROPS, ORG_PROPS, 'organization'),
      });
    }
    return ok({
      '@odata.context': `${base}/$metadata#organization`,
      value: [project(json, req.query, ORG_PROPS, ORG_PROPS, 'organization')],
    });
  }

  private me(req: GraphRequest, p: Extract<Principal, { kind: 'user' }>, rest: string[], base: string): GraphResponse {
    const user = p.user;
    if (rest.length === 0) {
      this.require(p, ME_READ, []);
      return ok({
        '@odata.context': `${base}/$metadata#users/$entity`,
        ...project(userJson(user), req.query, USER_PROPS, USER_DEFAULT, 'user'),
      });
    }
    const rel = rest[0]!;
    if (rel !== 'memberOf' && rel !== 'transitiveMemberOf') throw fail.segment(rel);
    if (rest.length > 2) throw fail.segment(rest[2]!);
    this.require(
      p,
      ['User.Read', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
      [],
    );
    const cast = rest[1];
    const roles = user.roles.map((r) => ({ '@odata.type': '#microsoft.graph.directoryRole', ...roleJson(r) }));
    const direct = [...this.tenant.groups.values()].filter((g) => g.members.includes(user.id));
    const groups = rel === 'memberOf' ? direct : this.transitiveParents(direct);
    const groupItems = groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...groupJson(g) }));
    let items: Json[];
    let context = `${base}/$metadata#directoryObjects`;
    if (cast === undefined) items = [...roles, ...groupItems];
    else if (cast === 'microsoft.graph.directoryRole') {
      items = roles;
      context = `${base}/$metadata#directoryRoles`;
    } else if (cast === 'microsoft.graph.group') {
      items = groupItems;
      context = `${base}/$metadata#groups`;
    } else throw fail.segment(cast);
    const props = [...new Set([...ROLE_PROPS, ...GROUP_PROPS])];
    return page(req, items, context, props, props, 'directoryObject', 100, 999);
  }

  private transitiveParents(direct: Group[]): Group[] {
    const seen = new Set<string>();
    const out: Group[] = [];
    const queue = [...direct];
    while (queue.length) {
      const g = queue.shift()!;
      if (seen.has(g.id)) continue;
      seen.add(g.id);
      out.push(g);
      queue.push(...[...this.tenant.groups.values()].filter((x) => x.members.includes(g.id)));
    }
    return out;
  }

  // ---------------------------------------------------------------- $batch

  private async batch(req: GraphRequest, version: string): Promise<GraphResponse> {
    const body = parseJsonObject(req.body);
    const requests = body.requests;
    if (!Array.isArray(requests) || requests.length === 0)
      throw fail.badRequest('Invalid batch payload format: a non-empty "requests" array is required.');
    if (requests.length > MAX_BATCH)
      throw fail.badRequest(`Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`);
    const ids = new Set<string>();
    type Step = {
      id: string;
      method: string;
      url: string;
      headers: Record<string, string>;
      body: unknown;
      dependsOn: string[];
    };
    const steps: Step[] = [];
    for (const raw of requests) {
      if (!raw || typeof raw !== 'object')
        throw fail.badRequest('Invalid batch payload format: each request must be an object.');
      const r = raw as Json;
      const id = r.id;
      if (typeof id !== 'string' || !id)
        throw fail.badRequest('Invalid batch payload format: each request needs a string "id".');
      if (ids.has(id)) throw fail.badRequest(`Batch request contains duplicate request id '${id}'.`);
      ids.add(id);
      if (typeof r.method !== 'string' || !/^(GET|POST|PATCH|PUT|DELETE)$/i.test(r.method))
        throw fail.badRequest(`Invalid or missing method in request '${id}'.`);
      if (typeof r.url !== 'string' || !r.url || /^https?:/i.test(r.url))
        throw fail.badRequest(`Request '${id}' must have a relative "url".`);
      const headers: Record<string, string> = {};
      if (r.headers !== undefined) {
        if (!r.headers || typeof r.headers !== 'object' || Array.isArray(r.headers))
          throw fail.badRequest(`Invalid headers in request '${id}'.`);
        for (const [k, v] of Object.entries(r.headers as Json)) headers[k.toLowerCase()] = String(v);
      }
      if (r.body !== undefined && !headers['content-type'])
        throw fail.badRequest(`Write request id : ${id} does not contain Content-Type header or body.`);
      const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
      if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
        throw fail.badRequest(`Invalid dependsOn in request '${id}'.`);
      steps.push({
        id,
        method: r.method.toUpperCase(),
        url: r.url,
        headers,
        body: r.body,
        dependsOn: dependsOn as string[],
      });
    }
    for (const s of steps) {
      for (const d of s.dependsOn) {
        const idx = steps.findIndex((x) => x.id === d);
        if (idx < 0 || idx >= steps.indexOf(s))
          throw fail.badRequest(`Request '${s.id}' depends on '${d}', which does not precede it in the batch.`);
      }
    }
    const batchId = randomUUID();
    const results = new Map<string, Promise<GraphResponse>>();
    for (const s of steps) {
      const run = async (): Promise<GraphResponse> => {
        const deps = await Promise.all(s.dependsOn.map((d) => results.get(d)!));
        if (deps.some((d) => d.status >= 400)) {
          return errorResponse(
            424,
            'FailedDependency',
            'The request could not be processed because a request it depends on failed.',
          );
        }
        let rel = s.url.startsWith('/') ? s.url : `/${s.url}`;
        // The JS SDK's BatchRequestContent strips only scheme and host from absolute URLs,
        // leaving the version segment in; accept it when it names the batch's own version.
        if (rel.startsWith(`/${version}/`)) rel = rel.slice(version.length + 1);
        const qIndex = rel.indexOf('?');
        const path = `/${version}${qIndex >= 0 ? rel.slice(0, qIndex) : rel}`;
        const query = new URLSearchParams(qIndex >= 0 ? rel.slice(qIndex + 1) : '');
        return this.handle({
          method: s.method,
          path,
          query,
          headers: { ...s.headers, authorization: req.headers.authorization },
          body: s.body === undefined ? undefined : typeof s.body === 'string' ? s.body : JSON.stringify(s.body),
          origin: req.origin,
          batchId,
          batchRequestId: s.id,
        });
      };
      results.set(s.id, run());
    }
    const responses = [];
    for (const s of steps) {
      const r = await results.get(s.id)!;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers))
        if (!['request-id', 'client-request-id'].includes(k.toLowerCase()) || k === 'request-id') headers[k] = v;
      responses.push({ id: s.id, status: r.status, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
    }
    return ok({ responses });
  }
}

// ------------------------------------------------------------------ helpers

function ok(body: unknown): GraphResponse {
  return { status: 200, headers: { 'Content-Type': JSON_TYPE }, body };
}

function faultResponse(f: Fault, requestId: string): GraphResponse {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  const status = f.status!;
  if (status === 429) return errorResponse(429, 'TooManyRequests', 'Please retry again later.', requestId, headers);
  if (status === 503)
    return errorResponse(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable. Please retry later.',
      requestId,
      headers,
    );
  if (status === 504)
    return errorResponse(504, 'gatewayTimeout', 'The gateway did not receive a timely response.', requestId, headers);
  return errorResponse(
    status,
    status >= 500 ? 'generalException' : 'BadRequest',
    `Injected fault (${status}).`,
    requestId,
    headers,
  );
}

function isGroup(o: Group | User): o is Group {
  return 'kind' in o;
}

function isEventual(req: GraphRequest): boolean {
  return (req.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

/** Advanced directory queries need ConsistencyLevel: eventual and $count=true. */
function isAdvanced(req: GraphRequest): boolean {
  return isEventual(req) && req.query.get('$count') === 'true';
}

function parseChecked(filter: string, spec: FilterSpec, advanced: boolean) {
  try {
    const tree = parseFilter(filter);
    checkFilter(tree, spec, advanced);
    return tree;
  } catch (e) {
    if (e instanceof ODataSyntaxError) throw fail.badRequest(`Invalid filter clause: ${e.message}`);
    if (e instanceof UnsupportedFilterError) throw fail.unsupportedQuery(e.message);
    throw e;
  }
}

function parseJsonObject(body: string | undefined): Json {
  if (body === undefined || body.trim() === '') throw fail.badJson();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail.badJson();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail.badJson();
  return parsed as Json;
}

function selectList(query: URLSearchParams, allowed: string[], type: string): string[] | null {
  const raw = query.get('$select');
  if (raw === null) return null;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!names.length) throw fail.badRequest('Invalid $select: the list is empty.');
  return names.map((n) => {
    const found = allowed.find((a) => a.toLowerCase() === n.toLowerCase());
    if (!found)
      throw fail.requestBadRequest(`Could not find a property named '${n}' on type 'microsoft.graph.${type}'.`);
    return found;
  });
}

/** Applies $select (or the default property set) to one object. */
function project(obj: Json, query: URLSearchParams, allowed: string[], defaults: string[] | null, type: string): Json {
  const selected = selectList(query, allowed, type);
  const keep = selected ?? defaults;
  const out: Json = {};
  if (obj['@odata.type']) out['@odata.type'] = obj['@odata.type'];
  for (const [k, v] of Object.entries(obj)) {
    if (k === '@odata.type') continue;
    if (keep === null || keep.includes(k)) out[k] = v;
  }
  if (selected) for (const s of selected) if (!(s in out) && obj['@odata.type'] === undefined) out[s] = null;
  return out;
}

const KNOWN_OPTIONS = new Set([
  '$select',
  '$filter',
  '$top',
  '$count',
  '$orderby',
  '$search',
  '$skiptoken',
  '$expand',
  '$skip',
  '$format',
]);

/** One page of a collection: $top, $skiptoken, $count and @odata.nextLink. */
function page(
  req: GraphRequest,
  items: Json[],
  context: string,
  allowed: string[],
  defaults: string[] | null,
  type: string,
  defaultSize: number,
  maxSize: number,
): GraphResponse {
  for (const key of req.query.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key))
      throw fail.badRequest(`Query option '${key}' is not supported.`);
  }
  if (req.query.has('$expand'))
    throw fail.unsupportedQuery('$expand is not supported by the local tenant on this resource.');
  if (req.query.has('$skip')) throw fail.badRequest("'$skip' is not supported by the service.");
  const countParam = req.query.get('$count');
  if (countParam !== null && countParam !== 'true' && countParam !== 'false')
    throw fail.badRequest(`Invalid value '${countParam}' for $count.`);
  const topRaw = req.query.get('$top');
  let size = defaultSize;
  if (topRaw !== null) {
    const n = Number(topRaw);
    if (!/^\d+$/.test(topRaw) || n < 1 || n > maxSize)
      throw fail.requestBadRequest(
        `Invalid page size specified: '${topRaw}'. Must be between 1 and ${maxSize} inclusive.`,
      );
    size = n;
  }
  let offset = 0;
  const token = req.query.get('$skiptoken');
  if (token !== null) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
      if (typeof parsed.o !== 'number' || parsed.o < 0 || !Number.isInteger(parsed.o)) throw new Error('bad');
      offset = parsed.o;
    } catch {
      throw fail.requestBadRequest('The specified page token value has expired or is invalid.');
    }
  }
  const selected = selectList(req.query, allowed, type);
  const slice = items.slice(offset, offset + size).map((o) => project(o, req.query, allowed, defaults, type));
  const body: Json = { '@odata.context': selected ? `${context}(${selected.join(',')})` : context };
  if (offset === 0 && isAdvanced(req)) body['@odata.count'] = items.length;
  if (offset + size < items.length) {
    const q = new URLSearchParams(req.query);
    q.delete('$skiptoken');
    q.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset + size })).toString('base64url'));
    body['@odata.nextLink'] = `${req.origin}${req.path}?${q.toString()}`;
  }
  body.value = slice;
  return ok(body);
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
    onPremisesProvisioningErrors: [],
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

function userJson(u: User): Json {
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

function roleJson(templateId: string): Json {
  return {
    id: `d1${templateId.slice(2)}`,
    deletedDateTime: null,
    description: `${ROLE_NAMES[templateId] ?? 'Directory role'} (local tenant).`,
    displayName: ROLE_NAMES[templateId] ?? templateId,
    roleTemplateId: templateId,
  };
}

function auditJson(a: AuditEntry): Json {
  const { visibleAt: _hidden, ...rest } = a;
  return JSON.parse(JSON.stringify(rest)) as Json;
}
