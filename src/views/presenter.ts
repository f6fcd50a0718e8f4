/** View models for every card and thread line. Reads only the request; no I/O. */
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import { kindLabel, type CheckRow, type CheckStatus, type GroupFacts } from '../domain/prerequisites';
import { planCounts } from '../domain/plan';
import { cardVersion, describeState, type Plan, type PlanStep, type SoaRequest } from '../domain/request';
import type { SoaAction } from '../domain/command';
import type { GroupMatch } from '../ports/directory';
import type { Outgoing } from '../ports/notifier';
import type { Presenter } from '../ports/presenter';
import { explain } from './errors';
import { notice } from './notices';
import { render } from './templates';
import { forCard, forMessage } from './text';

type Shown = (v: string | null | undefined, max?: number) => string;

/** The request as shown: every value that came from outside the bot passed through `f`. */
function shownReq(req: SoaRequest, f: Shown): SoaRequest {
  const person = <P extends { name: string } | undefined>(p: P): P => (p ? { ...p, name: f(p.name) } : p);
  return {
    ...req,
    groupName: f(req.groupName),
    requester: person(req.requester),
    ...(req.approver ? { approver: person(req.approver) } : {}),
    ...(req.reason !== undefined ? { reason: f(req.reason) } : {}),
    ...(req.audit
      ? {
          audit: {
            ...req.audit,
            initiatedBy: f(req.audit.initiatedBy),
            activityDisplayName: f(req.audit.activityDisplayName),
          },
        }
      : {}),
    ...(req.plan ? { plan: shownPlan(req.plan, f) } : {}),
    facts: shownFacts(req.facts, f),
    checks: shownChecks(req.checks, f),
    history: req.history.map((h) => ({
      ...h,
      ...(h.by !== undefined ? { by: f(h.by) } : {}),
      ...(h.note !== undefined ? { note: f(h.note) } : {}),
    })),
  };
}

function shownPlan(plan: Plan, f: Shown): Plan {
  return {
    ...plan,
    label: f(plan.label),
    steps: plan.steps.map((st) => ({
      ...st,
      groupName: f(st.groupName),
      warnings: st.warnings.map((w) => f(w)),
      ...(st.error !== undefined ? { error: f(st.error) } : {}),
    })),
    skipped: plan.skipped.map((k) => ({ ...k, groupName: f(k.groupName) })),
  };
}

function shownFacts(facts: GroupFacts, f: Shown): GroupFacts {
  const g = facts.group;
  return {
    ...facts,
    group: {
      ...g,
      displayName: f(g.displayName),
      description: g.description === null ? null : f(g.description),
      onPremisesSamAccountName: g.onPremisesSamAccountName === null ? null : f(g.onPremisesSamAccountName),
      onPremisesDomainName: g.onPremisesDomainName === null ? null : f(g.onPremisesDomainName),
    },
  };
}

/** Check details name groups and values from the directory (up to ~1,000 characters of them). */
function shownChecks(checks: CheckRow[], f: Shown): CheckRow[] {
  return checks.map((c) => ({ ...c, detail: f(c.detail, 1200) }));
}

const ICON: Record<CheckStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', unknown: '❔', ack: '☑️' };
const STATUS_LABEL: Record<CheckStatus, string> = {
  pass: 'pass',
  warn: 'warning',
  fail: 'blocking',
  unknown: 'could not verify',
  ack: 'approver must confirm',
};

export function changeLabel(action: SoaAction): string {
  return action === 'move'
    ? 'Move to cloud management (isCloudManaged = true)'
    : 'Roll back to AD management (isCloudManaged = false)';
}

function shortChange(action: SoaAction): string {
  return action === 'move' ? 'move to cloud' : 'rollback to AD';
}

export function time(iso: string | null | undefined): string {
  if (!iso) return 'never';
  return iso
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:\d\dZ$/, ' UTC')
    .replace(/Z$/, ' UTC');
}

