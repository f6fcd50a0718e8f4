/** The export suite's requests: a completed single move and a three-step tree plan that failed at step 2. */
import type { GroupFacts } from '../../src/domain/prerequisites';
import type { AuditConfirmation, PlanStep, SoaRequest } from '../../src/domain/request';
import { facts as domainFacts } from '../domain/fixtures';

export const ALEX = { id: '8c2f1e4a-3b5d-4c6e-9f70-1a2b3c4d5e6f', name: 'Alex Wilber', channelUserId: '29:1alex' };
export const MEGAN = { id: '5d7e9f10-2a3b-4c4d-8e5f-6a7b8c9d0e1f', name: 'Megan Bowen', channelUserId: '29:1megan' };

/** The domain tests' SecGroup1 facts, under this group's id and name. */
const facts = (id: string, name: string): GroupFacts =>
  domainFacts({ group: { id, displayName: name, onPremisesSamAccountName: name } });

function audit(id: string, at: string, correlationId: string): AuditConfirmation {
  return {
    id,
    activityDisplayName: 'Update group',
    activityDateTime: at,
    initiatedBy: 'Megan Bowen (megan@contoso.com)',
    result: 'success',
    correlationId,
  };
}

/** A single-group move, approved by Megan and completed with its audit entry. */
export function singleMove(over: Partial<SoaRequest> = {}): SoaRequest {
  const groupId = 'a1000000-0000-4000-8000-000000000001';
  return {
    id: 'R-7KQ2MX',
    version: 6,
    action: 'move',
    groupId,
    groupName: 'FIN-Payroll, EMEA',
    state: 'completed',
    requester: ALEX,
    approver: MEGAN,
    createdAt: '2026-03-02T09:00:00.000Z',
    updatedAt: '2026-03-02T09:12:40.000Z',
    expiresAt: '2026-03-03T09:00:00.000Z',
    facts: facts(groupId, 'FIN-Payroll, EMEA'),
    checks: [{ id: 'tenantSync', title: 'Tenant sync', status: 'pass', detail: 'On-premises sync is enabled.' }],
    anchor: {
      reference: { conversation: { id: 'a:1xyz' } },
      conversationType: 'personal',
      cardActivityId: '1710000000000',
    },
    audit: audit('Directory_7d1c0b4e', '2026-03-02T09:12:31.000Z', 'c0ffee00-1111-4222-8333-444455556666'),
    switchedAt: '2026-03-02T09:11:05.000Z',
    history: [
      { at: '2026-03-02T09:00:00.000Z', state: 'awaiting_approval' },
      { at: '2026-03-02T09:10:58.000Z', state: 'approved', by: 'Megan Bowen' },
      { at: '2026-03-02T09:11:00.000Z', state: 'executing' },
      { at: '2026-03-02T09:11:05.000Z', state: 'awaiting_audit' },
      { at: '2026-03-02T09:12:40.000Z', state: 'completed' },
    ],
    ...over,
  };
}

/** A tree move of three groups: the leaf switched, the middle one failed, the root left untouched. */
export function treePlan(): SoaRequest {
  const ids = [
    'b2000000-0000-4000-8000-000000000011',
    'b2000000-0000-4000-8000-000000000012',
    'b2000000-0000-4000-8000-000000000010',
  ];
  const steps: PlanStep[] = [
    {
      groupId: ids[0]!,
      groupName: 'Sales-DACH',
      depth: 2,
      state: 'done',
      warnings: [],
      switchedAt: '2026-03-04T14:02:10.000Z',
      audit: audit('Directory_aa11', '2026-03-04T14:03:00.000Z', '0a0a0a0a-1111-4222-8333-000000000001'),
    },
    {
      groupId: ids[1]!,
      groupName: '=Sales-EU',
      depth: 1,
      state: 'failed',
      warnings: ['Mail-enabled: Exchange attributes stay in AD.'],
      error: 'Graph refused the change: 403 Forbidden, "Insufficient privileges"',
    },
    { groupId: ids[2]!, groupName: 'Sales', depth: 0, state: 'untouched', warnings: [] },
  ];
  return {
    ...singleMove(),
    id: 'R-PL4N3T',
    version: 7,
    groupId: ids[2]!,
    groupName: 'Sales',
    state: 'failed',
    createdAt: '2026-03-04T14:00:00.000Z',
    updatedAt: '2026-03-04T14:02:30.000Z',
    expiresAt: '2026-03-05T14:00:00.000Z',
    facts: facts(ids[2]!, 'Sales'),
    audit: undefined,
    switchedAt: undefined,
    reason: 'Step 2 of 3 (=Sales-EU) failed; the rest was left untouched.',
    plan: {
      kind: 'tree',
      label: 'the tree under Sales',
      steps,
      skipped: [{ groupId: 'c3', groupName: 'Sales-Cloud', reason: 'already cloud-managed' }],
      cycleGroups: [],
      sharedGroups: [],
    },
    history: [
      { at: '2026-03-04T14:00:00.000Z', state: 'awaiting_approval' },
      { at: '2026-03-04T14:01:59.000Z', state: 'approved', by: 'Megan Bowen' },
      { at: '2026-03-04T14:02:00.000Z', state: 'executing' },
      { at: '2026-03-04T14:02:30.000Z', state: 'failed', note: 'Step 2 of 3 failed' },
    ],
  };
}
