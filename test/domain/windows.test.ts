import assert from 'node:assert/strict';
import {
  currentWindowEnd,
  isInside,
  isWindowProblem,
  nextOpening,
  parseWindows,
  startAt,
  windowRefusal,
  type ChangeWindows,
} from '../../src/domain/windows';

const windows = (text: string, zone = 'UTC'): ChangeWindows => {
  const w = parseWindows(text, zone);
  if (!w || isWindowProblem(w)) throw new Error(`not windows: ${JSON.stringify(w)}`);
  return w;
};
const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** The window `at` is in (or the next one), as [opens, closes] in UTC, and its length in hours. */
function spanOf(w: ChangeWindows, from: string): { opens: string; closes: string; hours: number } {
  const opens = isInside(w, at(from)) ? null : nextOpening(w, at(from));
  const o = opens ?? at(from);
  const closes = currentWindowEnd(w, o)!;
  return { opens: iso(o)!, closes: iso(closes)!, hours: (closes.getTime() - o.getTime()) / 3_600_000 };
}

describe('domain: change windows', () => {
  describe('reading CHANGE_WINDOWS', () => {
    it('reads days short or long in any case, a closing without a day, 24:00, and blank as none', () => {
      const w = windows('Sat 22:00-Sun 04:00; wednesday 20:00 – 22:00;FRI 23:00-01:30; Tue 18:00-24:00;');
      assert.deepEqual(
        w.windows.map((x) => [x.opens, x.closes, x.days]),
        [
          [{ weekday: 6, minute: 1320 }, { weekday: 7, minute: 240 }, 1],
          [{ weekday: 3, minute: 1200 }, { weekday: 3, minute: 1320 }, 0],
          // No day on the closing, earlier than the opening: the next day.
          [{ weekday: 5, minute: 1380 }, { weekday: 6, minute: 90 }, 1],
          [{ weekday: 2, minute: 1080 }, { weekday: 3, minute: 0 }, 1],
        ],
      );
      assert.equal(parseWindows(' ; ', 'UTC'), null);
    });

    it('names the part that does not read, and why', () => {
      const cases: Array<[string, unknown]> = [
        ['Sat 22:00-Sun 4', { kind: 'syntax', part: 'Sat 22:00-Sun 4' }],
        ['Wed 20:00-22:00; Saturday night', { kind: 'syntax', part: 'Saturday night' }],
        ['Sum 22:00-23:00', { kind: 'day', part: 'Sum 22:00-23:00', day: 'Sum' }],
        ['Sat 22:00-Sonntag 04:00', { kind: 'day', part: 'Sat 22:00-Sonntag 04:00', day: 'Sonntag' }],
        ['Sat 25:00-Sun 01:00', { kind: 'time', part: 'Sat 25:00-Sun 01:00', time: '25:00' }],
        ['Sat 22:00-Sun 04:60', { kind: 'time', part: 'Sat 22:00-Sun 04:60', time: '04:60' }],
        ['Sat 24:00-Sun 04:00', { kind: 'time', part: 'Sat 24:00-Sun 04:00', time: '24:00' }],
        ['Sat 22:00-22:00', { kind: 'empty', part: 'Sat 22:00-22:00' }],
        ['Mon 08:00-Mon 08:00', { kind: 'empty', part: 'Mon 08:00-Mon 08:00' }],
        [
          'Sat 22:00-Sun 04:00; Sun 03:00-05:00',
          { kind: 'overlap', part: 'Sun 03:00-05:00', other: 'Sat 22:00-Sun 04:00' },
        ],
        // Across the week's end: Sunday night into Monday overlaps Monday's small hours.
        [
          'Mon 01:00-02:00; Sun 23:00-Mon 01:30',
          { kind: 'overlap', part: 'Sun 23:00-Mon 01:30', other: 'Mon 01:00-02:00' },
        ],
      ];
      for (const [text, problem] of cases) assert.deepEqual(parseWindows(text, 'UTC'), problem, text);
      assert.deepEqual(parseWindows('Sat 22:00-Sun 04:00', 'Europe/Paderborn'), {
        kind: 'zone',
        zone: 'Europe/Paderborn',
      });
      // Touching windows do not overlap.
      assert.equal(isWindowProblem(parseWindows('Sat 22:00-24:00; Sun 00:00-04:00', 'UTC')), false);
    });
  });

  describe('in UTC', () => {
    const w = windows('Sat 22:00-Sun 04:00; Wed 20:00-22:00; Sun 23:00-Mon 01:00');

    it('crossing midnight and Saturday to Sunday: inside from its opening, not at its closing', () => {
      // 2026-12-05 is a Saturday.
      assert.equal(isInside(w, at('2026-12-05T21:59:59Z')), false);
      assert.equal(isInside(w, at('2026-12-05T22:00:00Z')), true);
      assert.equal(isInside(w, at('2026-12-06T03:59:59Z')), true);
      assert.equal(isInside(w, at('2026-12-06T04:00:00Z')), false);
      assert.equal(iso(currentWindowEnd(w, at('2026-12-05T23:30:00Z'))), '2026-12-06T04:00:00.000Z');
      assert.equal(currentWindowEnd(w, at('2026-12-06T04:00:00Z')), null);
    });

    it('the Sunday-to-Monday turn (the end of an ISO week)', () => {
      assert.equal(iso(nextOpening(w, at('2026-12-06T04:00:00Z'))), '2026-12-06T23:00:00.000Z');
      assert.equal(isInside(w, at('2026-12-07T00:30:00Z')), true);
      assert.equal(iso(currentWindowEnd(w, at('2026-12-07T00:30:00Z'))), '2026-12-07T01:00:00.000Z');
      // From Monday morning the next opening is Wednesday evening.
      assert.equal(iso(nextOpening(w, at('2026-12-07T01:00:00Z'))), '2026-12-09T20:00:00.000Z');
    });

    it('the next opening: after the current window when inside one, a week on from the last', () => {
      assert.equal(iso(nextOpening(w, at('2026-12-09T20:30:00Z'))), '2026-12-12T22:00:00.000Z');
      assert.equal(iso(nextOpening(w, at('2026-12-09T19:00:00Z'))), '2026-12-09T20:00:00.000Z');
      const one = windows('Tue 10:00-11:00');
      assert.equal(iso(nextOpening(one, at('2026-12-08T10:00:00Z'))), '2026-12-15T10:00:00.000Z');
    });

    it('touching windows are one window', () => {
      const t = windows('Sat 22:00-24:00; Sun 00:00-04:00');
      assert.equal(iso(currentWindowEnd(t, at('2026-12-05T23:00:00Z'))), '2026-12-06T04:00:00.000Z');
      assert.equal(iso(nextOpening(t, at('2026-12-05T23:00:00Z'))), '2026-12-12T22:00:00.000Z');
    });

    it('startAt and windowRefusal: the time itself inside a window, else the next window', () => {
      assert.equal(iso(startAt(w, at('2026-12-05T23:00:00Z'))), '2026-12-05T23:00:00.000Z');
      assert.equal(iso(startAt(w, at('2026-12-08T12:00:00Z'))), '2026-12-09T20:00:00.000Z');
      assert.equal(iso(startAt(undefined, at('2026-12-08T12:00:00Z'))), '2026-12-08T12:00:00.000Z');
      assert.equal(windowRefusal(at('2026-12-05T23:00:00Z'), w), null);
      assert.equal(windowRefusal(at('2026-12-08T12:00:00Z'), undefined), null);
      const r = windowRefusal(at('2026-12-08T12:00:00Z'), w)!;
      assert.deepEqual([iso(r.opens), iso(r.closes)], ['2026-12-09T20:00:00.000Z', '2026-12-09T22:00:00.000Z']);
    });
  });

  describe('daylight saving in Europe/Berlin', () => {
    it('a window spanning the change lasts 5 real hours in March and 7 in October', () => {
      const w = windows('Sat 22:00-Sun 04:00', 'Europe/Berlin');
      // 2026-03-29 and 2026-10-25 are the last Sundays of March and October.
      assert.deepEqual(spanOf(w, '2026-03-28T12:00:00Z'), {
        opens: '2026-03-28T21:00:00.000Z',
        closes: '2026-03-29T02:00:00.000Z',
        hours: 5,
      });
      assert.deepEqual(spanOf(w, '2026-10-24T12:00:00Z'), {
        opens: '2026-10-24T20:00:00.000Z',
        closes: '2026-10-25T03:00:00.000Z',
        hours: 7,
      });
      // The week before and after, six hours.
      assert.equal(spanOf(w, '2026-03-21T12:00:00Z').hours, 6);
      assert.equal(spanOf(w, '2026-10-31T12:00:00Z').hours, 6);
    });

    it('a window opening in the skipped hour opens at the jump (03:00 CEST); one closing there closes at it', () => {
      const opening = windows('Sun 02:30-05:00', 'Europe/Berlin');
      assert.deepEqual(spanOf(opening, '2026-03-28T12:00:00Z'), {
        opens: '2026-03-29T01:00:00.000Z',
        closes: '2026-03-29T03:00:00.000Z',
        hours: 2,
      });
      assert.equal(isInside(opening, at('2026-03-29T00:59:59Z')), false);
      assert.equal(isInside(opening, at('2026-03-29T01:00:00Z')), true);
      const closing = windows('Sun 00:30-02:30', 'Europe/Berlin');
      assert.deepEqual(spanOf(closing, '2026-03-28T12:00:00Z'), {
        opens: '2026-03-28T23:30:00.000Z',
        closes: '2026-03-29T01:00:00.000Z',
        hours: 1.5,
      });
    });

    it('a window opening or closing in the repeated hour does so the first time the clock shows it', () => {
      const opening = windows('Sun 02:30-05:00', 'Europe/Berlin');
      // 02:30 CEST (00:30 UTC), not 02:30 CET (01:30 UTC); 05:00 CET is 04:00 UTC.
      assert.deepEqual(spanOf(opening, '2026-10-24T12:00:00Z'), {
        opens: '2026-10-25T00:30:00.000Z',
        closes: '2026-10-25T04:00:00.000Z',
        hours: 3.5,
      });
      const closing = windows('Sun 01:00-02:30', 'Europe/Berlin');
      assert.deepEqual(spanOf(closing, '2026-10-24T12:00:00Z'), {
        opens: '2026-10-24T23:00:00.000Z',
        closes: '2026-10-25T00:30:00.000Z',
        hours: 1.5,
      });
      // During the second 02:00-03:00 (CET) the window that closed at the first 02:30 stays closed.
      assert.equal(isInside(closing, at('2026-10-25T01:15:00Z')), false);
    });

    it('a window wholly inside the skipped hour does not happen that week', () => {
      const w = windows('Sun 02:10-02:50', 'Europe/Berlin');
      assert.equal(iso(nextOpening(w, at('2026-03-28T12:00:00Z'))), '2026-04-05T00:10:00.000Z');
      assert.equal(iso(nextOpening(w, at('2026-03-21T12:00:00Z'))), '2026-03-22T01:10:00.000Z');
    });
  });
});
