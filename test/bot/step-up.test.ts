/**
 * Entra ID asks an approver for multi-factor authentication before the bot may act for them
 * (Conditional Access at the on-behalf-of exchange: AADSTS50076 with a claims challenge). Isaiah
 * Langer is the fake tenant's Hybrid Identity Administrator whose exchange needs MFA; his Teams
 * SSO token has none, an interactive sign-in through the OAuth connection has it.
 */
import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { cardText, type Outbound } from '../support/connector';
import { admin, ssoToken, startTestTenant } from '../support/fake-tenant';
import { people, requestCard as requestApproval, soaPatches, startStack, type Stack } from '../support/stack';
import { FakeTokenService } from '../support/token-service';

const ISAIAH = `29:${people.isaiah.aadObjectId}`;
const LOGIN_REQUEST = 'application/vnd.microsoft.activity.loginRequest';

describe('bot: step-up sign-in when Entra ID asks an approver for MFA', () => {
  let ft: FakeTenant;
  let tokens: FakeTokenService;
  let s: Stack;
  const start = async (env: Record<string, string> = {}) => {
    ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    tokens = await new FakeTokenService(ft).start();
    s = await startStack({ OAUTH_CONNECTION_NAME: 'graph', BOT_FRAMEWORK_OAUTH_URL: tokens.url, ...env }, ft);
  };
  afterEach(async () => {
    await s?.stop();
    await tokens?.stop();
    await ft?.close();
  });

  const requestCard = () => requestApproval(s, undefined, undefined, { ackSyncVersions: 'true' });
  const patches = () => soaPatches(s, GROUP.secGroup2);
  const stored = async (id: unknown) => (await s.bot.service.get(String(id)))!;
  const ops = (op: string) => tokens.calls.filter((c) => c.op === op && c.userId === ISAIAH);

  /** Isaiah clicks Approve; Teams signs him in silently (SSO) and sends the click again with that token. */
  async function approveWithSso(msg: Outbound, data: Record<string, unknown>, beforeRetry = () => {}) {
    const first = await s.channel.click(people.isaiah, msg.id, 'approve', data);
    assert.equal(first.body.type, LOGIN_REQUEST, 'no token yet: the usual sign-in request, with SSO');
    assert.ok(first.body.value.tokenExchangeResource);
    beforeRetry();
    return s.channel.click(people.isaiah, msg.id, 'approve', data, {
      value: {
        authentication: { id: 'x', connectionName: 'graph', token: await ssoToken(ft, people.isaiah.aadObjectId) },
      },
    });
  }

  it(
    'Approve → the MFA sign-in prompt (no PATCH) → an interactive sign-in with MFA → the same approval ' +
      'runs without another click: one PATCH by Isaiah',
    async () => {
      await start();
      const { msg, data } = await requestCard();
      const r = await approveWithSso(msg, data);
      assert.equal(r.status, 200);
      assert.equal(r.body.statusCode, 401);
      assert.equal(r.body.type, LOGIN_REQUEST);
      assert.equal(r.body.value.connectionName, 'graph');
      assert.equal(r.body.value.tokenExchangeResource, undefined, 'no silent SSO: it would bring back the same token');
      assert.equal(r.body.value.buttons[0].type, 'signin');
      assert.match(r.body.value.buttons[0].value, /^https:\/\//);
      assert.match(r.body.value.text, /Entra ID asks for multi-factor authentication \(AADSTS50076\)/);
      assert.equal((await patches()).length, 0);
      assert.ok(ops('SignOut').length >= 1, 'the sign-in without MFA was ended at the token service');
      assert.equal(tokens.holds(ISAIAH, 'graph'), false);
      const waiting = await stored(data.requestId);
      assert.equal(waiting.state, 'awaiting_approval');
      assert.deepEqual(
        waiting.signInsPending?.map((p) => [p.approver.id, p.cardVersion, p.syncVersionsAcknowledged, p.aadsts]),
        [[people.isaiah.aadObjectId, Number(data.version), true, 50076]],
      );

      // Isaiah signs in on Entra ID's page (with MFA); Teams sends the click again with the code.
      await tokens.pendingSignIn(ISAIAH, '612345');
      const after = await s.channel.click(people.isaiah, msg.id, 'approve', data, { value: { state: '612345' } });
      assert.match(cardText(after.card), /Approved by Isaiah Langer/);
      await s.channel.waitFor((o) => /Audit log:.*initiated by Isaiah Langer/.test(o.activity.text ?? ''), 15_000);
      assert.deepEqual(
        (await patches()).map((p) => [p.userId, p.status]),
        [[people.isaiah.aadObjectId, 204]],
      );
      assert.equal((await stored(data.requestId)).signInsPending, undefined);
    },
  );

  it('a sign-in that does not include MFA: says so, no second prompt, nothing switched', async () => {
    await start();
    const { msg, data } = await requestCard();
    assert.equal((await approveWithSso(msg, data)).body.type, LOGIN_REQUEST);
    // The sign-in page did not ask for MFA (the policy does not cover signing in to the bot).
    await tokens.pendingSignIn(ISAIAH, '700001', { mfa: false });
    const since = s.channel.outbound.length;
    const r = await s.channel.click(people.isaiah, msg.id, 'approve', data, { value: { state: '700001' } });
    assert.equal(r.body.type, 'application/vnd.microsoft.activity.message', 'answered, not asked again');
    assert.match(
      r.message ?? '',
      /Isaiah Langer signed in again, but Entra ID still asks for multi-factor authentication \(AADSTS50076\)/,
    );
    assert.match(r.message ?? '', /nothing was switched.*Conditional Access policy does not cover signing in/);
    const line = await s.channel.waitFor(
      (o) => /signed in again, but Entra ID/.test(o.activity.text ?? ''),
      5000,
      since,
    );
    assert.equal(line.conversationId, msg.conversationId, 'said in the request conversation');
    assert.equal((await patches()).length, 0);
    const req = await stored(data.requestId);
    assert.equal(req.state, 'awaiting_approval');
    assert.equal(req.approver, undefined);
    assert.equal(req.signInsPending, undefined);
  });

  it(
    'Conditional Access block (53003) stays a block: after the MFA sign-in it is said with its code, ' +
      'and never turned into a sign-in prompt',
    async () => {
      await start();
      const { msg, data } = await requestCard();
      assert.equal((await approveWithSso(msg, data)).body.type, LOGIN_REQUEST);
      // Isaiah signs in with MFA, but meanwhile a policy blocks him outright.
      await admin(ft, 'PATCH', `/_fake/users/${people.isaiah.aadObjectId}`, { signIn: 'blocked' });
      await tokens.pendingSignIn(ISAIAH, '530031');
      const links = () => tokens.calls.filter((c) => c.op === 'GetSignInResource').length;
      const before = { links: links(), signOuts: ops('SignOut').length };
      const since = s.channel.outbound.length;
      const r = await s.channel.click(people.isaiah, msg.id, 'approve', data, { value: { state: '530031' } });
      assert.equal(r.body.type, 'application/vnd.microsoft.activity.message');
      assert.match(r.message ?? '', /Isaiah Langer signed in, but nothing was done on R-\w+ \(AADSTS53003\)/);
      assert.match(r.message ?? '', /Conditional Access policy blocked the sign-in.*Ask your identity team/);
      await s.channel.waitFor((o) => /\(AADSTS53003\)/.test(o.activity.text ?? ''), 5000, since);
      assert.equal(links(), before.links, 'no sign-in link asked for after the block');
      assert.equal(ops('SignOut').length, before.signOuts, 'the sign-in is kept: signing in again cannot lift a block');
      assert.equal((await patches()).length, 0);
      const req = await stored(data.requestId);
      assert.equal(req.state, 'awaiting_approval');
      assert.equal(req.signInsPending, undefined);

      // Clicked afresh, the block is answered as one: no prompt.
      const again = await s.channel.click(people.isaiah, msg.id, 'approve', data);
      assert.match(again.message ?? '', /Conditional Access policy blocked the sign-in/);
      assert.equal(links(), before.links);
    },
  );

  describe('a click answered before Entra ID refused (past the click-answer budget)', () => {
    const oauthCard = (o: Outbound) =>
      (o.activity.attachments ?? []).find(
        (a: { contentType?: string }) => a.contentType === 'application/vnd.microsoft.card.oauth',
      );

    /** Isaiah's approval is slowed past the 50 ms budget at the exchange; the prompt comes into the thread. */
    async function promptInThread(extra: Record<string, unknown> = {}) {
      await start({ CLICK_ANSWER_BUDGET_MS: '50' });
      const { msg, data } = await requestCard();
      tokens.hold(ISAIAH, 'graph', await ssoToken(ft, people.isaiah.aadObjectId));
      await admin(ft, 'POST', '/_fake/faults', { match: '/oauth2/v2\\.0/token$', delayMs: 400, count: 1 });
      const since = s.channel.outbound.length;
      const r = await s.channel.click(people.isaiah, msg.id, 'approve', { ...data, ...extra });
      assert.match(r.message ?? '', /card updates in a moment/);
      const prompt = await s.channel.waitFor((o) => !!oauthCard(o), 10_000, since);
      return { msg, data, prompt, card: oauthCard(prompt) };
    }

    it('an OAuth card names Isaiah in the thread; its sign-in (verifyState) finishes the approval', async () => {
      const { msg, data, prompt, card } = await promptInThread();
      assert.equal(prompt.conversationId, msg.conversationId);
      assert.match(prompt.activity.text, /<at>Isaiah Langer<\/at>: Entra ID asks for multi-factor authentication/);
      assert.equal(prompt.activity.entities[0].mentioned.id, ISAIAH);
      assert.equal(card.content.connectionName, 'graph');
      assert.equal(card.content.tokenExchangeResource, undefined);
      assert.equal(card.content.buttons[0].type, 'signin');
      assert.ok(ops('GetSignInResource').length >= 1, "the sign-in link is Isaiah's own");
      assert.equal((await patches()).length, 0);

      await tokens.pendingSignIn(ISAIAH, '845120');
      const since = s.channel.outbound.length;
      const done = await s.channel.invoke(people.isaiah, 'signin/verifyState', { state: '845120' });
      assert.equal(done.status, 200);
      const update = await s.channel.waitFor(
        (o) => o.kind === 'update' && o.id === msg.id && /Approved by Isaiah Langer/.test(cardText(o.activity)),
        10_000,
        since,
      );
      assert.ok(update);
      await s.channel.waitFor((o) => /Audit log:.*initiated by Isaiah Langer/.test(o.activity.text ?? ''), 15_000);
      assert.deepEqual(
        (await patches()).map((p) => p.userId),
        [people.isaiah.aadObjectId],
      );
      assert.equal((await stored(data.requestId)).signInsPending, undefined);
    });

    it('the "still needed in AD" toggle waits with the approval; after the sign-in, the checklist', async () => {
      const { data } = await promptInThread({ stillNeededInAd: 'true' });
      assert.equal((await stored(data.requestId)).signInsPending?.[0]?.stillNeededInAd, true);
      await tokens.pendingSignIn(ISAIAH, '845120');
      await s.channel.invoke(people.isaiah, 'signin/verifyState', { state: '845120' });
      await s.channel.waitFor((o) => /marked still needed in AD/.test(o.activity.text ?? ''), 15_000);
      assert.equal((await stored(data.requestId)).stillNeededInAd?.by.name, 'Isaiah Langer');
    });

    it('a sign-in that does not complete: said in the thread, nothing switched', async () => {
      const { data } = await promptInThread();
      const since = s.channel.outbound.length;
      const r = await s.channel.invoke(people.isaiah, 'signin/verifyState', { state: '999999' });
      assert.equal(r.status, 404);
      await s.channel.waitFor(
        (o) => /Isaiah Langer: the sign-in for R-\w+ did not complete/.test(o.activity.text ?? ''),
        5000,
        since,
      );
      assert.equal((await patches()).length, 0);
      const req = await stored(data.requestId);
      assert.equal(req.state, 'awaiting_approval');
      assert.equal(req.signInsPending, undefined);
    });
  });
});
