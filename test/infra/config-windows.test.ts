import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { local, problems } from '../support/config-env';

describe('configuration: CHANGE_WINDOWS', () => {
  it('unset or blank: no windows; set: the windows in CHANGE_TIMEZONE (default UTC)', () => {
    assert.equal(loadConfig(local, '/srv/bot').changeWindows, undefined);
    assert.equal(loadConfig({ ...local, CHANGE_WINDOWS: '  ' }, '/srv/bot').changeWindows, undefined);
    const utc = loadConfig({ ...local, CHANGE_WINDOWS: 'Sat 22:00-Sun 04:00' }, '/srv/bot').changeWindows!;
    assert.equal(utc.zone, 'UTC');
    const c = loadConfig(
      { ...local, CHANGE_WINDOWS: 'Sat 22:00-Sun 04:00; Wed 20:00-22:00', CHANGE_TIMEZONE: 'Europe/Berlin' },
      '/srv/bot',
    );
    assert.equal(c.changeWindows!.zone, 'Europe/Berlin');
    assert.deepEqual(
      c.changeWindows!.windows.map((w) => w.text),
      ['Sat 22:00-Sun 04:00', 'Wed 20:00-22:00'],
    );
  });

  it('names the part that does not parse, and why', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { CHANGE_WINDOWS: 'Sat 22:00-Sun 04:00; Wed 8pm-10pm' },
        "CHANGE_WINDOWS: 'Wed 8pm-10pm' is not a window (each window is '<day> <HH:MM>-[<day>] <HH:MM>', " +
          "such as 'Sat 22:00-Sun 04:00', separated by ';').",
      ],
      [
        { CHANGE_WINDOWS: 'Sam 22:00-Sun 04:00' },
        "CHANGE_WINDOWS: 'Sam 22:00-Sun 04:00': 'Sam' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun).",
      ],
      [
        { CHANGE_WINDOWS: 'Sat 22:00-Sun 28:00' },
        "CHANGE_WINDOWS: 'Sat 22:00-Sun 28:00': '28:00' is not a time of day (00:00 to 23:59; 24:00 as a closing).",
      ],
      [
        { CHANGE_WINDOWS: 'Wed 20:00-20:00' },
        "CHANGE_WINDOWS: 'Wed 20:00-20:00' opens and closes at the same time (unset CHANGE_WINDOWS for no windows).",
      ],
      [
        { CHANGE_WINDOWS: 'Sat 22:00-Sun 04:00; Sun 02:00-06:00' },
        "CHANGE_WINDOWS: 'Sun 02:00-06:00' overlaps 'Sat 22:00-Sun 04:00'; join them into one window.",
      ],
      [
        { CHANGE_WINDOWS: 'Sat 22:00-Sun 04:00', CHANGE_TIMEZONE: 'Berlin' },
        "CHANGE_TIMEZONE must be an IANA time zone such as Europe/Berlin or UTC, not 'Berlin'.",
      ],
    ];
    for (const [env, text] of cases) assert.equal(problems(env), `The bot is not configured correctly:\n- ${text}`);
  });
});
