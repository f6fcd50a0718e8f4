/**
 * /auditLogs: directory audits (each switch and rollback, visible after the tenant's audit
 * delay) and provisioning logs (the sync client's skips of cloud-managed groups).
 */
import type { HttpReply } from '../http';
import type { AuditEntry } from '../model';
import type { FilterSpec } from '../odata/check';
import { evaluate } from '../odata/evaluate';
import { fail } from './errors';
import { AUDIT_READ, requirePermission } from './permissions';
import { parseChecked } from './query';
import { ok, page } from './responses';
import type { Call, Json } from './types';

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
const PROVISIONING_PROPS = [
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

/** `rest`: the path segments after /auditLogs. */
export function auditLogs(call: Call, rest: string[]): HttpReply {
  if (call.req.method !== 'GET') throw fail.methodNotAllowed();
  if (rest[0] === 'provisioning' && rest.length === 1) return provisioning(call);
  if (rest[0] !== 'directoryAudits') throw fail.segment(rest[0] ?? 'auditLogs');
  return audits(call, rest.slice(1));
}

function auditJson(a: AuditEntry): Json {
  const { visibleAt: _hidden, ...rest } = a;
  return JSON.parse(JSON.stringify(rest)) as Json;
}

function audits(call: Call, rest: string[]): HttpReply {
  const { req, principal: p, tenant, base } = call;
  requirePermission(p, AUDIT_READ, AUDIT_READ, tenant.policy.auditReadRoles);
  const now = tenant.now();
  const visible = tenant.audits.filter((a) => a.visibleAt <= now);
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
function provisioning(call: Call): HttpReply {
  const { req, principal: p, tenant, base } = call;
  requirePermission(p, AUDIT_READ, AUDIT_READ, tenant.policy.auditReadRoles);
  let items = [...tenant.provisioningLog];
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
  return page(
    req,
    items,
    `${base}/$metadata#auditLogs/provisioning`,
    PROVISIONING_PROPS,
    PROVISIONING_PROPS,
    'provisioningObjectSummary',
    1000,
    1000,
  );
}
