/**
 * A quorum where one approver must first sign in with MFA (Isaiah Langer, the fake tenant's
 * Hybrid Identity Administrator whose on-behalf-of exchange needs it): his approval waits for
 * the sign-in while another approver's is counted, then finishes as the counted approval that
 * completes the quorum, and the switch runs with his token.
 */
import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { cardText, type Outbound } from '../support/connector';
import { ssoToken, startTestTenant } from '../support/fake-tenant';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';
import { FakeTokenService } from '../support/token-service';

const LOGIN_REQUEST = 'application/vnd.microsoft.activity.loginRequest';
type User = (typeof people)[keyof typeof people];

describe('bot: a quorum with an approver asked for MFA', () => {
  let ft: FakeTenant;
  let tokens: FakeTokenService;
  let s: Stack;
  afterEach(async () => {
    await s?.stop();
    await tokens?.stop();
    await ft?.close();
  });

  /** `who` clicks Approve; Teams signs them in silently (SSO) and sends the click again with that token. */
  async function approveWithSso(who: User, msg: Outbound, data: Record<string, unknown>) {
    const first = await s.channel.click(who, msg.id, 'approve', data);
    assert.equal(first.body.type, LOGIN_REQUEST);
    return s.channel.click(who, msg.id, 'approve', data, {
      value: { authentication: { id: 'x', connectionName: 'graph', token: await ssoToken(ft, who.aadObjectId) } },
    });
  }

  it('the approval waiting for the sign-in survives a counted one and completes the quorum', async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    tokens = await new FakeTokenService(ft).start();
    s = await startStack(
      { OAUTH_CONNECTION_NAME: 'graph', BOT_FRAMEWORK_OAUTH_URL: tokens.url, APPROVALS_REQUIRED: '2' },
      ft,
    );
    const { msg, data } = await requestCard(s, undefined, undefined, { ackSyncVersions: 'true' });
    const isaiah = await approveWithSso(people.isaiah, msg, data);
    assert.equal(isaiah.body.type, LOGIN_REQUEST, 'asked to sign in with MFA');
    const megan = await approveWithSso(people.megan, msg, data);
    assert.match(cardText(megan.card), /1 of 2 approvals: Megan Bowen/);
    const waiting = (await s.bot.service.get(String(data.requestId)))!;
    assert.deepEqual(
      [waiting.state, waiting.signInsPending?.map((p) => p.approver.id)],
      ['awaiting_approval', [people.isaiah.aadObjectId]],
    );

    await tokens.pendingSignIn(`29:${people.isaiah.aadObjectId}`, '612345');
    const after = await s.channel.click(people.isaiah, msg.id, 'approve', data, { value: { state: '612345' } });
    assert.match(cardText(after.card), /2 of 2 approvals: Megan Bowen .*Isaiah Langer/);
    await s.channel.waitFor((o) => /Audit log:.*initiated by Isaiah Langer/.test(o.activity.text ?? ''), 15_000);
    await s.bot.service.idle();
    assert.deepEqual(
      (await soaPatches(s, GROUP.secGroup2)).map((p) => p.userId),
      [people.isaiah.aadObjectId],
    );
  });
});
