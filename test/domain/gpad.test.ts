import assert from 'node:assert/strict';
import { gpadGroup, gpadTargets, markStillNeededInAd } from '../../src/domain/gpad';
import type { SoaRequest } from '../../src/domain/request';
import { gpadChecklist } from '../../src/views/gpad';
import { cloudManaged, facts } from './fixtures';

const SID = 'S-1-5-21-1004336348-1177238915-682003330-1105';
const ID = 'a1000000-0000-4000-8000-000000000001';
const megan = { id: 'u-megan', name: 'Megan Bowen' };

function request(changes: Partial<SoaRequest> = {}): SoaRequest {
  return {
    id: 'R-GPAD22',
    version: 3,
    action: 'move',
    groupId: ID,
    groupName: 'SecGroup1',
    state: 'awaiting_audit',
    requester: { id: 'u-alex', name: 'Alex Wilber' },
    createdAt: '2026-11-28T06:00:00.000Z',
    updatedAt: '2026-11-28T06:00:00.000Z',
    expiresAt: '2026-11-29T06:00:00.000Z',
    facts: facts(),
    checks: [],
    anchor: { reference: {}, conversationType: 'channel' },
    history: [],
    ...changes,
  };
}

const textOf = (req: SoaRequest, groups: ReturnType<typeof gpadGroup>[]): string => {
  const out = gpadChecklist(req, groups);
  assert.ok(!('card' in out) && typeof out.text === 'string');
  return out.text;
};

describe('domain: Group Provisioning to AD checklist from facts', () => {
  it('a security group: the SID it lands on is shown; agent, licence and AD scope are asked, never assumed', () => {
    const g = gpadGroup(ID, 'SecGroup1', cloudManaged());
    assert.deepEqual(g, {
      groupId: ID,
      groupName: 'SecGroup1',
      verdict: 'checklist',
      sid: SID,
      samAccountName: 'SecGroup1',
      domain: 'contoso.com',
      cloudOnlyMembers: [],
    });
    const text = textOf(request(), [g]);
    assert.match(text, new RegExp(`matched by its SID \\*\\*${SID}\\*\\*`));
    assert.match(text, /☐ A Cloud Sync provisioning agent 1\.1\.3730\.0 or later/);
    assert.match(text, /☐ The tenant has Microsoft Entra ID P1/);
    assert.match(text, /☐ Its group scope in AD is \*\*Universal\*\*.*Graph does not show the AD group scope/);
    assert.match(text, /Graph shows no cloud-only member/);
    assert.doesNotMatch(text, /cannot be provisioned back/);
  });

  it('a mail-enabled security group: cannot be provisioned back, and no checklist is offered for it', () => {
    const g = gpadGroup(ID, 'MESG-Finance', cloudManaged({ group: { kind: 'mailEnabledSecurity', mail: 'f@x' } }));
    assert.deepEqual(g, { groupId: ID, groupName: 'MESG-Finance', verdict: 'notApplicable', why: 'mailEnabled' });
    const text = textOf(request({ groupName: 'MESG-Finance' }), [g]);
    assert.match(text, /\*\*MESG-Finance\*\* is a mail-enabled security group: it \*\*cannot be provisioned back\*\*/);
    assert.doesNotMatch(text, /Universal|provisioning agent|SID/);
  });

  it('cloud-only members are named (ten at most); members not read are asked about', () => {
    const members = Array.from({ length: 12 }, (_, i) => ({ id: `u${i}`, displayName: `User ${i}` }));
    const text = textOf(request(), [gpadGroup(ID, 'SecGroup1', cloudManaged({ cloudOnlyMembers: members }))]);
    assert.match(text, /⚠️ Cloud-only members are not written to AD: User 0, User 1, .*User 9 and 2 more\./);
    const unread = textOf(request(), [gpadGroup(ID, 'SecGroup1', cloudManaged({ cloudOnlyMembers: null }))]);
    assert.match(unread, /☐ Its members are users synced from AD: Graph could not list them/);
  });

  it('a Microsoft 365 group and a distribution group: GPAD does not apply, with the reason', () => {
    const m365 = gpadGroup(ID, 'Team Site', facts({ group: { kind: 'unified', onPremisesSecurityIdentifier: null } }));
    assert.deepEqual(m365, { groupId: ID, groupName: 'Team Site', verdict: 'notApplicable', why: 'unified' });
    assert.match(textOf(request(), [m365]), /is a Microsoft 365 group: Group Provisioning to AD does not apply/);
    const dl = gpadGroup(ID, 'All Staff', facts({ group: { kind: 'distribution' } }));
    assert.equal(dl.verdict === 'notApplicable' && dl.why, 'distribution');
    assert.match(textOf(request(), [dl]), /is a distribution group: Group Provisioning to AD does not apply/);
  });

  it('facts not read: every item a question, nothing said as known', () => {
    const g = gpadGroup(ID, 'SecGroup1', null);
    assert.deepEqual(g, { groupId: ID, groupName: 'SecGroup1', verdict: 'unread' });
    const text = textOf(request(), [g]);
    assert.match(text, /could not be read after the switch, so nothing is assumed/);
    assert.match(text, /☐ It is a security group that is not mail-enabled/);
    assert.match(text, /☐ Its scope in AD is Universal/);
  });

  it('no SID in the facts: asked to find the original AD group', () => {
    const text = textOf(request(), [
      gpadGroup(ID, 'SecGroup1', cloudManaged({ group: { onPremisesSecurityIdentifier: null } })),
    ]);
    assert.match(text, /☐ Graph shows no on-premises SID for it/);
  });

  it('the toggle: recorded with who and when for a move, never cleared by an approval without it', () => {
    const at = '2026-11-28T07:00:00.000Z';
    const marked = markStillNeededInAd(request({ state: 'approved' }), true, megan, at);
    assert.deepEqual(marked.stillNeededInAd, { by: megan, at });
    assert.deepEqual(markStillNeededInAd(marked, false, { id: 'u-x', name: 'X' }, 'later').stillNeededInAd, {
      by: megan,
      at,
    });
    assert.equal(markStillNeededInAd(request(), false, megan, at).stillNeededInAd, undefined);
    assert.equal(markStillNeededInAd(request({ action: 'rollback' }), true, megan, at).stillNeededInAd, undefined);
  });

  it('targets: nothing unless marked; the group, or the done plan steps not posted yet', () => {
    const mark = { by: megan, at: '2026-11-28T07:00:00.000Z' };
    assert.deepEqual(gpadTargets(request()), []);
    assert.deepEqual(gpadTargets(request({ stillNeededInAd: mark })), [{ groupId: ID, groupName: 'SecGroup1' }]);
    assert.deepEqual(gpadTargets(request({ stillNeededInAd: mark, gpadPosted: [ID] })), []);
    const step = (groupId: string, state: 'done' | 'pending' | 'failed') => ({
      groupId,
      groupName: groupId.toUpperCase(),
      depth: 0,
      state,
      warnings: [],
    });
    const plan = {
      kind: 'tree' as const,
      label: 'tree',
      steps: [step('a', 'done'), step('b', 'done'), step('c', 'failed'), step('d', 'pending')],
      skipped: [],
      cycleGroups: [],
      sharedGroups: [],
    };
    assert.deepEqual(
      gpadTargets(request({ stillNeededInAd: mark, plan, gpadPosted: ['a'] })).map((t) => t.groupId),
      ['b'],
    );
  });
});