function groupFacts(f: GroupFacts): Array<{ label: string; value: string }> {
  const g = f.group;
  const rows = [
    { label: 'Group', value: g.displayName },
    { label: 'Object id', value: g.id },
    { label: 'Type', value: kindLabel(g.kind) },
  ];
  if (g.onPremisesSamAccountName)
    rows.push({
      label: 'On-prem name',
      value: `${g.onPremisesDomainName ? `${g.onPremisesDomainName}\\` : ''}${g.onPremisesSamAccountName}`,
    });
  if (g.onPremisesSecurityIdentifier) rows.push({ label: 'SID', value: g.onPremisesSecurityIdentifier });
  rows.push({ label: 'Last sync', value: time(g.onPremisesLastSyncDateTime) });
  if (g.description) rows.push({ label: 'Description', value: g.description });
  return rows;
}

function checkRows(rows: CheckRow[]) {
  return rows.map((r) => ({
    icon: ICON[r.status],
    title: r.title,
    statusLabel: STATUS_LABEL[r.status],
    detail: r.detail,
  }));
}

const HEADER: Record<string, string> = {
  awaiting_approval: 'accent',
  approved: 'accent',
  executing: 'accent',
  awaiting_audit: 'accent',
  completed: 'good',
  waiting_for_sync: 'warning',
  taken_over: 'good',
  failed: 'attention',
  rejected: 'attention',
  expired: 'default',
  cancelled: 'default',
  stopped: 'attention',
};

const STATE_ICON: Record<string, string> = {
  awaiting_approval: '🕓',
  approved: '▶️',
  executing: '▶️',
  awaiting_audit: '🔎',
  waiting_for_sync: '🔄',
  completed: '✅',
  taken_over: '✅',
  failed: '❌',
  rejected: '⛔',
  expired: '⌛',
  cancelled: '✖️',
  stopped: '⏸️',
};

/** Plan steps on a request card: keeps it well inside Teams' 28 KB card limit. */
export const PLAN_ROWS = 30;

/** Rows on the board card: keeps it well inside Teams' card size limit. */
const BOARD_ROWS = 40;

export class CardPresenter implements Presenter {
  readonly explain = explain;
  readonly notice = notice;

  constructor(
    private readonly policy: ApprovalPolicy,
    private readonly ackText: (r: CheckRow | undefined) => string = (r) =>
      r?.detail ?? 'I confirm the sync client versions.',
  ) {}

  statusLine(req: SoaRequest): string {
    return this.statusLineOf(shownReq(req, forCard));
  }

  private statusLineOf(req: SoaRequest): string {
    const by = req.approver ? req.approver.name : '';
    switch (req.state) {
      case 'awaiting_approval':
        return `Requested by ${req.requester.name} · waiting for approval · expires ${time(req.expiresAt)}`;
      case 'approved':
        return `Approved by ${by}${req.selfApproved ? ' (self-approved: ALLOW_SELF_APPROVAL is on)' : ''} · starting`;
      case 'executing':
        return `Approved by ${by}${req.selfApproved ? ' (self-approved: ALLOW_SELF_APPROVAL is on)' : ''} · running with ${by}'s sign-in…`;
      case 'awaiting_audit':
        return `Done by ${by} and verified · waiting for the audit log entry`;
      case 'completed': {
        if (req.plan) {
          const n = req.plan.steps.length;
          const confirmed = req.plan.steps.filter((st) => st.audit).length;
          return `Completed · ${n} groups switched · ${confirmed} of ${n} confirmed in the audit log`;
        }
        return req.audit
          ? `Completed · confirmed in the audit log`
          : `Completed · verified; the audit entry was not visible in time`;
      }
      case 'waiting_for_sync':
        return `Rolled back by ${by} · waiting for the next sync cycle to take the group over`;
      case 'taken_over':
        return `Rolled back · taken over by AD at ${time(req.takenOverAt)}`;
      case 'failed':
        return `Failed: ${req.reason ?? 'unknown reason'}`;
      case 'rejected':
        return `Rejected by ${by}: ${req.reason ?? ''}`;
      case 'expired':
        return `Expired at ${time(req.expiresAt)} without a decision`;
      case 'cancelled':
        return `Cancelled by ${req.requester.name}`;
      case 'stopped':
        return `Stopped: ${req.reason ?? 'a step failed'}`;
    }
  }

