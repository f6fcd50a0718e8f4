/** GET and PATCH /groups/{id}/onPremisesSyncBehavior: the group's source of authority (the switch itself). */
import { noContent, type HttpReply } from '../http';
import { findGroup } from './directory-objects';
import { fail } from './errors';
import { requirePermission, SOA_SCOPE } from './permissions';
import { selectList } from './query';
import { ok, parseJsonObject } from './responses';
import type { Call } from './types';

export function syncBehavior(call: Call, id: string): HttpReply {
  const { req, principal: p, tenant, settings, base } = call;
  const m = req.method;
  if (m !== 'GET' && m !== 'PATCH') throw fail.methodNotAllowed();
  requirePermission(p, SOA_SCOPE, SOA_SCOPE, tenant.policy.soaRoles);
  const g = findGroup(tenant, id);
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
        `Property '${k}' does not exist on type 'microsoft.graph.onPremisesSyncBehavior'. ` +
          'Make sure to only use property names that are defined by the type or mark the type as open type.',
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
  tenant.setCloudManaged(g, value, { user: p.kind === 'user' ? p.user : null, app: p.app }, settings);
  if (settings.soaPatchStatus === 200) return ok(entity());
  return noContent();
}
