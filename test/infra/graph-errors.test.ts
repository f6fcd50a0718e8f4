import assert from 'node:assert/strict';
import { adminConsentUrl, fromAadsts, mapGraphError } from '../../src/infra/graph/errors';

const consent = {
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: 'contoso.onmicrosoft.com',
  clientId: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
};

describe('Graph edge: sign-in and Graph failures become coded errors with a next step', () => {
  it('maps each AADSTS code from the on-behalf-of exchange', () => {
    const cases: Array<[number, string, RegExp]> = [
      [65001, 'ConsentRequired', /admin consent.*adminconsent\?client_id=7b9e2d41/],
      [65004, 'ConsentRequired', /consent/],
      [50076, 'InteractionRequired', /multi-factor/],
      [50079, 'InteractionRequired', /sign in again/],
      [50158, 'InteractionRequired', /sign in again/],
      [50173, 'InteractionRequired', /sign in again/],
      [70043, 'InteractionRequired', /sign in again/],
      [53003, 'BlockedByConditionalAccess', /Conditional Access/],
      [500133, 'TokenExpired', /expired/],
      [50013, 'Unauthorized', /Sign in again/],
      [7000215, 'AppCredentialRejected', /bot's own app credential.*administrator must renew/],
      [700027, 'AppCredentialRejected', /certificate/],
    ];
    for (const [code, expected, message] of cases) {
      const e = fromAadsts(code, `invalid_grant: AADSTS${code}: something eyJhbGciOi.eyJzdWIi.sig`, consent);
      assert.equal(e.code, expected, String(code));
      assert.match(e.message, message, String(code));
      assert.doesNotMatch(e.message, /eyJ/, 'no token text');
    }
    assert.equal(
      adminConsentUrl(consent),
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent' +
        '?client_id=7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
    );
  });

  it('maps Graph statuses and finds AADSTS codes inside wrapped errors', () => {
    assert.equal(mapGraphError({ statusCode: 404, code: 'Request_ResourceNotFound' }).code, 'GroupNotFound');
    assert.equal(mapGraphError({ statusCode: 403, code: 'Authorization_RequestDenied' }).code, 'PermissionDenied');
    const throttled = mapGraphError({ statusCode: 429, code: 'TooManyRequests', headers: { 'Retry-After': '7' } });
    assert.equal(throttled.code, 'Throttled');
    assert.equal(throttled.details.retryAfterSeconds, 7);
    assert.equal(
      mapGraphError({
        statusCode: 400,
        message: 'Unable to update the specified properties for on-premises mastered Directory Sync objects',
      }).code,
      'SyncedObjectReadOnly',
    );
    assert.equal(mapGraphError({ statusCode: 503 }).code, 'ServiceUnavailable');
    assert.equal(
      mapGraphError({ statusCode: -1, code: 'AuthenticationRequiredError', message: 'AADSTS50076: MFA' }).code,
      'InteractionRequired',
    );
    assert.equal(
      mapGraphError({ statusCode: -1, code: 'CredentialUnavailableError', message: 'no' }).code,
      'Unauthorized',
    );
  });
});