  requestCard(raw: SoaRequest): Record<string, unknown> {
    const req = shownReq(raw, forCard);
    const outcome: Array<{ label: string; value: string }> = [
      { label: 'Request', value: req.id },
      { label: 'Change', value: changeLabel(req.action) },
      { label: 'Requested by', value: `${req.requester.name} at ${time(req.createdAt)}` },
    ];
    if (req.approver)
      outcome.push({
        label: req.state === 'rejected' ? 'Rejected by' : 'Approved by',
        value: `${req.approver.name}${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}`,
      });
    if (req.audit) {
      outcome.push(
        { label: 'Audit activity', value: req.audit.activityDisplayName },
        { label: 'Audit time', value: time(req.audit.activityDateTime) },
        { label: 'Initiated by', value: req.audit.initiatedBy },
        { label: 'Result', value: req.audit.result },
        { label: 'Audit record', value: req.audit.id },
        { label: 'Correlation id', value: req.audit.correlationId },
      );
    }
    const canDecide = req.state === 'awaiting_approval';
    const plan = req.plan ? this.planView(req) : undefined;
    return render('request', {
      ...(plan ? { plan } : {}),
      canResume: !!req.plan && req.state === 'stopped',
      canRollbackPlan:
        !!req.plan &&
        req.action === 'move' &&
        ['completed', 'stopped'].includes(req.state) &&
        req.plan.steps.some((st) => st.state === 'done'),
      title: `${req.action === 'move' ? 'Move to cloud' : 'Roll back to AD'}: ${req.groupName}`,
      statusLine: this.statusLineOf(req),
      headerStyle: HEADER[req.state] ?? 'default',
      groupFacts: groupFacts(req.facts),
      checks: checkRows(req.checks),
      outcome,
      approvers: canDecide ? `Who may decide: ${describeApprovers(this.policy)}. Anyone else is refused.` : undefined,
      canDecide,
      ackText: this.ackText(req.checks.find((c) => c.id === 'syncVersions')),
      requestId: req.id,
      version: cardVersion(req),
      canRequestFromCheck: false,
    });
  }

  /**
   * The plan on the card: counts, then up to PLAN_ROWS steps in execution order (around the
   * failed step once there is one). Longer plans are listed in full by planListing.
   */
  /** The dry run of a plan (check the tree under X): the plan and the checks, nothing requested. */
  planCheckCard(
    rawPlan: Plan,
    rawFacts: GroupFacts,
    rawChecks: CheckRow[],
    blocked: boolean,
    problem?: string,
  ): Record<string, unknown> {
    const plan = shownPlan(rawPlan, forCard);
    const facts = shownFacts(rawFacts, forCard);
    const checks = shownChecks(rawChecks, forCard);
    return render('request', {
      title: `Check (move to cloud): ${plan.label}`,
      statusLine:
        problem ??
        (blocked
          ? 'A blocking check failed: this plan cannot be requested.'
          : 'Dry run: nothing was requested or changed. Ask with "move … to cloud" to request it.'),
      headerStyle: blocked ? 'attention' : 'emphasis',
      groupFacts: [{ label: 'Tenant facts from', value: `${facts.group.displayName} (${facts.group.id})` }],
      checks: checkRows(checks),
      outcome: [],
      plan: this.planView({ plan, action: 'move' }),
      canDecide: false,
      canRequestFromCheck: false,
    });
  }

