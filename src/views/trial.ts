/**
 * Trial conversions in words: the trial's end on the card and the board, the reminders with
 * Keep in the cloud and Roll back now, the thread's call for an approver's click, refusals.
 */
import type { SoaRequest } from '../domain/request';
import { TRIAL_DEFAULT_DAYS, TRIAL_MAX_DAYS, type TrialCheck, type TrialReminder } from '../domain/trial';
import type { Outgoing } from '../ports/notifier';
import type { Notice } from '../ports/presenter';
import { shownReq } from './shown';
import { summarised } from './templates';
import { forMessage } from './text';
import { VERB } from './verbs';
import { formatWhen } from './when';

const HOUR = 3_600_000;

/** "7 days", "12 hours", "1 day". */
export function trialLength(ms: number): string {
  const days = ms / (24 * HOUR);
  if (Number.isInteger(days)) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = Math.round(ms / HOUR);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** "trial until Tue 8 Dec 14:05 UTC" (or "trial for 7 days" before the switch; what became of it after). */
export function trialSummary(req: SoaRequest): string | null {
  const t = req.trial;
  if (!t) return null;
  if (t.kept) return 'trial ended: kept in the cloud';
  // The rollback may still wait for an approver (the group changed in the cloud): its own card says.
  if (t.rollbackId) return `trial ended: rollback ${t.rollbackId}`;
  if (!t.endsAt) return `trial for ${trialLength(t.lengthMs)}, rolled back at its end`;
  return `trial until ${formatWhen(t.endsAt, 'UTC')}`;
}

/** The trial's row on the request card; none for other requests. */
export function trialRows(req: SoaRequest): Array<{ label: string; value: string }> {
  const s = trialSummary(req);
  const rows = s ? [{ label: 'Trial', value: s }] : [];
  if (req.trialOf) rows.push({ label: 'Trial', value: `the automatic rollback of trial ${req.trialOf}` });
  return rows;
}

/** " · trial until …" for a status line or the board; "" otherwise. */
export function trialSuffix(req: SoaRequest): string {
  const s = trialSummary(req);
  return s ? ` · ${s}` : '';
}

/** Why a trial clause is refused (nothing is stored). */
export function trialRefusal(c: Exclude<TrialCheck, { ok: true }>): string {
  const asked = `"${forMessage(c.text)}"`;
  switch (c.problem) {
    case 'notPositive':
      return `${asked}: a trial lasts at least an hour. Try "for 7 days" or "for 12 hours".`;
    case 'tooLong':
      return (
        `${asked}: a trial lasts at most ${TRIAL_MAX_DAYS} days. ` + 'Without a trial the move stays until rolled back.'
      );
    case 'unreadable':
      return `I could not read ${asked} as a trial length. Try "for 7 days", "for 12 hours" or "as a trial".`;
    case 'notAMove':
      return (
        `${asked}: only the move of one group can be a trial (rollbacks, trees and prefixes cannot). ` +
        `"as a trial" alone means ${TRIAL_DEFAULT_DAYS} days.`
      );
  }
}

type TrialNotice = Extract<Notice, { kind: 'trialRollbackNote' | 'trialNotApprover' | 'trialNotRunning' }>;

export function trialNotice(n: TrialNotice): string {
  switch (n.kind) {
    case 'trialRollbackNote':
      return `Approved with trial ${n.trialId}: the rollback at the end of its trial.`;
    case 'trialNotApprover':
      return `Only approvers can keep a trial in the cloud or roll it back. ${n.reason}`;
    case 'trialNotRunning':
      return `Request ${n.request.id} is not a running trial (${trialSummary(n.request) ?? 'no trial'}).`;
  }
}

/** The reminders (a day and an hour ahead), the call for an approver's click, and "kept in the cloud". */
export function trialLine(raw: SoaRequest, kind: TrialReminder | 'ask' | 'kept'): Outgoing {
  const req = shownReq(raw, forMessage);
  const t = req.trial!;
  const what = `trial ${req.id} (**${req.groupName}** in the cloud)`;
  const end = formatWhen(t.endsAt!, 'UTC');
  if (kind === 'kept')
    return {
      text: `✅ ${cap(what)} ends: ${forMessage(t.kept?.by ?? '')} kept the group in the cloud. No rollback will run.`,
    };
  const r = req.requester;
  const mention = r.channelUserId ? `<at>${r.name}</at>` : r.name;
  const text =
    kind === 'ask'
      ? `⏳ ${cap(what)} ended at ${end}, but no approver's sign-in is at hand to roll it back. ` +
        'An approver: click **Roll back now** to run it with your sign-in, or **Keep in the cloud**.'
      : `⏳ ${mention}: ${what} ends in ${kind === 'day' ? 'a day' : 'an hour'}, at ${end}; ` +
        `then it is rolled back with ${req.approver?.name ?? 'the approver'}'s sign-in. ` +
        'Approvers can keep it in the cloud or roll it back now.';
  const data = { requestId: req.id, version: String(req.history.length) };
  const card: Record<string, unknown> = {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true }],
    actions: [
      { type: 'Action.Execute', title: 'Keep in the cloud', verb: VERB.trialKeep, style: 'positive', data },
      { type: 'Action.Execute', title: 'Roll back now', verb: VERB.trialRollback, data },
    ],
    ...(kind !== 'ask' && r.channelUserId
      ? {
          msteams: {
            entities: [
              { type: 'mention', text: `<at>${r.name}</at>`, mentioned: { id: r.channelUserId, name: r.name } },
            ],
          },
        }
      : {}),
  };
  return { card: summarised(card), text };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The text posted with a trial rollback's own card. `waits`: the group changed in the cloud
 * since its move (or that could not be read, or a check blocks it), so the rollback waits for an
 * approver on that card instead of running by itself. `why`: the trial's end came, or an
 * approver (`by`, whose sign-in runs it) clicked Roll back now.
 */
export function trialRollbackLine(
  rawTrial: SoaRequest,
  rawRollback: SoaRequest,
  how: { waits: boolean; why: 'ended' | 'now'; by: string },
): string {
  const trial = shownReq(rawTrial, forMessage);
  const rollback = shownReq(rawRollback, forMessage);
  const g = `**${trial.groupName}**`;
  const ended =
    how.why === 'now'
      ? `Trial ${trial.id} of ${g} in the cloud is cut short by ${forMessage(how.by)}`
      : `Trial ${trial.id} of ${g} in the cloud has ended`;
  if (!how.waits) return `⏳ ${ended}: rollback ${rollback.id} runs now with ${forMessage(how.by)}'s sign-in.`;
  return (
    `⏳ ${ended}, but rollback ${rollback.id} does not run by itself: ` +
    `${g} changed in the cloud since its move (or that could not be read), and AD overwrites such changes ` +
    'once it manages the group again. An approver: check the changes on this card, then approve the rollback, ' +
    'or reject it to keep the group in the cloud.'
  );
}
