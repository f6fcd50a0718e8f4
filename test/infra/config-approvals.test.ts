/** The approval settings: APPROVALS_REQUIRED, SECOND_STAGE_GROUP_ID, SECOND_STAGE_APPROVALS. */
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, LOCAL_TENANT_ID } from '../../src/fake-tenant/seed';

const local = {
  AAD_APP_CLIENT_ID: LOCAL_BOT_APP_ID,
  // The fake tenant's local-only client secret (env/.env.playground), not a real one.
  AAD_APP_CLIENT_SECRET: LOCAL_BOT_SECRET,
  AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
};
const CAB = 'C0000000-0000-4000-8000-0000000000AB';

function problems(env: Record<string, string>): string {
  try {
    loadConfig({ ...local, ...env }, '/srv/bot');
    return '';
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
}

describe('configuration: how many approvals a request needs', () => {
  it('defaults to one approval and no second stage', () => {
    const c = loadConfig(local, '/srv/bot');
    assert.equal(c.policy.approvalsRequired, 1);
    assert.equal(c.policy.secondStage, undefined);
  });

  it('reads the quorum and the second stage (the group id in lower case)', () => {
    const c = loadConfig({ ...local, APPROVALS_REQUIRED: '2', SECOND_STAGE_GROUP_ID: CAB }, '/srv/bot');
    assert.equal(c.policy.approvalsRequired, 2);
    assert.deepEqual(c.policy.secondStage, { groupId: CAB.toLowerCase(), approvals: 1 });
    const three = loadConfig({ ...local, SECOND_STAGE_GROUP_ID: CAB, SECOND_STAGE_APPROVALS: '3' }, '/srv/bot');
    assert.equal(three.policy.secondStage?.approvals, 3);
  });

  it('names a count below 1 or not a whole number, a group that is not an id, and a count without its group', () => {
    for (const v of ['0', '-1', 'two', '1.5'])
      assert.match(
        problems({ APPROVALS_REQUIRED: v }),
        new RegExp(`APPROVALS_REQUIRED must be a whole number of approvals, 1 or more, not '${v.replace('.', '\\.')}'`),
      );
    assert.match(
      problems({ SECOND_STAGE_GROUP_ID: 'Change Board' }),
      /SECOND_STAGE_GROUP_ID must be a group object id/,
    );
    assert.match(
      problems({ SECOND_STAGE_GROUP_ID: CAB, SECOND_STAGE_APPROVALS: '0' }),
      /SECOND_STAGE_APPROVALS must be a whole number/,
    );
    assert.match(problems({ SECOND_STAGE_APPROVALS: '2' }), /SECOND_STAGE_APPROVALS needs SECOND_STAGE_GROUP_ID/);
  });
});
