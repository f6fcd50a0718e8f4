/** The lines the bot posts in a request's thread: state changes, reminders, the post-switch watch. */
import { planCounts } from '../domain/plan';
import type { ApprovalPolicy } from '../domain/policy';
import { isMultiApproval } from '../domain/quorum';
import type { Outgoing } from '../ports/notifier';
import type { WatchSeen } from '../ports/presenter';
import { approvedLine, reminderWaits } from './approvals';
import { changeControlNote } from './change-control';
import { shortChange, time } from './labels';
import { shownReq } from './shown';
import { forMessage } from './text';
import { isWaitingForItsTime, type SoaRequest } from '../domain/request';
import { isScheduledStart, scheduledFor, startingNow } from './when';
import { waitingThreadLine } from './windows';

type Line = { text: string };

/**
 * The thread line for a state change, naming the requester with an @mention so Teams
 * notifies them (unless they caused the change themselves).
 */
export function threadUpdate(raw: SoaRequest): Outgoing | null {
  const req = shownReq(raw, forMessage);
  const found = threadLine(req);
  if (!found) return null;
  const line = { text: `${found.text}${changeControlNote(req)}` };
  const r = req.requester;
  const byRequester =
    req.state === 'cancelled' || (req.approver?.id === r.id && ['approved', 'rejected'].includes(req.state));
  if (!r.channelUserId || byRequester) return line;
  return { text: `<at>${r.name}</at> ${line.text}`, mentions: [{ id: r.channelUserId, name: r.name }] };
}

function threadLine(req: SoaRequest): Line | null {
  // A scheduled request: the thread hears when it starts, and when it was approved, when it will.
  if (isScheduledStart(req)) return { text: startingNow(req) };
  if (req.plan && req.state !== 'approved') return planLine(req);
  const g = `**${req.groupName}**`;
  switch (req.state) {
    case 'approved': {
      if (isWaitingForItsTime(req))
        return {
          text:
            `Request ${req.id} for ${g} was approved by ${req.approver?.name}; ` +
            `it runs at ${scheduledFor(req)} with their sign-in. ` +
            'Until it starts, the requester can cancel it and an approver can reject it on the card.',
        };
      // Held for a change window, or a plan paused at one's end.
      const waiting = waitingThreadLine(req);
      if (waiting) return waiting;
      if (isMultiApproval(req)) return { text: approvedLine(req) };
      return {
        text:
          `Request ${req.id} for ${g} was approved by ${req.approver?.name}` +
          `${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}; running it with their sign-in.`,
      };
    }
    case 'awaiting_audit':
      return {
        text:
          `${req.action === 'move' ? `Switched ${g} to cloud management` : `Rolled back ${g} to AD management`}` +
          ` with ${req.approver?.name}'s sign-in; read back and verified. Waiting for the audit log entry…`,
      };
    case 'completed':
    case 'waiting_for_sync': {
      const lead =
        req.state === 'completed'
          ? `✅ ${g} is now cloud-managed.`
          : `↩️ ${g} is rolled back; the next sync cycle will take it over from AD.`;
      if (!req.audit)
        return {
          text:
            `${lead} The change was verified, but its audit entry did not appear in time; ` +
            `look for it in the Entra audit log (request ${req.id}).`,
        };
      const a = req.audit;
      return {
        text:
          `${lead} Audit log: **${a.activityDisplayName}** at ${time(a.activityDateTime)}, ` +
          `initiated by ${a.initiatedBy}, result ${a.result}. Audit record ${a.id}, correlation id ${a.correlationId}.`,
      };
    }
    case 'taken_over':
      return {
        text:
          `✅ ${g} is managed in AD again: the sync cycle at ${time(req.takenOverAt)} took it over ` +
          `(request ${req.id}).`,
      };
    case 'failed':
      return { text: `❌ Request ${req.id} for ${g} failed: ${req.reason ?? 'unknown reason'}` };
    case 'rejected':
      return { text: `Request ${req.id} for ${g} was rejected by ${req.approver?.name}: ${req.reason ?? ''}` };
    case 'expired':
      return {
        text:
          `Request ${req.id} for ${g} expired without a decision. ` +
          `${req.requester.name}, ask again if it is still needed.`,
      };
    case 'cancelled':
      return { text: `Request ${req.id} for ${g} was cancelled by ${req.requester.name}.` };
    default:
      return null;
  }
}

