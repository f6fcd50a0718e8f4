import assert from 'node:assert/strict';
import { isCoded } from '../../src/domain/errors';
import { isRequestId } from '../../src/domain/command';
import {
  canTransition,
  cardVersion,
  describeState,
  FINAL_STATES,
  isOpen,
  newRequestId,
  OPEN_STATES,
  transition,
  type RequestState,
  type SoaRequest,
} from '../../src/domain/request';

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
        'approved→cancelled',
        'approved→executing',
        'approved→failed',
        'approved→rejected',
        'awaiting_approval→approved',
        'awaiting_approval→cancelled',
        'awaiting_approval→expired',
        'awaiting_approval→rejected',
        'awaiting_audit→completed',
        'awaiting_audit→failed',
        'awaiting_audit→waiting_for_sync',
        'executing→approved',
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

  it('a plan stopped at a failed step is resumed by a new approval or cancelled, nothing else', () => {
    const from = [...states, 'stopped' as const].filter((f) => canTransition(f, 'stopped'));
    assert.deepEqual(from, ['executing']);
    const to = [...states, 'stopped' as const].filter((t) => canTransition('stopped', t));
    assert.deepEqual(to, ['approved', 'cancelled']);
  });

  it('open and final states split every state; a final state has no way out', () => {
    const all = [...states, 'stopped' as const];
    assert.deepEqual([...OPEN_STATES, ...FINAL_STATES].sort(), [...all].sort());
    for (const s of FINAL_STATES) {
      assert.equal(isOpen(s), false, s);
      assert.deepEqual(
        all.filter((t) => canTransition(s, t)),
        [],
        s,
      );
    }
    for (const s of OPEN_STATES) assert.equal(isOpen(s), true, s);
  });

  it('says each state in words; an illegal move says both', () => {
    const words = [...states, 'stopped' as const].map(describeState);
    assert.equal(new Set(words).size, words.length);
    assert.equal(describeState('awaiting_approval'), 'waiting for approval');
    assert.equal(describeState('stopped'), 'stopped at a failed step');
    const done = { id: 'R-AAAAAA', version: 7, state: 'completed', history: [] } as unknown as SoaRequest;
    assert.throws(
      () => transition(done, 'approved', new Date()),
      (e) =>
        isCoded(e, 'IllegalTransition') &&
        e.message === 'A request that is completed cannot become approved.' &&
        e.details.from === 'completed' &&
        e.details.to === 'approved',
    );
  });

  it('a transition keeps the changes given and notes only what was said', () => {
    const open = {
      id: 'R-AAAAAA',
      version: 1,
      state: 'awaiting_approval',
      history: [{ at: '2026-01-01T00:00:00.000Z', state: 'awaiting_approval' }],
    } as unknown as SoaRequest;
    const at = new Date('2026-01-02T00:00:00Z');
    const next = transition(open, 'rejected', at, { reason: 'not this week' }, { note: 'wrong group' });
    assert.equal(next.reason, 'not this week');
    assert.equal(next.updatedAt, '2026-01-02T00:00:00.000Z');
    assert.deepEqual(next.history[1], { at: '2026-01-02T00:00:00.000Z', state: 'rejected', note: 'wrong group' });
  });

  it('the card version counts state changes only, not other writes', () => {
    const open = {
      id: 'R-AAAAAA',
      version: 1,
      state: 'awaiting_approval',
      history: [{ at: '2026-01-01T00:00:00.000Z', state: 'awaiting_approval' }],
    } as unknown as SoaRequest;
    assert.equal(cardVersion(open), 1);
    // Recording where the card was posted is a write (a new version), not a state change.
    const anchored = { ...open, version: open.version + 1, anchor: { reference: {}, conversationType: 'personal' } };
    assert.equal(cardVersion(anchored as SoaRequest), 1);
    assert.equal(cardVersion(transition(open, 'approved', new Date())), 2);
  });

  it('request ids are R- and six characters people can tell apart', () => {
    const id = newRequestId((n) => Uint8Array.from({ length: n }, (_, i) => [0, 6, 7, 31, 32, 255][i]!));
    assert.equal(id, 'R-289Z2Z');
    assert.ok(isRequestId(id));
    for (let b = 0; b < 256; b++)
      assert.doesNotMatch(
        newRequestId((n) => new Uint8Array(n).fill(b)),
        /[01OI]/,
      );
  });
});
