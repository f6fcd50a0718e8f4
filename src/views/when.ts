/**
 * Scheduled times in words: in the change time zone and in UTC ("Sat 5 Dec 22:00 Europe/Berlin
 * (21:00 UTC)"), why a time was refused, how a skipped or repeated local time was read, and the
 * thread lines of a scheduled request (its reminder, "starting now", "not approved in time").
 */
import { DateTime } from 'luxon';
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import { isWaitingForItsTime, type SoaRequest } from '../domain/request';
import type { Adjustment, WhenReading } from '../domain/schedule';
import type { Outgoing } from '../ports/notifier';
import { shortChange } from './labels';
import { shownReq } from './shown';
import { forMessage } from './text';
import { outsideWindows } from './windows';

const DAY = 'ccc d LLL';
const CLOCK = 'HH:mm';

/** "Sat 5 Dec 22:00 Europe/Berlin (21:00 UTC)"; the UTC day is named too when it is another day. */
export function formatWhen(at: Date | string, zone: string): string {
  const utc = DateTime.fromJSDate(new Date(at), { zone: 'utc' }).setLocale('en-GB');
  const local = utc.setZone(zone);
  if (!local.isValid || (local.offset === 0 && /^(?:utc|etc\/utc|gmt|z)$/i.test(zone)))
    return `${utc.toFormat(`${DAY} ${CLOCK}`)} UTC`;
  const sameDay = local.toISODate() === utc.toISODate();
  return `${local.toFormat(`${DAY} ${CLOCK}`)} ${zone} ` + `(${utc.toFormat(sameDay ? CLOCK : `${DAY} ${CLOCK}`)} UTC)`;
}

/** The zone a request's time is shown in: the one it was read in, else UTC. */
const zoneOf = (req: SoaRequest) => req.schedule?.zone ?? 'UTC';

/** When a request will not start before, in words; null when it may start at once. */
export function scheduledFor(req: SoaRequest): string | null {
  const at = req.notBefore ?? req.scheduledFor;
  return at ? formatWhen(at, zoneOf(req)) : null;
}

/** "· scheduled for …" for a status line of a request that has not started; "" otherwise. */
export function scheduledSuffix(req: SoaRequest): string {
  const at = scheduledFor(req);
  if (!at || !(req.state === 'awaiting_approval' || isWaitingForItsTime(req))) return '';
  return ` · scheduled for ${at}`;
}

/** How a local time the zone skips or repeats that day was read. */
export function adjustmentNote(a: Adjustment, zone: string): string {
  const day = DateTime.fromISO(a.date, { zone: 'utc' }).setLocale('en-GB').toFormat('ccc d LLL');
  return a.kind === 'gap'
    ? `${a.asked} does not exist on ${day} in ${zone} (the clocks go forward): read as the same time after the change.`
    : `${a.asked} happens twice on ${day} in ${zone} (the clocks go back): the first one is taken; ` +
        `the second would be ${formatWhen(a.later, zone)}.`;
}

/** Why a time clause was refused; nothing was requested. */
export function whenRefused(r: Extract<WhenReading, { ok: false }>, zone: string): string {
  const asked = `"${forMessage(r.text)}"`;
  const tail = ' Nothing was requested.';
  switch (r.problem) {
    case 'unknown':
      return (
        `I could not read ${asked} as a date and time. Try "at 2026-12-05 22:00", "on Saturday at 22:00", ` +
        `"tonight at 23:00", "tomorrow at 06:00" or "in 2 hours" (times in ${zone}).${tail}`
      );
    case 'noTimeOfDay':
      return `${asked} names a day but no time of day: add one, such as "on Saturday at 22:00".${tail}`;
    case 'past':
      return `${asked} is ${formatWhen(r.at, zone)}, which is not in the future.${tail}`;
    case 'tooFar':
      return (
        `${asked} is ${formatWhen(r.at, zone)}: switches can be scheduled at most ${r.maxDays} days ahead ` +
        `(MAX_SCHEDULE_DAYS).${tail}`
      );
    case 'outsideWindows':
      return (
        outsideWindows({
          scheduledFor: r.at.toISOString(),
          opens: r.opens.toISOString(),
          closes: r.closes.toISOString(),
          zone,
        }) + tail
      );
  }
}

/** Is this the start of a scheduled request (its first run, not a resumed plan's)? */
export function isScheduledStart(req: SoaRequest): boolean {
  return (
    !!scheduledFor(req) && req.state === 'executing' && req.history.filter((h) => h.state === 'executing').length === 1
  );
}

/** The thread line when a scheduled request starts (its names already shown: shownReq). */
export function startingNow(req: SoaRequest): string {
  const what = req.plan ? `Plan ${req.id} (${req.plan.label})` : `Request ${req.id} for **${req.groupName}**`;
  const who = req.approver?.name ?? '';
  return `▶️ ${what}: starting now, as scheduled for ${scheduledFor(req)}, with ${who}'s sign-in.`;
}

/** The thread lines of a scheduled request before it starts: its reminder an hour ahead, and "not approved in time". */
export function scheduleLine(raw: SoaRequest, kind: 'soon' | 'late', policy: ApprovalPolicy): Outgoing {
  const req = shownReq(raw, forMessage);
  const what = `request ${req.id} (${shortChange(req.action)} of **${req.groupName}**)`;
  const at = scheduledFor(req) ?? '';
  if (kind === 'late')
    return {
      text:
        `⏰ ${cap(what)} was scheduled for ${at} but is not approved yet. It runs as soon as it is approved, ` +
        `unless it expires first (${formatWhen(req.expiresAt, zoneOf(req))}). ` +
        `Who may decide: ${describeApprovers(policy)}.`,
    };
  if (req.state === 'approved' && req.approver) {
    const a = req.approver;
    const mention = a.channelUserId ? `<at>${a.name}</at>` : a.name;
    return {
      text:
        `⏰ ${mention}: ${what} starts in an hour, at ${at}, with your sign-in. ` +
        'Reject it on its card before then if it must not run.',
      ...(a.channelUserId ? { mentions: [{ id: a.channelUserId, name: a.name }] } : {}),
    };
  }
  return {
    text:
      `⏰ Reminder: ${what} is scheduled for ${at}, in an hour, and still waits for a decision. ` +
      `Who may decide: ${describeApprovers(policy)}.`,
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The card's rows for a scheduled request: when it runs, and how a skipped or repeated local time was read. */
export function scheduleRows(req: SoaRequest): Array<{ label: string; value: string }> {
  const at = scheduledFor(req);
  if (!at) return [];
  const rows = [{ label: 'Scheduled for', value: at }];
  if (req.schedule?.adjusted)
    rows.push({ label: 'Time read as', value: adjustmentNote(req.schedule.adjusted, zoneOf(req)) });
  return rows;
}

/** A scheduled request naming a group several groups are called: a pick list would drop the time. */
export function severalGroupsScheduled(name: string): string {
  return (
    `Several groups are named **${forMessage(name)}**: to schedule the change, give the object id of the one ` +
    `you mean (\`check ${forMessage(name)}\` lists them). Nothing was requested for that name.`
  );
}