function planLine(req: SoaRequest): Line | null {
  const plan = req.plan!;
  const n = plan.steps.length;
  const c = planCounts(plan);
  const confirmed = plan.steps.filter((st) => st.audit).length;
  const what = req.action === 'move' ? 'switched to cloud management' : 'rolled back to AD management';
  switch (req.state) {
    case 'awaiting_audit':
      return {
        text:
          `Plan ${req.id}: all ${n} groups ${what} in order with ${req.approver?.name}'s sign-in, ` +
          'each read back and verified. Waiting for the audit log entries…',
      };
    case 'completed':
      return {
        text:
          `✅ Plan ${req.id} (${plan.label}) is complete: ${n} groups are cloud-managed; ` +
          `${confirmed} of ${n} confirmed in the audit log` +
          `${confirmed < n ? ' (the rest did not appear in time; look in the Entra audit log)' : ''}.`,
      };
    case 'waiting_for_sync':
      return {
        text:
          `↩️ Plan ${req.id}: ${n} groups rolled back (${confirmed} of ${n} confirmed in the audit log); ` +
          'the next sync cycle takes them over from AD.',
      };
    case 'taken_over':
      return { text: `✅ Plan ${req.id}: all ${n} groups are managed in AD again (taken over by the sync cycle).` };
    case 'stopped': {
      const failed = plan.steps.find((st) => st.state === 'failed');
      return {
        text:
          `⏸️ Plan ${req.id} stopped at step ${plan.steps.indexOf(failed!) + 1} of ${n}, ` +
          `**${failed?.groupName}**: ${failed?.error ?? 'failed'}. ` +
          `${c.done} group(s) were switched; ${c.untouched} are untouched. ` +
          'An approver can resume the plan from the card; the requester can cancel it.',
      };
    }
    case 'failed':
      return { text: `❌ Plan ${req.id} failed: ${req.reason ?? 'unknown reason'}` };
    case 'rejected':
      return { text: `Plan ${req.id} (${plan.label}) was rejected by ${req.approver?.name}: ${req.reason ?? ''}` };
    case 'expired':
      return { text: `Plan ${req.id} (${plan.label}) expired without a decision.` };
    case 'cancelled':
      return { text: `Plan ${req.id} (${plan.label}) was cancelled by ${req.requester.name}.` };
    default:
      return null;
  }
}

export function reminder(raw: SoaRequest, policy: ApprovalPolicy): Outgoing {
  const req = shownReq(raw, forMessage);
  const { waits, who } = reminderWaits(req, policy);
  return {
    text:
      `⏰ Reminder: request ${req.id} (${shortChange(req.action)} of **${req.groupName}**, ` +
      `asked by ${req.requester.name}${changeControlNote(req)}) ${waits}; it expires ${time(req.expiresAt)}. ${who}`,
  };
}

/** At most ten names, then how many more. */
const listed = (xs: string[]) =>
  xs.length > 10 ? `${xs.slice(0, 10).join(', ')} and ${xs.length - 10} more` : xs.join(', ');

/**
 * What a sync cycle after a move showed, and what it could not show: the provisioning log is
 * Cloud Sync's; Connect Sync records a skipped AD-side edit only as event 6956 on its server.
 */
export function watchLine(raw: SoaRequest, rawSeen: WatchSeen): Outgoing {
  const req = shownReq(raw, forMessage);
  const log = rawSeen.provisioning;
  const seen = {
    ...rawSeen,
    takenOver: rawSeen.takenOver.map((n) => forMessage(n)),
    provisioning: log && {
      ...log,
      skipped: log.skipped.map((x) => ({ name: forMessage(x.name), changes: x.changes.map((c) => forMessage(c)) })),
      unlogged: log.unlogged.map((n) => forMessage(n)),
    },
  };
  const what = req.plan
    ? `the ${req.plan.steps.filter((st) => st.state === 'done').length} groups of plan ${req.id}`
    : `**${req.groupName}**`;
  const parts: string[] = [];
  const one = seen.takenOver.length === 1;
  if (seen.takenOver.length)
    parts.push(
      `⚠️ Drift after the sync cycle at ${time(seen.lastSync)}: ${listed(seen.takenOver)} ${one ? 'is' : 'are'} ` +
        `synced from AD again (taken over), not cloud-managed. Someone rolled ${one ? 'it' : 'them'} back, ` +
        'or the sync client is older than the supported version.',
    );
  else
    parts.push(
      `🔍 Sync cycle at ${time(seen.lastSync)}: ${what} stayed cloud-managed; ` +
        `the sync client skipped ${req.plan ? 'them' : 'it'}.`,
    );
  parts.push(...provisioningSeen(seen.provisioning, seen.since, req.plan ? null : `**${req.groupName}**`));
  return { text: `Request ${req.id}: ${parts.join(' ')}` };
}

/** What the provisioning log showed over the window, and what Graph cannot show. `single`: the one group's name. */
function provisioningSeen(log: WatchSeen['provisioning'], since: string | null, single: string | null): string[] {
  if (log === null)
    return [
      'The provisioning log could not be read, so no skipped AD-side edit was seen: Cloud Sync records them ' +
        'there, Connect Sync only as event 6956 on the sync server.',
    ];
  const window = since ? `since the sync cycle at ${time(since)}` : 'since the switch';
  const out: string[] = [];
  const logged = log.groups - log.unlogged.length;
  if (log.skipped.length) {
    const skipped = log.skipped
      .slice(0, 10)
      .map((x) => `${x.name} (${x.changes.join(', ') || 'changed'})`)
      .join('; ');
    const more = log.skipped.length > 10 ? ` and ${log.skipped.length - 10} more` : '';
    out.push(
      `AD-side changes were skipped and are not in the cloud: ${skipped}${more}. ` +
        'Make them in the cloud if they are still wanted.',
    );
  } else if (logged > 0)
    out.push(
      `The provisioning log has entries ${window} for ${single ?? `${logged} of the groups`}, ` +
        'none of them a skipped AD-side edit.',
    );
  if (log.unlogged.length) {
    const all = log.unlogged.length === log.groups;
    const whom = single ?? (all ? `the ${log.groups} groups` : listed(log.unlogged));
    const them = single || log.unlogged.length === 1 ? 'it' : 'them';
    out.push(
      `The provisioning log has no entry ${window} for ${whom}: if Cloud Sync syncs ${them}, no AD-side edit ` +
        'was skipped. Connect Sync records skipped edits only as event 6956 on the sync server, which Graph ' +
        'does not show.',
    );
  }
  return out;
}
