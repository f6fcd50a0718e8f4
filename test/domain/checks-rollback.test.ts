import assert from 'node:assert/strict';
import { cloudEditsRow, cloudMembersRow, completesAtSyncRow } from '../../src/domain/checks-rollback';
import { cloudManaged } from './fixtures';

describe('domain checks for a rollback only', () => {
  it('cloud-only members: pass when all come from AD, warn naming those AD removes, unknown when unread', () => {
    assert.deepEqual(cloudMembersRow(cloudManaged()), {
      id: 'cloudMembers',
      title: 'Cloud-only members',
      status: 'pass',
      detail: 'All members come from AD.',
    });
    const members = Array.from({ length: 10 }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}` }));
    const row = cloudMembersRow(cloudManaged({ cloudOnlyMembers: members }));
    assert.equal(row.status, 'warn');
    assert.equal(
      row.detail,
      '10 member(s) exist only in the cloud and will be removed when AD takes the group over: ' +
        'User 0, User 1, User 2, User 3, User 4, User 5, User 6, User 7 and 2 more.',
    );
    const unread = cloudMembersRow(cloudManaged({ cloudOnlyMembers: null }));
    assert.equal(unread.status, 'unknown');
    assert.match(unread.detail, /^Could not read the members\. Remove cloud-only members before a rollback/);
  });

  it('cloud edits and completion at the next sync: always warnings', () => {
    assert.deepEqual(cloudEditsRow(), {
      id: 'cloudEdits',
      title: 'Cloud edits',
      status: 'warn',
      detail:
        'Changes made in the cloud while the group was cloud-managed are overwritten by the AD values at the ' +
        'next sync. Remove the group from access packages first.',
    });
    assert.deepEqual(completesAtSyncRow(), {
      id: 'completesAtSync',
      title: 'Completes at the next sync',
      status: 'warn',
      detail:
        'The rollback only completes when the next sync cycle takes the group over; until then it stays ' +
        'editable in the cloud.',
    });
  });
});
