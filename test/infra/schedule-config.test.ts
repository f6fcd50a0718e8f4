import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { local, problems } from '../support/config-env';

describe('configuration: scheduled switches (CHANGE_TIMEZONE, MAX_SCHEDULE_DAYS)', () => {
  it('defaults to UTC and 30 days; takes an IANA zone', () => {
    assert.deepEqual(loadConfig(local, '/srv/bot').schedule, { zone: 'UTC', maxDays: 30 });
    const c = loadConfig({ ...local, CHANGE_TIMEZONE: 'Europe/Berlin', MAX_SCHEDULE_DAYS: '90' }, '/srv/bot');
    assert.deepEqual(c.schedule, { zone: 'Europe/Berlin', maxDays: 90 });
  });

  it('names a zone it does not know and a horizon out of bounds', () => {
    assert.match(
      problems({ CHANGE_TIMEZONE: 'Europe/Atlantis' }),
      /CHANGE_TIMEZONE must be an IANA time zone .*'Europe\/Atlantis'/,
    );
    assert.match(problems({ CHANGE_TIMEZONE: '+02:00x' }), /CHANGE_TIMEZONE must be an IANA time zone/);
    assert.match(problems({ MAX_SCHEDULE_DAYS: '0' }), /MAX_SCHEDULE_DAYS must be a number ≥ 1, not '0'/);
    assert.match(problems({ MAX_SCHEDULE_DAYS: '400' }), /MAX_SCHEDULE_DAYS must be at most 365/);
  });
});
