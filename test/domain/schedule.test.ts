import assert from 'node:assert/strict';
import { splitClauses } from '../../src/domain/command-clauses';
import { parseCommand } from '../../src/domain/command';
import { canTransition, isWaitingForItsTime, type SoaRequest } from '../../src/domain/request';
import { hopDelay, MAX_QUEUE_HOP_MS, readWhen, type WhenReading } from '../../src/domain/schedule';
import { adjustmentNote, formatWhen, whenRefused } from '../../src/views/when';

const BERLIN = 'Europe/Berlin';
const at = (r: WhenReading) => {
  assert.ok(r.ok, JSON.stringify(r));
  return r.at.toISOString();
};

describe('domain: reading a scheduled time in the change time zone', () => {
  it('reads each form against the zone’s wall clock', () => {
    // Wed 2 Dec 2026, 10:00 in Berlin (CET, UTC+1).
    const now = new Date('2026-12-02T09:00:00Z');
    assert.equal(at(readWhen('at 2026-12-05 22:00', now, BERLIN)), '2026-12-05T21:00:00.000Z');
    assert.equal(at(readWhen('on Saturday at 22:00', now, BERLIN)), '2026-12-05T21:00:00.000Z');
    assert.equal(at(readWhen('tonight at 23:00', now, BERLIN)), '2026-12-02T22:00:00.000Z');
    assert.equal(at(readWhen('in 2 hours', now, BERLIN)), '2026-12-02T11:00:00.000Z');
    assert.equal(at(readWhen('at 22:00', now, BERLIN)), '2026-12-02T21:00:00.000Z');
    assert.equal(at(readWhen('tomorrow at 06:00', now, BERLIN)), '2026-12-03T05:00:00.000Z');
    // The same words in UTC (the default zone).
    assert.equal(at(readWhen('at 22:00', now, 'UTC')), '2026-12-02T22:00:00.000Z');
  });

  it('takes "Saturday" and a time of day already past as the next one, never the last one', () => {
    // Sat 5 Dec, 23:30 in Berlin: 22:00 has passed today.
    const now = new Date('2026-12-05T22:30:00Z');
    assert.equal(at(readWhen('at 22:00', now, BERLIN)), '2026-12-06T21:00:00.000Z');
    // Thursday: the coming Saturday, not the one before.
    assert.equal(
      at(readWhen('on Saturday at 22:00', new Date('2026-12-10T09:00:00Z'), BERLIN)),
      '2026-12-12T21:00:00.000Z',
    );
  });

  it('spring forward (last Sunday of March): 02:30 does not exist; it is read as 03:30 CEST and says so', () => {
    // Sat 28 Mar 2026, 13:00 CET; on Sun 29 Mar the clocks go from 02:00 to 03:00.
    const now = new Date('2026-03-28T12:00:00Z');
    const r = readWhen('at 02:30', now, BERLIN);
    assert.equal(at(r), '2026-03-29T01:30:00.000Z');
    assert.deepEqual(r.ok && r.adjusted, { kind: 'gap', asked: '02:30', date: '2026-03-29' });
    assert.equal(formatWhen(at(r), BERLIN), 'Sun 29 Mar 03:30 Europe/Berlin (01:30 UTC)');
    assert.match(adjustmentNote((r.ok && r.adjusted) || assert.fail(), BERLIN), /02:30 does not exist on Sun 29 Mar/);
    // A time after the change has the summer offset: 06:00 CEST is 04:00 UTC, not 05:00.
    const six = readWhen('tomorrow at 06:00', now, BERLIN);
    assert.equal(at(six), '2026-03-29T04:00:00.000Z');
    assert.equal(six.ok && six.adjusted, undefined);
  });

  it('"in 2 hours" across the change is two hours of elapsed time, whatever the wall clock shows', () => {
    // Sun 29 Mar 2026, 01:30 CET; two hours later the wall clock shows 04:30 CEST.
    const now = new Date('2026-03-29T00:30:00Z');
    const r = readWhen('in 2 hours', now, BERLIN);
    assert.equal(at(r), '2026-03-29T02:30:00.000Z');
    assert.equal(formatWhen(at(r), BERLIN), 'Sun 29 Mar 04:30 Europe/Berlin (02:30 UTC)');
    // And in October, across the hour repeated.
    assert.equal(at(readWhen('in 2 hours', new Date('2026-10-25T00:00:00Z'), BERLIN)), '2026-10-25T02:00:00.000Z');
  });

  it('fall back (last Sunday of October): 02:30 happens twice; the first is taken, the card names the second', () => {
    // Wed 21 Oct 2026; on Sun 25 Oct the clocks go back from 03:00 CEST to 02:00 CET.
    const now = new Date('2026-10-21T10:00:00Z');
    const r = readWhen('on Sunday at 02:30', now, BERLIN);
    assert.equal(at(r), '2026-10-25T00:30:00.000Z');
    assert.deepEqual(r.ok && r.adjusted, {
      kind: 'repeated',
      asked: '02:30',
      date: '2026-10-25',
      later: '2026-10-25T01:30:00.000Z',
    });
    assert.equal(formatWhen(at(r), BERLIN), 'Sun 25 Oct 02:30 Europe/Berlin (00:30 UTC)');
    const note = adjustmentNote((r.ok && r.adjusted) || assert.fail(), BERLIN);
    assert.match(note, /02:30 happens twice on Sun 25 Oct in Europe\/Berlin/);
    assert.match(note, /Sun 25 Oct 02:30 Europe\/Berlin \(01:30 UTC\)/);
    // A time that exists once that day is not adjusted: 04:00 CET is 03:00 UTC.
    const later = readWhen('on Sunday at 04:00', now, BERLIN);
    assert.equal(at(later), '2026-10-25T03:00:00.000Z');
    assert.equal(later.ok && later.adjusted, undefined);
  });

  it('refuses what it cannot read, a day without a time, a time not in the future or too far ahead', () => {
    const now = new Date('2026-12-02T09:00:00Z');
    const problem = (text: string, maxDays?: number) => {
      const r = readWhen(text, now, BERLIN, maxDays);
      return r.ok ? 'accepted' : r.problem;
    };
    assert.equal(problem('on Funday'), 'unknown');
    assert.equal(problem('on Funday at 22:00'), 'unknown', 'a time of day is not enough when the rest is not read');
    assert.equal(problem('at teatime'), 'unknown');
    assert.equal(problem('on Saturday'), 'noTimeOfDay');
    assert.equal(problem('at 2026-12-01 22:00'), 'past');
    assert.equal(problem('today at 09:00'), 'past');
    assert.equal(problem('tonight at 09:00'), 'accepted', '"tonight at 9" is 21:00');
    assert.equal(problem('at 2027-01-05 22:00'), 'tooFar');
    assert.equal(problem('at 2027-01-05 22:00', 40), 'accepted');
    const r = readWhen('at 2027-01-05 22:00', now, BERLIN);
    assert.ok(!r.ok);
    assert.match(whenRefused(r, BERLIN), /at most 30 days ahead \(MAX_SCHEDULE_DAYS\)\. Nothing was requested\.$/);
    const u = readWhen('on Funday', now, BERLIN);
    assert.ok(!u.ok);
    assert.match(
      whenRefused(u, BERLIN),
      /^I could not read "on Funday" as a date and time\..*Nothing was requested\.$/,
    );
  });

  it('shows a time in the zone and in UTC, naming the UTC day when it differs', () => {
    assert.equal(formatWhen('2026-12-05T21:00:00Z', BERLIN), 'Sat 5 Dec 22:00 Europe/Berlin (21:00 UTC)');
    assert.equal(formatWhen('2026-12-05T23:30:00Z', BERLIN), 'Sun 6 Dec 00:30 Europe/Berlin (Sat 5 Dec 23:30 UTC)');
    assert.equal(formatWhen('2026-12-05T22:00:00Z', 'UTC'), 'Sat 5 Dec 22:00 UTC');
  });

  it('queues a far time in hops of at most six days (Azure Storage Queues hide a message for at most seven)', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    assert.equal(hopDelay('2026-12-01T00:00:05Z', now), 5000);
    assert.equal(hopDelay('2026-12-25T00:00:00Z', now), MAX_QUEUE_HOP_MS);
    assert.equal(MAX_QUEUE_HOP_MS, 6 * 86_400_000);
    assert.equal(hopDelay('2026-11-30T00:00:00Z', now), 0);
  });
});