  private planView(req: { plan?: Plan; action: SoaAction }): {
    heading: string;
    summary: string;
    rows: Array<{ text: string }>;
    more: string;
  } {
    const plan = req.plan!;
    const n = plan.steps.length;
    const counts = planCounts(plan);
    const confirmed = plan.steps.filter((st) => st.audit).length;
    const order =
      req.action === 'move'
        ? 'bottom-up: nested groups first, each before every group it is in'
        : 'top-down: parents first';
    const parts = [`${n} group${n === 1 ? '' : 's'} to ${req.action === 'move' ? 'switch' : 'roll back'}`];
    if (counts.done) parts.push(`${counts.done} done`);
    if (confirmed) parts.push(`${confirmed} confirmed in the audit log`);
    if (counts.failed) parts.push(`${counts.failed} failed`);
    if (counts.untouched) parts.push(`${counts.untouched} untouched`);
    if (plan.skipped.length)
      parts.push(`${plan.skipped.length} skipped (${[...new Set(plan.skipped.map((k) => k.reason))].join('; ')})`);
    if (plan.sharedGroups.length) parts.push(`${plan.sharedGroups.length} under several parents (switched once)`);
    if (plan.cycleGroups.length) parts.push(`${plan.cycleGroups.length} on a nesting cycle`);
    const pre = plan.prerequisites;
    if (pre?.extensionAttributes)
      parts.push(`${pre.extensionAttributes} with extension attributes set (lost at the switch)`);
    if (pre?.adParents) parts.push(`${pre.adParents} in groups still synced from AD outside the plan`);
    if (pre?.unread) parts.push(`${pre.unread} whose prerequisites could not be read`);
    const failedAt = plan.steps.findIndex((st) => st.state === 'failed');
    const start = failedAt >= PLAN_ROWS ? Math.max(0, failedAt - Math.floor(PLAN_ROWS / 2)) : 0;
    const shown = plan.steps.slice(start, start + PLAN_ROWS);
    const icon = (st: PlanStep) =>
      st.state === 'done'
        ? st.audit
          ? '✅'
          : '☑️'
        : st.state === 'failed'
          ? '❌'
          : st.state === 'untouched'
            ? '⏸️'
            : '▫️';
    return {
      heading: `Plan (${plan.label}), ${order}`,
      summary: parts.join(' · '),
      rows: shown.map((st, i) => ({
        text: `${start + i + 1}. ${icon(st)} **${st.groupName}**${plan.kind === 'tree' ? ` · level ${st.depth}` : ''}${st.warnings.length ? ` · ⚠️ ${st.warnings.join('; ')}` : ''}${st.error ? ` · ${st.error}` : ''}`,
      })),
      more:
        n > shown.length
          ? `Steps ${start + 1}–${start + shown.length} of ${n} shown; every step is listed in the thread.`
          : '',
    };
  }

