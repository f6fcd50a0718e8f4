import assert from 'node:assert/strict';
import { admin } from '../support/fake-tenant';
import { people, requestCard, startStack, type Stack } from '../support/stack';

type TokenCall = { grantType: string; status: number };

/** Token acquisition must not add a round trip per Graph call. */
describe('bot: token-endpoint calls', () => {
  let s: Stack;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s.stop();
  });
  beforeEach(async () => {
    await admin(s.tenant, 'POST', '/_fake/reset');
  });

  const onBehalfOf = async () =>
    (await admin<TokenCall[]>(s.tenant, 'GET', '/_fake/token-requests')).body.filter(
      (t) => t.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );

  it(
    "one on-behalf-of exchange serves an approver's roles, re-check, PATCH and read-back; the next " +
      'click reuses it',
    async () => {
      const first = await requestCard(s);
      await admin(s.tenant, 'DELETE', '/_fake/token-requests');
      await s.channel.click(people.megan, first.msg.id, 'approve', { ...first.data, ackSyncVersions: 'true' });
      await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''));
      assert.equal((await onBehalfOf()).length, 1, 'four Graph calls as Megan, one exchange');

      const second = await requestCard(s, 'move SecGroup1 to cloud');
      await s.channel.click(people.megan, second.msg.id, 'approve', { ...second.data, ackSyncVersions: 'true' });
      await s.channel.waitFor((o) => /Audit log:.*SecGroup1|SecGroup1.*Audit log:/.test(o.activity.text ?? ''));
      assert.equal((await onBehalfOf()).length, 1, 'the same assertion: no new exchange');
    },
  );
});

describe('bot: what is cached between cards', () => {
  let s: Stack;
  before(async () => {
    s = await startStack({ TENANT_CACHE_SECONDS: '60' });
  });
  after(async () => {
    await s.stop();
  });

  it(
    "the tenant's sync state is read for the first card and reused for the next ones within its " +
      'lifetime; SOA state never is',
    async () => {
      await admin(s.tenant, 'DELETE', '/_fake/requests');
      await s.channel.say(people.alex, 'check SecGroup1');
      await s.channel.say(people.alex, 'check SecGroup2');
      const log = await s.graphRequests();
      assert.equal(
        log.filter((e) => e.path.endsWith('/organization')).length,
        1,
        'one organization read for two cards',
      );
      assert.equal(
        log.filter((e) => /onPremisesSyncBehavior\/isCloudManaged/.test(decodeURIComponent(e.query))).length,
        2,
        'SOA state read for each card',
      );
    },
  );
});
