/**
 * The audit export: the bot's own record of the requests created in a date range, as CSV, one
 * row per group switched or asked for. A single-group request is one row; a plan request is one
 * row per step, each with that step's state, switch time, audit entry and error next to the
 * request's own columns (who asked, who decided, when, every approval, the scheduled time and
 * a trial's end).
 */
import { toCsv, type CsvCell } from '../domain/csv';
import { CodedError } from '../domain/errors';
import type { AuditConfirmation, PlanStep, SoaRequest } from '../domain/request';
import { compactRestorePoint } from '../domain/restore-point';
import type { RequestStore } from '../ports/store';

export const EXPORT_HEADER = [
  'request id',
  'plan label',
  'step number',
  'action',
  'group id',
  'group name',
  'requester name',
  'requester id',
  'approver name',
  'approver id',
  'requested at',
  'decided at',
  'executed at',
  'final state',
  'step state',
  'result detail',
  'audit record id',
  'audit activity',
  'audit time',
  'audit initiated by',
  'correlation id',
  'justification',
  'ticket',
  'approvals',
  'scheduled for',
  'trial ends',
  'restore point',
];

/**
 * One export holds at most this many requests (read into memory at once, within the bot's
 * bounded heap); a wider range is refused, never cut short.
 */
const MAX_EXPORT_REQUESTS = 5_000;

/** When the request was approved or rejected (the first such history entry). */
function decidedAt(req: SoaRequest): string | undefined {
  return req.history.find((h) => h.state === 'approved' || h.state === 'rejected')?.at;
}

function auditCells(a: AuditConfirmation | undefined): CsvCell[] {
  return [a?.id, a?.activityDisplayName, a?.activityDateTime, a?.initiatedBy, a?.correlationId];
}

function stepDetail(req: SoaRequest, step: PlanStep): string | undefined {
  if (step.error) return step.error;
  // A step that was not done carries the request's reason (rejected, expired, failed elsewhere).
  return step.state === 'done' ? undefined : req.reason;
}

/** Every approval given, in order: who, when, and the stage when there were two. */
function approvalsCell(req: SoaRequest): string | undefined {
  if (!req.approvals?.length) return undefined;
  const twoStages = !!req.quorum?.secondStage;
  return req.approvals
    .map(
      (a) =>
        `${a.by.name} ${a.at}` +
        (twoStages ? ` (stage ${a.stage})` : '') +
        (a.selfApproved ? ' (their own request)' : ''),
    )
    .join('; ');
}

/** The columns of change control every row of a request carries. */
function controlCells(req: SoaRequest): CsvCell[] {
  return [req.justification, req.ticket, approvalsCell(req), req.scheduledFor, req.trial?.endsAt];
}

const pointOf = (req: SoaRequest, groupId: string) => req.restorePoints?.find((p) => p.groupId === groupId);

export function exportRows(requests: SoaRequest[]): { header: string[]; rows: CsvCell[][] } {
  const rows: CsvCell[][] = [];
  for (const req of requests) {
    const who: CsvCell[] = [
      req.requester.name,
      req.requester.id,
      req.approver?.name,
      req.approver?.id,
      req.createdAt,
      decidedAt(req),
    ];
    if (!req.plan) {
      rows.push([
        req.id,
        '',
        '',
        req.action,
        req.groupId,
        req.groupName,
        ...who,
        req.switchedAt,
        req.state,
        '',
        req.reason,
        ...auditCells(req.audit),
        ...controlCells(req),
        compactRestorePoint(pointOf(req, req.groupId)),
      ]);
      continue;
    }
    req.plan.steps.forEach((step, i) => {
      rows.push([
        req.id,
        req.plan!.label,
        i + 1,
        req.action,
        step.groupId,
        step.groupName,
        ...who,
        step.switchedAt,
        req.state,
        step.state,
        stepDetail(req, step),
        ...auditCells(step.audit),
        ...controlCells(req),
        compactRestorePoint(pointOf(req, step.groupId)),
      ]);
    });
  }
  return { header: [...EXPORT_HEADER], rows };
}

function instant(value: string, name: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t))
    throw new CodedError('InvalidInput', `The export's ${name} date '${value}' is not a date.`, { [name]: value });
  return new Date(t).toISOString();
}

/** Requests created in [from, to), archived ones included, oldest first (refused if too many). */
export async function exportRequests(store: RequestStore, range: { from: string; to: string }): Promise<SoaRequest[]> {
  // The store compares timestamps as text, so both ends are brought to the stored form.
  const from = instant(range.from, 'from');
  const to = instant(range.to, 'to');
  if (from >= to)
    throw new CodedError('InvalidInput', 'The export range is empty: its start must be before its end.', { from, to });
  const requests = await store.list({
    createdFrom: from,
    createdTo: to,
    includeArchived: true,
    order: 'oldest',
    limit: MAX_EXPORT_REQUESTS + 1,
  });
  if (requests.length > MAX_EXPORT_REQUESTS) {
    throw new CodedError(
      'InvalidInput',
      `More than ${MAX_EXPORT_REQUESTS} requests were created in that range; export a shorter one.`,
      { from, to, max: MAX_EXPORT_REQUESTS },
    );
  }
  return requests;
}

export async function exportCsv(
  store: RequestStore,
  range: { from: string; to: string },
): Promise<{ csv: string; count: number }> {
  const requests = await exportRequests(store, range);
  const { header, rows } = exportRows(requests);
  return { csv: toCsv(header, rows), count: requests.length };
}
