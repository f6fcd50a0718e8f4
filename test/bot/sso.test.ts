import assert from 'node:assert/strict';
import { GROUP } from '../../src/fake-tenant/seed';
import { cardText, type Outbound } from '../support/connector';
import { FakeTokenService } from '../support/token-service';
import { ssoToken, startTestTenant } from '../support/fake-tenant';
import { people, requestCard as requestApproval, soaPatches, startStack, type Stack } from '../support/stack';
import type { FakeTenant } from '../../src/fake-tenant/server';

describe('bot: Teams SSO through an OAuth connection, then on-behalf-of', () => {
  let ft: FakeTenant;
  let tokens: FakeTokenService;
  let s: Stack;
  beforeEach(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    tokens = await new FakeTokenService(ft).start();
    s = await startStack({ OAUTH_CONNECTION_NAME: 'graph', BOT_FRAMEWORK_OAUTH_URL: tokens.url }, ft);
  });
  afterEach(async () => {
    await s.stop();
    await tokens.stop();
    await ft.close();
  });

  const requestCard = () => requestApproval(s, undefined, undefined, { ackSyncVersions: 'true' });
  const patches = () => soaPatches(s, GROUP.secGroup2);

  it('an approver without a token gets the sign-in request (401 loginRequest) and nothing changes', async () => {
    const { msg, data } = await requestCard();
    const r = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.equal(r.status, 200);
    assert.equal(r.body.statusCode, 401);
    assert.equal(r.body.type, 'application/vnd.microsoft.activity.loginRequest');
    assert.equal(r.body.value.connectionName, 'graph');
    assert.equal(r.body.value.buttons[0].type, 'signin');
    assert.match(r.body.value.buttons[0].value, /^https:\/\//);
    assert.equal(r.body.value.tokenExchangeResource.uri, 'api://botid-6d7e1c52-9a3b-4f0e-8c21-5b4a3f2e1d90');
    assert.equal((await patches()).length, 0);
    assert.equal((await s.bot.service.get(String(data.requestId)))!.state, 'awaiting_approval');
  });

  it(
    'Teams retries the click with the SSO token: exchanged by the token service, then the switch ' +
      "runs with the approver's identity",
    async () => {
      const { msg, data } = await requestCard();
      const teamsToken = await ssoToken(ft, people.megan.aadObjectId);
      const r = await s.channel.click(people.megan, msg.id, 'approve', data, {
        value: { authentication: { id: 'x', connectionName: 'graph', token: teamsToken } },
      });
      assert.match(cardText(r.card), /Approved by Megan Bowen/);
      await s.channel.waitFor((o) => /Audit log:.*initiated by Megan Bowen/.test(o.activity.text ?? ''));
      assert.deepEqual(
        (await patches()).map((p) => p.userId),
        [people.megan.aadObjectId],
      );
      assert.ok(tokens.calls.some((c) => c.op === 'exchange' && c.userId === `29:${people.megan.aadObjectId}`));
      assert.ok(
        tokens.calls.filter((c) => c.op === 'GetToken' && c.userId === `29:${people.megan.aadObjectId}`).length >= 2,
        'the worker fetched the token again from the token service',
      );
    },
  );

  it('a token that cannot be exchanged: 412 precondition failed, so Teams falls back to the sign-in card', async () => {
    const { msg, data } = await requestCard();
    const alexToken = await ssoToken(ft, people.alex.aadObjectId);
    const r = await s.channel.click(people.megan, msg.id, 'approve', data, {
      value: { authentication: { id: 'x', connectionName: 'graph', token: alexToken } },
    });
    assert.equal(r.body.statusCode, 412);
    assert.equal(r.body.type, 'application/vnd.microsoft.error.preconditionFailed');
    assert.equal((await patches()).length, 0);
  });

  it('sign-in with a magic code (verify state): the retried click carries the code and proceeds', async () => {
    const { msg, data } = await requestCard();
    await tokens.pendingSignIn(`29:${people.megan.aadObjectId}`, '493021');
    const r = await s.channel.click(people.megan, msg.id, 'approve', data, { value: { state: '493021' } });
    assert.match(cardText(r.card), /Approved by Megan Bowen/);
    await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
    assert.equal((await patches()).length, 1);
  });

  it(
    'the acting user is the one who clicked: a held token ' + 'of another Entra user is refused before any Graph call',
    async () => {
      const { msg, data } = await requestCard();
      // The token service holds Megan's (an approver's) token under Lee's Teams id: a mix-up the
      // bot must not turn into Lee approving with Megan's rights.
      tokens.hold(`29:${people.lee.aadObjectId}`, 'graph', await ssoToken(ft, people.megan.aadObjectId));
      const graphBefore = (await s.graphRequests(() => true)).length;
      const r = await s.channel.click(people.lee, msg.id, 'approve', data);
      assert.equal(r.status, 200);
      assert.match(r.message ?? cardText(r.card), /belongs to another Entra user, so nothing was done/);
      assert.equal(
        (await s.graphRequests(() => true)).length,
        graphBefore,
        'no Graph call, so no on-behalf-of exchange either',
      );
      assert.equal((await patches()).length, 0);
      const req = (await s.bot.service.get(String(data.requestId)))!;
      assert.equal(req.state, 'awaiting_approval');
      assert.equal(req.approver, undefined);
      // Megan's own click still works.
      const ok = await s.channel.click(people.megan, msg.id, 'approve', data, {
        value: {
          authentication: { id: 'x', connectionName: 'graph', token: await ssoToken(ft, people.megan.aadObjectId) },
        },
      });
      assert.match(cardText(ok.card), /Approved by Megan Bowen/);
    },
  );

  describe('message sign-in (`sign in`)', () => {
    const oauthCard = (o: Outbound) =>
      (o.activity.attachments ?? []).find(
        (a: { contentType?: string }) => a.contentType === 'application/vnd.microsoft.card.oauth',
      );
    const signedIn = (name: string) => (o: Outbound) =>
      new RegExp(`signed in as \\*\\*${name}\\*\\*`).test(o.activity.text ?? '');

    it(
      'sends the OAuth card for SSO; Teams answers with signin/tokenExchange and the bot reports who ' +
        'the user is to Entra ID',
      async () => {
        const since = s.channel.outbound.length;
        await s.channel.say(people.megan, 'sign in');
        const card = oauthCard(await s.channel.waitFor((o) => !!oauthCard(o), 10_000, since));
        assert.equal(card.content.connectionName, 'graph');
        assert.equal(card.content.tokenExchangeResource.uri, 'api://botid-6d7e1c52-9a3b-4f0e-8c21-5b4a3f2e1d90');
        assert.equal(card.content.buttons[0].type, 'signin');
        // The invoke Teams sends when it obtained the SSO token silently.
        const r = await s.channel.invoke(people.megan, 'signin/tokenExchange', {
          id: 'exchange-1',
          connectionName: 'graph',
          token: await ssoToken(ft, people.megan.aadObjectId),
        });
        assert.equal(r.status, 200);
        const reply = await s.channel.waitFor(signedIn('Megan Bowen'), 10_000, since);
        assert.match(reply.activity.text, /Hybrid Identity Administrator.*You can approve requests/);
        assert.ok(tokens.calls.some((c) => c.op === 'exchange' && c.userId === `29:${people.megan.aadObjectId}`));
      },
    );

    it(
      'a token the service cannot exchange gets 412 on ' + 'signin/tokenExchange, so Teams shows the sign-in button',
      async () => {
        const since = s.channel.outbound.length;
        await s.channel.say(people.megan, 'sign in');
        await s.channel.waitFor((o) => !!oauthCard(o), 10_000, since);
        const r = await s.channel.invoke(people.megan, 'signin/tokenExchange', {
          id: 'exchange-2',
          connectionName: 'graph',
          token: await ssoToken(ft, people.alex.aadObjectId),
        });
        assert.equal(r.status, 412);
        assert.equal(r.body.id, 'exchange-2');
        assert.equal(r.body.connectionName, 'graph');
        assert.ok(r.body.failureDetail);
        assert.ok(!s.channel.outbound.slice(since).some(signedIn('Megan Bowen')));
      },
    );

    it('the sign-in card fallback: signin/verifyState with the magic code completes it', async () => {
      const since = s.channel.outbound.length;
      await s.channel.say(people.lee, 'sign in', { kind: 'channel' });
      await s.channel.waitFor((o) => !!oauthCard(o), 10_000, since);
      await tokens.pendingSignIn(`29:${people.lee.aadObjectId}`, '770112');
      const r = await s.channel.invoke(people.lee, 'signin/verifyState', { state: '770112' }, { kind: 'channel' });
      assert.equal(r.status, 200);
      const reply = await s.channel.waitFor(signedIn('Lee Gu'), 10_000, since);
      assert.match(reply.activity.text, /You cannot approve requests: Approving needs one of these directory roles/);
    });

    it(
      'already signed in: `sign in` answers at once; ' + '`sign out` removes the token from the token service',
      async () => {
        await s.channel.invoke(people.megan, 'signin/tokenExchange', {
          id: 'exchange-3',
          connectionName: 'graph',
          token: await ssoToken(ft, people.megan.aadObjectId),
        });
        const since = s.channel.outbound.length;
        await s.channel.say(people.megan, 'sign in');
        await s.channel.waitFor(signedIn('Megan Bowen'), 10_000, since);
        assert.ok(
          !s.channel.outbound.slice(since).some((o) => !!oauthCard(o)),
          'no sign-in card when the token service has a token',
        );
        await s.channel.say(people.megan, 'sign out');
        await s.channel.waitFor((o) => /You are signed out/.test(o.activity.text ?? ''), 10_000, since);
        assert.ok(tokens.calls.some((c) => c.op === 'SignOut' && c.userId === `29:${people.megan.aadObjectId}`));
      },
    );
  });
});