describe('domain: the time clause of a request', () => {
  it('takes a whole trailing time clause off a move, rollback or plan; a name with "on" in it stays whole', () => {
    const cases: Array<[string, string | undefined]> = [
      ['move SecGroup1 to cloud at 2026-12-05 22:00', 'at 2026-12-05 22:00'],
      ['move SecGroup1 to cloud on Saturday at 22:00', 'on Saturday at 22:00'],
      ['move SecGroup1 to cloud tonight at 23:00', 'tonight at 23:00'],
      ['move SecGroup1 to cloud in 2 hours', 'in 2 hours'],
      ['move SecGroup1 to cloud tomorrow at 06:00', 'tomorrow at 06:00'],
      ['rollback SecGroup1 at 22:00', 'at 22:00'],
      ['move Sales on Site to cloud', undefined],
    ];
    for (const [text, when] of cases) {
      const c = parseCommand(text).command;
      assert.equal(c.kind, 'request', text);
      assert.equal(c.kind === 'request' ? c.clauses?.when : 'x', when, text);
    }
    const named = parseCommand('move Sales on Site to cloud on Funday').command;
    assert.deepEqual(named.kind === 'request' && [named.targets, named.clauses], [
      [{ name: 'Sales on Site' }],
      { when: 'on Funday' },
    ]);
    const tree = parseCommand('move the tree under Sales to cloud at 22:00').command;
    assert.deepEqual(tree.kind === 'plan' && tree.clauses, { when: 'at 22:00' });
    assert.deepEqual(splitClauses('move SecGroup1 to cloud'), { rest: 'move SecGroup1 to cloud', clauses: {} });
  });
});

describe('domain: a scheduled request approved ahead of its time', () => {
  it('can still be cancelled or rejected until it starts; a resumed plan has started before', () => {
    const history = [{ at: '2026-12-01T10:00:00.000Z', state: 'approved' as const }];
    const req = { state: 'approved', scheduledFor: '2026-12-05T21:00:00.000Z', history } as unknown as SoaRequest;
    assert.equal(isWaitingForItsTime(req), true);
    assert.ok(canTransition('approved', 'cancelled') && canTransition('approved', 'rejected'));
    assert.equal(isWaitingForItsTime({ ...req, scheduledFor: undefined }), false, 'not scheduled: it starts at once');
    assert.equal(isWaitingForItsTime({ ...req, state: 'executing' }), false);
    const resumed = { ...req, history: [...history, { at: '2026-12-05T21:00:00.000Z', state: 'executing' as const }] };
    assert.equal(isWaitingForItsTime(resumed), false);
  });
});
