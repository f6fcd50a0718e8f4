import assert from 'node:assert/strict';
import { dueReminder, nextReminderAt, readTrial, trialEnd, type TrialInfo } from '../../src/domain/trial';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('domain: trial lengths and reminders', () => {
  it('reads days and hours, "as a trial" as 7 days', () => {
    assert.deepEqual(readTrial('for 7 days'), { ok: true, text: 'for 7 days', lengthMs: 7 * DAY });
    assert.deepEqual(readTrial('for 1 day'), { ok: true, text: 'for 1 day', lengthMs: DAY });
    assert.deepEqual(readTrial('for 36 hours'), { ok: true, text: 'for 36 hours', lengthMs: 36 * HOUR });
    assert.deepEqual(readTrial('as a trial'), { ok: true, text: 'as a trial', lengthMs: 7 * DAY });
    assert.deepEqual(readTrial('for 90 days as a trial'), {
      ok: true,
      text: 'for 90 days as a trial',
      lengthMs: 90 * DAY,
    });
  });

  it('refuses zero, negative and more than 90 days', () => {
    for (const t of ['for 0 days', 'for 0 hours', 'for -3 days', 'for -1 hour'])
      assert.deepEqual(readTrial(t), { ok: false, text: t, problem: 'notPositive' }, t);
    for (const t of ['for 91 days', 'for 2161 hours'])
      assert.deepEqual(readTrial(t), { ok: false, text: t, problem: 'tooLong' }, t);
    assert.equal(readTrial('for 2160 hours').ok, true);
    assert.deepEqual(readTrial('for ever'), { ok: false, text: 'for ever', problem: 'unreadable' });
  });

  it('ends one length after the switch; reminds a day, then an hour ahead, each once', () => {
    const info: TrialInfo = { text: 'for 7 days', lengthMs: 7 * DAY };
    const switched = new Date('2026-12-01T14:05:00Z');
    const endsAt = trialEnd(info, switched);
    assert.equal(endsAt, '2026-12-08T14:05:00.000Z');
    const t: TrialInfo = { ...info, endsAt };
    const at = (ms: number) => new Date(Date.parse(endsAt) - ms);
    assert.equal(dueReminder(t, switched), null);
    assert.deepEqual(nextReminderAt(t, switched), at(DAY));
    assert.equal(dueReminder(t, at(DAY)), 'day');
    const dayDone = { ...t, reminded: { day: at(DAY).toISOString() } };
    assert.equal(dueReminder(dayDone, at(DAY - 1000)), null);
    assert.deepEqual(nextReminderAt(dayDone, at(DAY)), at(HOUR));
    assert.equal(dueReminder(dayDone, at(HOUR)), 'hour');
    const hourDone = { ...dayDone, reminded: { ...dayDone.reminded, hour: at(HOUR).toISOString() } };
    assert.equal(dueReminder(hourDone, at(1000)), null);
    assert.equal(nextReminderAt(hourDone, at(HOUR)), null);
    // Past its end, or kept: no reminder.
    assert.equal(dueReminder(t, at(-1)), null);
    assert.equal(dueReminder({ ...t, kept: { by: 'Megan', at: endsAt } }, at(HOUR)), null);
  });

  it('a trial shorter than a day gets only the hour reminder', () => {
    const switched = new Date('2026-12-01T00:00:00Z');
    const t: TrialInfo = { text: 'for 12 hours', lengthMs: 12 * HOUR };
    const endsAt = trialEnd(t, switched);
    assert.deepEqual(nextReminderAt({ ...t, endsAt }, switched), new Date(Date.parse(endsAt) - HOUR));
  });
});
