/** The rules for scheduled switches: the zone times are read and shown in, and how far ahead they may be. */
import { isKnownZone } from '../domain/schedule';
import type { EnvReader } from './env';

export interface ScheduleConfig {
  /** CHANGE_TIMEZONE: an IANA zone ("Europe/Berlin"); UTC when unset. */
  zone: string;
  /** MAX_SCHEDULE_DAYS: a switch is scheduled at most this many days ahead. */
  maxDays: number;
}

export function scheduleConfig(r: EnvReader): ScheduleConfig {
  const zone = r.str('CHANGE_TIMEZONE') ?? 'UTC';
  if (!isKnownZone(zone))
    r.problem(`CHANGE_TIMEZONE must be an IANA time zone such as Europe/Berlin or UTC, not '${zone}'.`);
  const maxDays = r.num('MAX_SCHEDULE_DAYS', 30, 1);
  if (maxDays > 365) r.problem(`MAX_SCHEDULE_DAYS must be at most 365, not '${maxDays}'.`);
  return { zone: isKnownZone(zone) ? zone : 'UTC', maxDays };
}
