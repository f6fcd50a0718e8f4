/** Submitting: a request stored awaiting approval, its reminder and expiry queued, its card recorded. */
import type { CloudChangeReport } from '../../domain/restore-point';
import { cloudChangesSinceMove } from './restore-points';
import type { Clauses, SoaAction } from '../../domain/command';
import { isCoded } from '../../domain/errors';
import type { CheckRow, GroupFacts } from '../../domain/prerequisites';
import {
  cardVersion,
  newRequestId,
  OPEN_STATES,
  type ConversationAnchor,
  type Person,
  type Plan,
  type SoaRequest,
} from '../../domain/request';
import { withQuorum } from './approvals';
import { reasonCardId, vetted, type ChangeControl, type Vetted } from './change-control';
import { check, type CheckResult } from './queries';
import { expiresAtFor, hopDelayFrom, queueScheduleJobs, scheduleFields, type ScheduleReading } from './schedule';
import { trialFields, vetTrial } from './trial-clauses';
import { announce, mustGet, type ServicePorts, type Track } from './shared';

export interface Submission extends CheckResult {
  request?: SoaRequest;
  /** An open request that already covers the group. */
  duplicate?: SoaRequest;
  /** A reason is required and none was given: nothing is stored; the reason card creates the request with this id. */
  needsJustification?: { requestId: string };
}

/** Reads the facts, refuses a blocked request, else stores it awaiting approval. */
export async function submit(
  ports: ServicePorts,
  groupId: string,
  action: SoaAction,
  requester: Person,
  anchor: ConversationAnchor,
  control?: ChangeControl,
  schedule?: ScheduleReading,
): Promise<Submission> {
  const cc = vetted(ports, control);
  vetTrial(control, action);
  const { facts, checks, blocked } = await check(ports, groupId, action);
  if (blocked) return { facts, checks, blocked };
  // An open request for the group, single or inside a plan, makes this one a duplicate.
  const open = (await openRequestsTouching(ports, [groupId]))[0];
  if (open) return { facts, checks, blocked, duplicate: open };
  const draft = reasonCardId(ports, cc);
  if (draft) return { facts, checks, blocked, needsJustification: { requestId: draft } };
  const req = await createRequest(ports, {
    ...cc,
    action,
    groupId,
    groupName: facts.group.displayName,
    requester,
    anchor,
    facts,
    checks,
    ...(schedule ? { schedule } : {}),
    cloudChanges: await cloudChangesSinceMove(ports, groupId, action),
    ...(control?.trial ? { trial: control } : {}),
  });
  return { request: req, facts, checks, blocked };
}

/** Open requests (single or plans) that would switch any of these groups. */
export async function openRequestsTouching(ports: ServicePorts, groupIds: string[]): Promise<SoaRequest[]> {
  const ids = new Set(groupIds);
  const open = await ports.store.list({ states: OPEN_STATES, limit: 1000 });
  return open.filter((r) => (r.plan ? r.plan.steps.some((st) => ids.has(st.groupId)) : ids.has(r.groupId)));
}

/** What a new request is about; `plan` for several groups under one approval; `requestId` given by a reason card. */
export interface NewRequest extends Vetted {
  action: SoaAction;
  groupId: string;
  groupName: string;
  requester: Person;
  anchor: ConversationAnchor;
  facts: GroupFacts;
  checks: CheckRow[];
  plan?: Plan;
  /** A time the requester asked for ("on Saturday at 22:00"), read and accepted. */
  schedule?: ScheduleReading;
  /** A rollback: the cloud edits since the group's move (its restore point against a fresh read). */
  cloudChanges?: CloudChangeReport;
  /** The requester's clauses, for the trial clause ("for 7 days"): checked by submit. */
  trial?: Clauses;
  /** The rollback at a trial's end: the trial move's id. */
  trialOf?: string;
}

export async function createRequest(ports: ServicePorts, n: NewRequest): Promise<SoaRequest> {
  const { settings, queue } = ports;
  const now = ports.clock.now();
  const timed = scheduleFields(ports, n.schedule);
  const expiresAt = expiresAtFor(ports, now, timed.scheduledFor);
  const req: SoaRequest = {
    id: n.requestId ?? newRequestId(ports.random),
    version: 1,
    action: n.action,
    groupId: n.groupId,
    groupName: n.groupName,
    state: 'awaiting_approval',
    requester: n.requester,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    facts: n.facts,
    checks: n.checks,
    anchor: n.anchor,
    ...(n.plan ? { plan: n.plan } : {}),
    ...withQuorum(settings.policy),
    ...(n.justification !== undefined ? { justification: n.justification } : {}),
    ...(n.ticket !== undefined ? { ticket: n.ticket } : {}),
    ...timed,
    ...(n.cloudChanges ? { cloudChanges: n.cloudChanges } : {}),
    ...trialFields(n.trial),
    ...(n.trialOf ? { trialOf: n.trialOf } : {}),
    history: [{ at: now.toISOString(), state: 'awaiting_approval', by: n.requester.name }],
  };
  await ports.store.create(req);
  await queue.enqueue({ kind: 'remind', requestId: req.id }, settings.remindAfterMs);
  await queue.enqueue({ kind: 'expire', requestId: req.id }, hopDelayFrom(ports, expiresAt));
  await queueScheduleJobs(ports, req);
  ports.logger.info('request submitted', {
    requestId: req.id,
    action: n.action,
    groupId: n.groupId,
    planSteps: n.plan?.steps.length,
    ...(req.scheduledFor ? { scheduledFor: req.scheduledFor } : {}),
  });
  return req;
}

/** Writes that raced this one before it gives up (each round reads the request afresh). */
const ATTACH_ROUNDS = 5;

/**
 * Records where the request's card was posted (not a state change, still versioned). Another
 * write in between (a reminder, a decision) does not lose it: the card is recorded again on a
 * fresh copy, else no later step could update the card. If the request moved on meanwhile, the
 * card just posted is out of date and is updated at once.
 */
export async function attachCard(
  ports: ServicePorts,
  track: Track,
  id: string,
  anchor: ConversationAnchor,
): Promise<SoaRequest> {
  const first = await mustGet(ports, id);
  let req = first;
  for (let round = 1; ; round++) {
    const next = { ...req, anchor, version: req.version + 1 };
    try {
      await ports.store.update(next);
    } catch (e) {
      if (!isCoded(e, 'StaleVersion') || round >= ATTACH_ROUNDS) throw e;
      req = await mustGet(ports, id);
      continue;
    }
    // A new request shows on the conversation's board; a request that moved on, on its card too.
    const changed = cardVersion(next) !== cardVersion(first);
    track(changed ? announce(ports, next, { quiet: true }) : (ports.onChange?.(next) ?? Promise.resolve()));
    return next;
  }
}
