/**
 * POST /groups/{id}/members/$ref: a member added in the cloud, refused while the group is
 * managed in AD or mastered by Exchange, written to the audit log as "Add member to group".
 */
import { noContent, type HttpReply } from '../http';
import { isObjectId } from '../object-id';
import { findGroup } from './directory-objects';
import { fail } from './errors';
import { actorOf } from './group-update';
import { requirePermission } from './permissions';
import { parseJsonObject } from './responses';
import type { Call } from './types';

const MEMBER_WRITE = ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];

export function addMemberRef(call: Call, id: string): HttpReply {
  const { req, principal: p, tenant, settings } = call;
  requirePermission(p, MEMBER_WRITE, MEMBER_WRITE, tenant.policy.groupWriteRoles);
  const g = findGroup(tenant, id);
  const body = parseJsonObject(req.body);
  const ref = body['@odata.id'];
  const keys = Object.keys(body);
  if (typeof ref !== 'string' || keys.length !== 1)
    throw fail.badRequest("The request body must hold only '@odata.id', the URL of the directory object to add.");
  const memberId = /\/directoryObjects\/([^/?#]+)$/.exec(ref)?.[1] ?? '';
  if (!isObjectId(memberId)) throw fail.invalidId(memberId || ref);
  const user = tenant.users.get(memberId);
  const group = tenant.groups.get(memberId);
  if (!user && !group) throw fail.notFound(memberId);
  if (g.kind === 'distribution' || g.kind === 'mailEnabledSecurity')
    throw fail.requestBadRequest('Cannot Update a mail-enabled security groups and or distribution list.');
  if (tenant.isAdManaged(g))
    throw fail.requestBadRequest(
      'Unable to update the specified properties for on-premises mastered Directory Sync objects ' +
        'or objects currently undergoing migration.',
    );
  if (g.members.includes(memberId))
    throw fail.requestBadRequest(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
  g.members.push(memberId);
  tenant.audit(
    {
      activityDisplayName: 'Add member to group',
      operationType: 'Assign',
      group: g,
      actor: actorOf(p),
      member: user
        ? { id: user.id, displayName: user.displayName, type: 'User', userPrincipalName: user.userPrincipalName }
        : { id: group!.id, displayName: group!.displayName, type: 'Group', userPrincipalName: null },
      modified: [
        { displayName: 'Group.ObjectID', oldValue: '', newValue: JSON.stringify(g.id) },
        { displayName: 'Group.DisplayName', oldValue: '', newValue: JSON.stringify(g.displayName) },
      ],
    },
    settings,
  );
  return noContent();
}
