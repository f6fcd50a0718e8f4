import assert from 'node:assert/strict';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';
import { FakeTokenService } from '../support/token-service';

const UNKNOWN_BUTTON = 'This button is not known to the bot any more. Type `help`.';

/**
 * Every invoke is answered over HTTP: a click the click table cannot route, and the invokes of
 * Teams features the bot does not offer. Never 501 (nothing handled it) or 500.
 */
describe('bot: every invoke gets an answer', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });

  let n = 0;
  /** A click on a card with the invoke's `value` as given (the action possibly broken). */
  const clickWith = (value: Record<string, unknown>) =>
    s.channel.click(people.megan, `card-${++n}`, 'unused', {}, { key: `inv-${n}`, value });

  it('a click whose verb is missing, null, not a string, empty or unknown: the unknown-button message', async () => {
    const actions: Array<[string, unknown]> = [
      ['verb missing', { type: 'Action.Execute', data: { requestId: 'R-ABC123' } }],
      ['verb null', { type: 'Action.Execute', verb: null, data: {} }],
      ['verb a number', { type: 'Action.Execute', verb: 42, data: {} }],
      ['verb an object', { type: 'Action.Execute', verb: { approve: true }, data: {} }],
      ['verb an array', { type: 'Action.Execute', verb: ['approve'], data: {} }],
      ['verb empty', { type: 'Action.Execute', verb: '', data: {} }],
      ['verb unknown', { type: 'Action.Execute', verb: 'deleteEverything', data: {} }],
      ['verb in another case', { type: 'Action.Execute', verb: 'APPROVE', data: {} }],
      ['not an Action.Execute', { type: 'Action.Submit', verb: 'approve', data: {} }],
      ['no type', { verb: 'approve', data: {} }],
      ['action a string', 'approve'],
      ['action null', null],
    ];
    for (const [what, action] of actions) {
      const since = s.channel.outbound.length;
      const r = await clickWith({ action });
      assert.equal(r.status, 200, `${what}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.message, UNKNOWN_BUTTON, `${what}: ${JSON.stringify(r.body)}`);
      assert.equal(s.channel.outbound.length, since, `${what}: nothing is posted or updated`);
    }
    // No action at all, and a value that is not an object.
    for (const value of [{}, { trigger: 'manual' }]) {
      const r = await s.channel.click(people.megan, 'card-x', 'unused', {}, { value: { ...value, action: undefined } });
      assert.equal(r.status, 200);
      assert.equal(r.message, UNKNOWN_BUTTON);
    }
    for (const value of [null, 'approve', 7, []]) {
      const r = await s.channel.invoke(people.megan, 'adaptiveCard/action', value as never);
      assert.equal(r.status, 200, `value ${JSON.stringify(value)}: ${r.status}`);
      assert.equal(r.body?.type, 'application/vnd.microsoft.activity.message');
      assert.equal(r.body?.value, UNKNOWN_BUTTON);
    }
  });

  it('Teams features the bot does not offer get 200 and the body Teams expects for them', async () => {
    const ask = (name: string, value: Record<string, unknown> = {}) => s.channel.invoke(people.alex, name, value);

    for (const name of ['task/fetch', 'task/submit', 'composeExtension/fetchTask']) {
      const r = await ask(name, { data: { x: 1 } });
      assert.equal(r.status, 200, name);
      assert.equal(r.body?.task?.type, 'message', `${name}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.task.value, /no dialogs/, name);
    }
    for (const name of ['composeExtension/query', 'composeExtension/selectItem', 'composeExtension/submitAction']) {
      const r = await ask(name, { commandId: 'search', parameters: [] });
      assert.equal(r.status, 200, name);
      assert.equal(r.body?.composeExtension?.type, 'message', `${name}: ${JSON.stringify(r.body)}`);
      assert.match(r.body.composeExtension.text, /no message extension/, name);
    }
    for (const name of ['config/fetch', 'config/submit']) {
      const r = await ask(name, { data: {} });
      assert.equal(r.status, 200, name);
      assert.equal(r.body?.responseType, 'config', `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.config?.type, 'message');
      assert.match(r.body.config.value, /nothing to configure/, name);
    }

    const search = await ask('application/search', { kind: 'search', queryText: 'Sec', dataset: 'groups' });
    assert.equal(search.status, 200);
    assert.deepEqual(search.body, {
      statusCode: 200,
      type: 'application/vnd.microsoft.search.searchResponse',
      value: { results: [] },
    });

    const health = await ask('healthCheck');
    assert.equal(health.status, 200);
    assert.equal(health.body?.healthResults?.success, true, JSON.stringify(health.body));

    // Acknowledged with an empty 200: Teams expects no body for these.
    for (const name of [
      'fileConsent/invoke',
      'actionableMessage/executeAction',
      'handoff/action',
      'message/submitAction',
      'composeExtension/setting',
      'composeExtension/onCardButtonClicked',
      'composeExtension/queryLink',
      'tab/fetch',
      'signin/verifyState',
      'signin/failure',
      'no/such/invoke',
      '',
    ]) {
      const r = await ask(name, { action: 'accept', continuation: 'x', actionName: 'feedback' });
      assert.equal(r.status, 200, `${JSON.stringify(name)}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.equal(r.body, undefined, `${JSON.stringify(name)}: ${JSON.stringify(r.body)}`);
    }
  });

  it('a token exchange the bot cannot take is refused with 412, so Teams falls back to the sign-in card', async () => {
    // The local stack has no OAuth connection: no sign-in route takes the exchange.
    const r = await s.channel.invoke(people.alex, 'signin/tokenExchange', {
      id: 'exchange-1',
      connectionName: 'graph',
      token: 'not-a-token',
    });
    assert.equal(r.status, 412);
    assert.equal(r.body?.id, 'exchange-1');
    assert.equal(r.body?.connectionName, 'graph');
    assert.equal(typeof r.body?.failureDetail, 'string');
    assert.doesNotMatch(JSON.stringify(r.body), /not-a-token/, 'the token is not echoed');
  });
});

describe('bot: an invoke whose turn fails is still answered', () => {
  let ft: FakeTenant;
  let tokens: FakeTokenService;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 100 } });
    tokens = await new FakeTokenService(ft).start();
    s = await startStack({ OAUTH_CONNECTION_NAME: 'graph', BOT_FRAMEWORK_OAUTH_URL: tokens.url }, ft);
  });
  after(async () => {
    await s.stop();
    await ft.close();
  });

  it('no token service: a click gets the apology with a reference, a sign-in invoke an answer', async function () {
    this.timeout(60_000);
    await tokens.stop();
    // teams-ai fails reading the clicker's token before any route runs: the turn's error handler answers.
    const since = s.channel.outbound.length;
    const click = await s.channel.click(people.megan, 'card-1', 'approve', { requestId: 'R-ABC123', version: 1 });
    assert.equal(click.status, 200, JSON.stringify(click.body));
    assert.match(
      click.message ?? '',
      /^Something went wrong on my side \(reference [0-9a-f]{8}\)\. Nothing was changed\.$/,
    );
    assert.equal(s.channel.outbound.length, since, 'said to the clicker only, not posted');

    const verify = await s.channel.invoke(people.megan, 'signin/verifyState', { state: '123456' });
    assert.equal(verify.status, 200);
    await s.channel.waitFor(
      (o) => /Something went wrong on my side \(reference/.test(o.activity.text ?? ''),
      10_000,
      since,
    );
  });
});