  private planLine(req: SoaRequest): { text: string } | null {
    const plan = req.plan!;
    const n = plan.steps.length;
    const c = planCounts(plan);
    const confirmed = plan.steps.filter((st) => st.audit).length;
    const what = req.action === 'move' ? 'switched to cloud management' : 'rolled back to AD management';
    switch (req.state) {
      case 'awaiting_audit':
        return {
          text: `Plan ${req.id}: all ${n} groups ${what} in order with ${req.approver?.name}'s sign-in, each read back and verified. Waiting for the audit log entries…`,
        };
      case 'completed':
        return {
          text: `✅ Plan ${req.id} (${plan.label}) is complete: ${n} groups are cloud-managed; ${confirmed} of ${n} confirmed in the audit log${confirmed < n ? ' (the rest did not appear in time; look in the Entra audit log)' : ''}.`,
        };
      case 'waiting_for_sync':
        return {
          text: `↩️ Plan ${req.id}: ${n} groups rolled back (${confirmed} of ${n} confirmed in the audit log); the next sync cycle takes them over from AD.`,
        };
      case 'taken_over':
        return { text: `✅ Plan ${req.id}: all ${n} groups are managed in AD again (taken over by the sync cycle).` };
      case 'stopped': {
        const failed = plan.steps.find((st) => st.state === 'failed');
        return {
          text: `⏸️ Plan ${req.id} stopped at step ${plan.steps.indexOf(failed!) + 1} of ${n}, **${failed?.groupName}**: ${failed?.error ?? 'failed'}. ${c.done} group(s) were switched; ${c.untouched} are untouched. An approver can resume the plan from the card; the requester can cancel it.`,
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

  /** Every step and every skipped group, as messages of at most `perMessage` lines (nothing cut). */
  planListing(raw: { id: string; plan?: Plan }, perMessage = 100): Array<{ text: string }> {
    const req = { id: raw.id, ...(raw.plan ? { plan: shownPlan(raw.plan, forMessage) } : {}) };
    const plan = req.plan!;
    const out: Array<{ text: string }> = [];
    for (let i = 0; i < plan.steps.length; i += perMessage) {
      const chunk = plan.steps.slice(i, i + perMessage);
      out.push({
        text: [
          `Plan ${req.id}, steps ${i + 1}–${i + chunk.length} of ${plan.steps.length}:`,
          ...chunk.map(
            (st, k) =>
              `${i + k + 1}. ${st.groupName} (${st.groupId})${st.warnings.length ? ` ⚠️ ${st.warnings.join('; ')}` : ''}`,
          ),
        ].join('\n\n'),
      });
    }
    for (let i = 0; i < plan.skipped.length; i += perMessage) {
      const chunk = plan.skipped.slice(i, i + perMessage);
      out.push({
        text: [
          `Plan ${req.id}, skipped ${i + 1}–${i + chunk.length} of ${plan.skipped.length}:`,
          ...chunk.map((k) => `${k.groupName} (${k.groupId}): ${k.reason}`),
        ].join('\n\n'),
      });
    }
    return out;
  }

  /** The dry-run report (check), with a button to turn it into a request when nothing blocks. */
  checkCard(rawFacts: GroupFacts, rawChecks: CheckRow[], action: SoaAction, blocked: boolean): Record<string, unknown> {
    const facts = shownFacts(rawFacts, forCard);
    const checks = shownChecks(rawChecks, forCard);
    return render('request', {
      title: `Check (${shortChange(action)}): ${facts.group.displayName}`,
      statusLine: blocked
        ? 'A blocking check failed: this change cannot be requested.'
        : 'Dry run: nothing was requested or changed.',
      headerStyle: blocked ? 'attention' : 'emphasis',
      groupFacts: groupFacts(facts),
      checks: checkRows(checks),
      outcome: [],
      canDecide: false,
      canRequestFromCheck: !blocked,
      requestTitle: action === 'move' ? 'Request the move' : 'Request the rollback',
      groupId: facts.group.id,
      action,
    });
  }

  pickCard(name: string, matches: GroupMatch[], action: SoaAction, mode: 'request' | 'check'): Record<string, unknown> {
    return render('pick', {
      title: `${matches.length} groups are named "${forCard(name)}"`,
      choices: matches.map((m) => ({
        id: m.id,
        displayName: forCard(m.displayName),
        detail: `${kindLabel(m.kind)} · ${m.onPremisesSyncEnabled === true ? 'synced from AD' : 'not synced from AD'}${m.onPremisesSamAccountName ? ` · ${forCard(m.onPremisesSamAccountName)}` : ''}${m.description ? ` · ${forCard(m.description)}` : ''} · ${m.id}`,
        verb: mode === 'request' ? 'request' : 'check',
        buttonTitle:
          mode === 'request'
            ? action === 'move'
              ? 'Request the move of this one'
              : 'Request the rollback of this one'
            : 'Check this one',
        action,
      })),
    });
  }

  statusCard(title: string, requests: SoaRequest[], emptyText: string, withTimeline: boolean): Record<string, unknown> {
    return render('status', {
      title: forCard(title),
      emptyText,
      items: requests
        .map((raw) => shownReq(raw, forCard))
        .map((r) => ({
          id: r.id,
          change: `${shortChange(r.action)} of ${r.groupName}`,
          stateLabel: describeState(r.state),
          summary: this.statusLineOf(r),
          timeline: withTimeline
            ? r.history.map((h) => ({
                at: time(h.at),
                what: `${describeState(h.state)}${h.by ? ` (${h.by})` : ''}${h.note ? `: ${h.note}` : ''}`,
              }))
            : [],
        })),
    });
  }

  /** The channel's tracking board: open requests (oldest first), then the last day's finished ones. */
  boardCard(key: string, open: SoaRequest[], recent: SoaRequest[], updatedAt: string): Record<string, unknown> {
    const row = (raw: SoaRequest) => {
      const r = shownReq(raw, forCard);
      return {
        id: r.id,
        icon: STATE_ICON[r.state],
        change: `${shortChange(r.action)} of ${r.groupName}${r.plan ? ` (${r.plan.steps.length} groups)` : ''}`,
        line: this.statusLineOf(r),
      };
    };
    const ordered = [...open].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const waiting = open.filter((r) => r.state === 'awaiting_approval').length;
    return render('board', {
      key,
      title: 'Group SOA requests in this conversation',
      summary: `${open.length} open · ${waiting} waiting for approval · ${open.length - waiting} in progress`,
      open: ordered.slice(0, BOARD_ROWS).map(row),
      more:
        ordered.length > BOARD_ROWS
          ? `…and ${ordered.length - BOARD_ROWS} more open requests (oldest shown first); \`status\` lists them.`
          : '',
      recent: recent.map(row),
      updated: time(updatedAt),
    });
  }

  helpCard(): Record<string, unknown> {
    return render('help', {
      commands: [
        {
          usage: 'move <group> to cloud',
          what: 'Request the switch to cloud management. Also: "switch SOA of <group> to cloud", "make <group> cloud-managed", several groups with commas, names with spaces in quotes.',
        },
        { usage: 'rollback <group>', what: 'Request the return to AD management. Also: "move <group> back to AD".' },
        {
          usage: 'check <group>',
          what: 'The prerequisite report alone (dry run). "check rollback of <group>" for a rollback.',
        },
        { usage: 'status [<group> | <request id>]', what: 'Where a request stands; alone: your requests.' },
        { usage: 'pending', what: 'Requests waiting for your decision.' },
        {
          usage: 'board',
          what: 'Post the tracking card of this channel or chat: every open request here, kept up to date.',
        },
        { usage: 'cancel <request id>', what: 'Withdraw your request before it is decided.' },
        {
          usage: 'sign in',
          what: 'Who you are to Entra ID and whether your active roles let you approve (also "who am I"); "sign out" to forget the sign-in.',
        },
      ],
      approvers: `Who may approve: ${describeApprovers(this.policy)}.`,
    });
  }

  errorCard(title: string, message: string, nextStep?: string): Record<string, unknown> {
    return render('error', { title, message, ...(nextStep ? { nextStep } : {}) });
  }

  reminder(raw: SoaRequest): Outgoing {
    const req = shownReq(raw, forMessage);
    return {
      text: `⏰ Reminder: request ${req.id} (${shortChange(req.action)} of **${req.groupName}**, asked by ${req.requester.name}) still waits for a decision; it expires ${time(req.expiresAt)}. Who may decide: ${describeApprovers(this.policy)}.`,
    };
  }

  /**
   * The thread line for a state change, naming the requester with an @mention so Teams
   * notifies them (unless they caused the change themselves).
   */
  watchLine(
    raw: SoaRequest,
    rawSeen: { lastSync: string; takenOver: string[]; skipped: Array<{ name: string; changes: string[] }> | null },
  ): Outgoing {
    const req = shownReq(raw, forMessage);
    const seen = {
      ...rawSeen,
      takenOver: rawSeen.takenOver.map((n) => forMessage(n)),
      skipped:
        rawSeen.skipped &&
        rawSeen.skipped.map((x) => ({ name: forMessage(x.name), changes: x.changes.map((c) => forMessage(c)) })),
    };
    const what = req.plan
      ? `the ${req.plan.steps.filter((st) => st.state === 'done').length} groups of plan ${req.id}`
      : `**${req.groupName}**`;
    const list = (xs: string[]) =>
      xs.length > 10 ? `${xs.slice(0, 10).join(', ')} and ${xs.length - 10} more` : xs.join(', ');
    const parts: string[] = [];
    if (seen.takenOver.length)
      parts.push(
        `⚠️ Drift after the sync cycle at ${time(seen.lastSync)}: ${list(seen.takenOver)} ${seen.takenOver.length === 1 ? 'is' : 'are'} synced from AD again (taken over), not cloud-managed. Someone rolled ${seen.takenOver.length === 1 ? 'it' : 'them'} back, or the sync client is older than the supported version.`,
      );
    else
      parts.push(
        `🔍 Sync cycle at ${time(seen.lastSync)}: ${what} stayed cloud-managed; the sync client skipped ${req.plan ? 'them' : 'it'}.`,
      );
    if (seen.skipped === null)
      parts.push(
        'Skipped AD-side edits are not visible through Graph here (Connect Sync logs them as event 6956 on its server).',
      );
    else if (seen.skipped.length)
      parts.push(
        `AD-side changes were skipped and are not in the cloud: ${seen.skipped
          .slice(0, 10)
          .map((x) => `${x.name} (${x.changes.join(', ') || 'changed'})`)
          .join(
            '; ',
          )}${seen.skipped.length > 10 ? ` and ${seen.skipped.length - 10} more` : ''}. Make them in the cloud if they are still wanted.`,
      );
    else parts.push('No AD-side edits were skipped.');
    return { text: `Request ${req.id}: ${parts.join(' ')}` };
  }

  threadUpdate(raw: SoaRequest): Outgoing | null {
    const req = shownReq(raw, forMessage);
    const line = this.threadLine(req);
    if (!line) return null;
    const r = req.requester;
    const byRequester =
      req.state === 'cancelled' || (req.approver?.id === r.id && ['approved', 'rejected'].includes(req.state));
    if (!r.channelUserId || byRequester) return line;
    return { text: `<at>${r.name}</at> ${line.text}`, mentions: [{ id: r.channelUserId, name: r.name }] };
  }

  private threadLine(req: SoaRequest): { text: string } | null {
    if (req.plan && req.state !== 'approved') return this.planLine(req);
    const g = `**${req.groupName}**`;
    switch (req.state) {
      case 'approved':
        return {
          text: `Request ${req.id} for ${g} was approved by ${req.approver?.name}${req.selfApproved ? ' (self-approved under ALLOW_SELF_APPROVAL)' : ''}; running it with their sign-in.`,
        };
      case 'awaiting_audit':
        return {
          text: `${req.action === 'move' ? `Switched ${g} to cloud management` : `Rolled back ${g} to AD management`} with ${req.approver?.name}'s sign-in; read back and verified. Waiting for the audit log entry…`,
        };
      case 'completed':
      case 'waiting_for_sync': {
        const lead =
          req.state === 'completed'
            ? `✅ ${g} is now cloud-managed.`
            : `↩️ ${g} is rolled back; the next sync cycle will take it over from AD.`;
        if (!req.audit)
          return {
            text: `${lead} The change was verified, but its audit entry did not appear in time; look for it in the Entra audit log (request ${req.id}).`,
          };
        const a = req.audit;
        return {
          text: `${lead} Audit log: **${a.activityDisplayName}** at ${time(a.activityDateTime)}, initiated by ${a.initiatedBy}, result ${a.result}. Audit record ${a.id}, correlation id ${a.correlationId}.`,
        };
      }
      case 'taken_over':
        return {
          text: `✅ ${g} is managed in AD again: the sync cycle at ${time(req.takenOverAt)} took it over (request ${req.id}).`,
        };
      case 'failed':
        return { text: `❌ Request ${req.id} for ${g} failed: ${req.reason ?? 'unknown reason'}` };
      case 'rejected':
        return { text: `Request ${req.id} for ${g} was rejected by ${req.approver?.name}: ${req.reason ?? ''}` };
      case 'expired':
        return {
          text: `Request ${req.id} for ${g} expired without a decision. ${req.requester.name}, ask again if it is still needed.`,
        };
      case 'cancelled':
        return { text: `Request ${req.id} for ${g} was cancelled by ${req.requester.name}.` };
      default:
        return null;
    }
  }
}
