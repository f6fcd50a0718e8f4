import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { local, problems } from '../support/config-env';

describe('configuration: SNAPSHOT_MAX_MEMBERS', () => {
  it('defaults to 50,000; takes a whole number from 1 to 100,000', () => {
    assert.equal(loadConfig(local, '/srv/bot').snapshotMaxMembers, 50_000);
    assert.equal(loadConfig({ ...local, SNAPSHOT_MAX_MEMBERS: '1' }, '/srv/bot').snapshotMaxMembers, 1);
    assert.equal(loadConfig({ ...local, SNAPSHOT_MAX_MEMBERS: '100000' }, '/srv/bot').snapshotMaxMembers, 100_000);
  });

  it('refuses to start on a value that is not a whole number in range, naming it', () => {
    assert.match(problems({ SNAPSHOT_MAX_MEMBERS: '0' }), /SNAPSHOT_MAX_MEMBERS must be a number ≥ 1, not '0'/);
    assert.match(problems({ SNAPSHOT_MAX_MEMBERS: 'lots' }), /SNAPSHOT_MAX_MEMBERS must be a number ≥ 1, not 'lots'/);
    assert.match(problems({ SNAPSHOT_MAX_MEMBERS: '2.5' }), /SNAPSHOT_MAX_MEMBERS must be a whole number, not '2.5'/);
    assert.match(
      problems({ SNAPSHOT_MAX_MEMBERS: '100001' }),
      /SNAPSHOT_MAX_MEMBERS must be at most 100000, not '100001'/,
    );
  });
});
