import assert from 'node:assert/strict';
import {
  approverStanding,
  describeApprovers,
  mayApprove,
  mayReject,
  ROLE_TEMPLATE,
  type ApprovalPolicy,
  type Decider,
} from '../../src/domain/policy';
import type { SoaRequest } from '../../src/domain/request';

const HYBRID = ROLE_TEMPLATE.hybridIdentityAdministrator;
const GLOBAL = ROLE_TEMPLATE.globalAdministrator;
const APPROVERS_GROUP = 'b1000000-0000-4000-8000-000000000001';
const policy: ApprovalPolicy = { approverRoles: [HYBRID, GLOBAL], allowSelfApproval: false };
const alex = '00000000-0000-0000-0000-0000000000020';
const megan = '00000000-0000-0000-0000-0000000000021';
/** The policy reads only who asked. */
const request = { requester: { id: alex, name: 'Alex Wilber' } } as SoaRequest;
const who = (id: string, roles: string[], groupIds: string[] = []): Decider => ({ id, roles, groupIds });
const ROLES_NEEDED =
  'Approving needs one of these directory roles, active now: Hybrid Identity Administrator, Global Administrator.';

describe('domain: who may decide a request', () => {
  it('an approver other than the requester, holding one of the roles, may approve', () => {
    assert.deepEqual(mayApprove(policy, request, who(megan, [HYBRID])), { ok: true, selfApproved: false });
    assert.deepEqual(mayApprove(policy, request, who(megan, ['some-other-role', GLOBAL])), {
      ok: true,
      selfApproved: false,
    });
  });

  it('the requester cannot approve their own request, even with the role, unless self-approval is allowed', () => {
    assert.deepEqual(mayApprove(policy, request, who(alex, [HYBRID])), {
      ok: false,
      reason: 'You requested this change, so someone else must approve it.',
    });
    const selfAllowed = { ...policy, allowSelfApproval: true };
    assert.deepEqual(mayApprove(selfAllowed, request, who(alex, [HYBRID])), { ok: true, selfApproved: true });
    assert.deepEqual(mayApprove(selfAllowed, request, who(alex, [])), { ok: false, reason: ROLES_NEEDED });
  });

  it('only the roles active now count: none of the configured ones, or a role only in group ids, is refused', () => {
    assert.deepEqual(mayApprove(policy, request, who(megan, [])), { ok: false, reason: ROLES_NEEDED });
    assert.deepEqual(mayApprove(policy, request, who(megan, [ROLE_TEMPLATE.groupsAdministrator])), {
      ok: false,
      reason: ROLES_NEEDED,
    });
    assert.equal(mayApprove(policy, request, who(megan, [], [HYBRID])).ok, false);
    // A role the bot has no name for is shown by its template id.
    const custom = { ...policy, approverRoles: ['c0ffee00-0000-4000-8000-000000000000'] };
    assert.deepEqual(approverStanding(custom, who(megan, [HYBRID])), {
      ok: false,
      reason: 'Approving needs one of these directory roles, active now: c0ffee00-0000-4000-8000-000000000000.',
    });
  });

  it('an approvers group, when configured, is needed as well as the role', () => {
    const withGroup = { ...policy, approverGroupId: APPROVERS_GROUP };
    assert.deepEqual(mayApprove(withGroup, request, who(megan, [HYBRID])), {
      ok: false,
      reason: 'Approving needs membership of the configured approvers group.',
    });
    assert.deepEqual(mayApprove(withGroup, request, who(megan, [HYBRID], [APPROVERS_GROUP])), {
      ok: true,
      selfApproved: false,
    });
    assert.deepEqual(mayApprove(withGroup, request, who(megan, [], [APPROVERS_GROUP])), {
      ok: false,
      reason: ROLES_NEEDED,
    });
  });

  it('rejecting needs the same standing, but a requester with it may reject their own request', () => {
    assert.deepEqual(mayReject(policy, request, who(alex, [HYBRID])), { ok: true, selfApproved: true });
    assert.deepEqual(mayReject(policy, request, who(megan, [])), { ok: false, reason: ROLES_NEEDED });
    assert.deepEqual(mayReject(policy, request, who(megan, [GLOBAL])), { ok: true, selfApproved: false });
  });

  it('says who may approve, in words', () => {
    assert.equal(
      describeApprovers(policy),
      'Hybrid Identity Administrator, Global Administrator, other than the requester',
    );
    const withGroup = { approverRoles: [HYBRID], approverGroupId: APPROVERS_GROUP, allowSelfApproval: true };
    assert.equal(
      describeApprovers(withGroup, 'SOA Approvers'),
      'Hybrid Identity Administrator who are members of SOA Approvers (self-approval allowed)',
    );
    assert.equal(
      describeApprovers(withGroup),
      `Hybrid Identity Administrator who are members of ${APPROVERS_GROUP} (self-approval allowed)`,
    );
  });
});
