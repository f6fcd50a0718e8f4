import assert from 'node:assert/strict';
import { isFromAd, kindLabel, soaState } from '../../src/domain/group-facts';
import { cloudManaged, facts } from './fixtures';

describe('domain: what the facts of a group mean', () => {
  it('names each kind of group as people know it', () => {
    assert.equal(kindLabel('security'), 'Security group');
    assert.equal(kindLabel('mailEnabledSecurity'), 'Mail-enabled security group');
    assert.equal(kindLabel('distribution'), 'Distribution list');
    assert.equal(kindLabel('unified'), 'Microsoft 365 group');
  });

  it('a group came from AD if it is synced now or carries an on-premises SID; never a Microsoft 365 group', () => {
    assert.equal(isFromAd(facts()), true);
    assert.equal(isFromAd(cloudManaged()), true, 'switched: no longer synced, still has its SID');
    assert.equal(isFromAd(facts({ group: { onPremisesSecurityIdentifier: null } })), true, 'synced without SID');
    assert.equal(
      isFromAd(facts({ group: { onPremisesSyncEnabled: null, onPremisesSecurityIdentifier: null } })),
      false,
      'created in the cloud',
    );
    assert.equal(isFromAd(facts({ group: { kind: 'unified' } })), false);
  });

  it('tells AD-managed, cloud-managed, rollback pending and unknown apart only with isCloudManaged', () => {
    assert.equal(soaState(facts()), 'ad');
    // Synced wins: isCloudManaged is not even asked then.
    assert.equal(soaState(facts({ isCloudManaged: null })), 'ad');
    assert.equal(soaState(cloudManaged()), 'cloud');
    assert.equal(soaState(cloudManaged({ isCloudManaged: false })), 'rollbackPending');
    assert.equal(soaState(cloudManaged({ isCloudManaged: null })), 'unknown');
    assert.equal(
      soaState(facts({ group: { onPremisesSyncEnabled: null, onPremisesSecurityIdentifier: null } })),
      'cloudOnly',
    );
    assert.equal(soaState(facts({ group: { kind: 'unified' } })), 'cloudOnly');
  });
});
