/** /organization: the tenant itself (a one-item collection, or by id). */
import type { HttpReply } from '../http';
import { isObjectId } from '../object-id';
import { fail } from './errors';
import { ORG_READ_APP, ORG_READ_DELEGATED, requirePermission } from './permissions';
import { project } from './query';
import { ok } from './responses';
import type { Call } from './types';

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

/** `rest`: the path segments after /organization. */
export function organization(call: Call, rest: string[]): HttpReply {
  const { req, principal: p, tenant, base } = call;
  if (req.method !== 'GET') throw fail.methodNotAllowed();
  requirePermission(p, ORG_READ_DELEGATED, ORG_READ_APP);
  const o = tenant.organization;
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
