import assert from 'node:assert/strict';
import { CodedError, isCoded } from '../../src/domain/errors';

describe('domain: coded errors', () => {
  it('carry a code (also their name), a message and details', () => {
    const e = new CodedError('GroupNotFound', 'The group g1 no longer exists in Entra ID.', { groupId: 'g1' });
    assert.ok(e instanceof Error);
    assert.equal(e.code, 'GroupNotFound');
    assert.equal(e.name, 'GroupNotFound');
    assert.equal(e.message, 'The group g1 no longer exists in Entra ID.');
    assert.deepEqual(e.details, { groupId: 'g1' });
    assert.deepEqual(new CodedError('Throttled', 'x').details, {});
  });

  it('isCoded: any coded error, or one of the codes given; never another error that looks alike', () => {
    const e = new CodedError('Throttled', 'Microsoft Graph is throttling requests; the bot retries later.');
    assert.equal(isCoded(e), true);
    assert.equal(isCoded(e, 'Throttled'), true);
    assert.equal(isCoded(e, 'ServiceUnavailable', 'Throttled'), true);
    assert.equal(isCoded(e, 'ServiceUnavailable'), false);
    const lookalike = Object.assign(new Error('Throttled'), { code: 'Throttled', name: 'Throttled' });
    assert.equal(isCoded(lookalike), false);
    assert.equal(isCoded({ code: 'Throttled' }, 'Throttled'), false);
    assert.equal(isCoded(undefined), false);
  });
});
