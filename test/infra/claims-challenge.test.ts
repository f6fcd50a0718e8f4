/**
 * The claims challenge of a Conditional Access refusal at the on-behalf-of exchange: the real
 * @azure/identity credential and Graph client against the fake tenant, whose MFA user (Isaiah)
 * is refused with AADSTS50076 and a claims value until his sign-in shows MFA.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { isCoded, type CodedError } from '../../src/domain/errors';
import type { Person } from '../../src/domain/request';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, USER } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { GraphDirectoryFactory } from '../../src/infra/graph/directory';
import { pinoLogger } from '../../src/infra/logging';
import { systemClock } from '../../src/ports/clock';
import type { UserTokenSource } from '../../src/ports/tokens';
import { admin, ssoToken, startTestTenant } from '../support/fake-tenant';

const isaiah: Person = { id: USER.isaiah, name: 'Isaiah Langer', channelUserId: `29:${USER.isaiah}` };

/** Where the user's Teams sign-in comes from: the fake tenant's SSO token, with or without MFA. */
class Sso implements UserTokenSource {
  mfa = false;
  readonly signedOut: string[] = [];
  constructor(private readonly ft: FakeTenant) {}
  assertionFor(user: Person): Promise<string> {
    return ssoToken(this.ft, user.id, { mfa: this.mfa });
  }
  async signOut(user: Person): Promise<void> {
    this.signedOut.push(user.id);
  }
}

async function refusal(fn: () => Promise<unknown>): Promise<CodedError> {
  try {
    await fn();
  } catch (e) {
    if (isCoded(e)) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Graph edge: a Conditional Access claims challenge at the on-behalf-of exchange', () => {
  let ft: FakeTenant;
  let sso: Sso;
  let directory: GraphDirectoryFactory;
  before(async () => {
    ft = await startTestTenant();
  });
  after(async () => {
    await ft.close();
  });
  beforeEach(async () => {
    await admin(ft, 'POST', '/_fake/reset');
    sso = new Sso(ft);
    const endpoint = {
      tenantId: ft.tenantId,
      clientId: LOCAL_BOT_APP_ID,
      clientSecret: LOCAL_BOT_SECRET,
      authorityHost: ft.url,
      graphBaseUrl: ft.url,
      local: true,
    };
    directory = new GraphDirectoryFactory(endpoint, sso, systemClock);
  });

  it("MFA required: InteractionRequired carries Entra ID's code and claims; the held sign-in is ended", async () => {
    const e = await refusal(() => directory.forUser(isaiah).whoAmI());
    assert.equal(e.code, 'InteractionRequired');
    assert.equal(e.details.aadsts, 50076);
    const claims = JSON.parse(String(e.details.claims)) as { access_token?: { capolids?: unknown } };
    assert.ok(claims.access_token?.capolids, 'the challenge as the token endpoint sent it');
    assert.ok(!e.message.includes('capolids'), 'the challenge is not in the message');
    assert.deepEqual(sso.signedOut, [USER.isaiah], 'the next sign-in must be interactive');

    // Logged as the bot logs a failure, the challenge stays out of the log.
    const lines: string[] = [];
    const log = pinoLogger({
      destination: new Writable({
        write(c, _e, cb) {
          lines.push(String(c));
          cb();
        },
      }),
    });
    log.warn('approval failed', { error: e, code: e.code });
    assert.ok(lines.length === 1 && !lines[0]!.includes('capolids'), lines.join(''));

    // A sign-in with MFA passes the same policy.
    sso.mfa = true;
    assert.equal((await directory.forUser(isaiah).whoAmI()).id, USER.isaiah);
  });

  it('a Conditional Access block (53003) carries no challenge and keeps the sign-in', async () => {
    await admin(ft, 'PATCH', `/_fake/users/${USER.isaiah}`, { signIn: 'blocked' });
    sso.mfa = true;
    const e = await refusal(() => directory.forUser(isaiah).whoAmI());
    assert.equal(e.code, 'BlockedByConditionalAccess');
    assert.equal(e.details.claims, undefined);
    assert.deepEqual(sso.signedOut, []);
  });
});
