import assert from 'node:assert/strict';
import { isCoded } from '../../src/domain/errors';
import { canTransition, transition, type RequestState, type SoaRequest } from '../../src/domain/request';

const states: RequestState[] = [
  'awaiting_approval',
  'approved',
  'executing',
  'awaiting_audit',
  'completed',
  'failed',
  'rejected',
  'expired',
  'cancelled',
  'waiting_for_sync',
  'taken_over',
];

describe('domain: the request state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = states
      .flatMap((from) => states.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`))
      .sort();
    assert.deepEqual(
      allowed,
      [
        'approved→executing',
        'approved→failed',
        'awaiting_approval→approved',
        'awaiting_approval→cancelled',
        'awaiting_approval→expired',
        'awaiting_approval→rejected',
        'awaiting_audit→completed',
        'awaiting_audit→failed',
        'awaiting_audit→waiting_for_sync',
        'executing→awaiting_audit',
        'executing→failed',
        'waiting_for_sync→failed',
        'waiting_for_sync→taken_over',
      ].sort(),
    );
  });

  it('refuses an illegal transition with a coded error, and records legal ones with a new version', () => {
    const req = { id: 'R-AAAAAA', version: 3, state: 'completed', history: [] } as unknown as SoaRequest;
    assert.throws(
      () => transition(req, 'approved', new Date()),
      (e) => isCoded(e, 'IllegalTransition'),
    );
    const open = { ...req, state: 'awaiting_approval' } as SoaRequest;
    const next = transition(open, 'approved', new Date('2026-01-01T00:00:00Z'), {}, { by: 'Megan' });
    assert.equal(next.version, 4);
    assert.deepEqual(next.history, [{ at: '2026-01-01T00:00:00.000Z', state: 'approved', by: 'Megan' }]);
    assert.equal(open.state, 'awaiting_approval', 'the input is not changed');
  });
});
