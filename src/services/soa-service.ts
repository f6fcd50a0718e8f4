/**
 * The use cases: resolve, check, submit, decide, execute (switch or rollback with the
 * approver's token), confirm in the audit log, watch the sync take-over, expire. Depends on
 * ports only. This class is the one object the rest of the code sees; the use cases live in
 * the files of soa/, one per use case (this file only hands each call to its part).
 */
import { NO_CHANGE_CONTROL, vetClauses, type ChangeControlProblem } from '../domain/change-control';
import type { SoaAction, Target } from '../domain/command';
import type { ConversationAnchor, Person, SoaRequest } from '../domain/request';
import type { TrialCheck } from '../domain/trial';
import type { GroupMatch } from '../ports/directory';
import type { Scan } from '../ports/scans';
import * as audit from './soa/audit';
import type { ChangeControl } from './soa/change-control';
import type { Decision } from './soa/click-gate';
import * as decisions from './soa/decisions';
import * as execution from './soa/execution';
import * as expiry from './soa/expiry';
import * as followUp from './soa/follow-up';
import * as plans from './soa/plans';
import * as queries from './soa/queries';
import * as readiness from './soa/readiness';
import * as requests from './soa/requests';
import * as schedules from './soa/schedule';
import * as signIns from './soa/sign-in-wait';
import { InFlight, type Outcome, type ServicePorts } from './soa/shared';
import * as takeover from './soa/takeover';
import * as trials from './soa/trial';
import { trialReading } from './soa/trial-clauses';
import * as postSwitch from './soa/watch';
import { Worker } from './soa/worker';

export type { ChangeControl } from './soa/change-control';
export type { Decision } from './soa/click-gate';
export { MAX_EXECUTE_TRIES } from './soa/leases';
export type { PlanSpec } from './soa/plans';
export type { Resolution } from './soa/queries';
export type { ServicePorts, ServiceSettings } from './soa/shared';
export type { ScheduleReading } from './soa/schedule';
export type { ScanCancel, ScanStart } from './soa/readiness';

type Done = Promise<'done' | 'retry'>;

export class SoaService {
  /** Work a call left running after it answered (a click's thread line, a board refresh). */
  private readonly inFlight = new InFlight();
  private readonly worker: Worker;

  constructor(private readonly ports: ServicePorts) {
    this.worker = new Worker(ports);
  }

  // ------------------------------------------------------------------ reading (queries)

  resolve(targets: Target[], unsplit?: string): Promise<queries.Resolution> {
    return queries.resolve(this.ports, targets, unsplit);
  }
  check(groupId: string, action: SoaAction): Promise<queries.CheckResult> {
    return queries.check(this.ports, groupId, action);
  }
  get(id: string): Promise<SoaRequest | null> {
    return queries.get(this.ports, id);
  }
  mine(userId: string): Promise<SoaRequest[]> {
    return queries.mine(this.ports, userId);
  }
  forGroup(groupId: string): Promise<SoaRequest[]> {
    return queries.forGroup(this.ports, groupId);
  }
  pendingFor(user: Person): Promise<queries.Pending> {
    return queries.pendingFor(this.ports, user);
  }
  standing(user: Person): Promise<queries.Standing> {
    return queries.standing(this.ports, user);
  }

  // ------------------------------------------------------------------ submitting (requests, plans)

  submit(
    groupId: string,
    action: SoaAction,
    requester: Person,
    anchor: ConversationAnchor,
    control?: ChangeControl,
    schedule?: schedules.ScheduleReading,
  ): Promise<requests.Submission> {
    return requests.submit(this.ports, groupId, action, requester, anchor, control, schedule);
  }
  /** The ticket, reason and time a request came with, checked before any lookup (submit checks them again). */
  changeControlProblem(control: ChangeControl | undefined): ChangeControlProblem | null {
    const v = vetClauses(this.ports.settings.changeControl ?? NO_CHANGE_CONTROL, control);
    return 'problem' in v ? v.problem : null;
  }
  /** A trial clause ("for 7 days") on a request of `kind`: null without one; refusals say why. */
  trialCheck(clauses: ChangeControl | undefined, kind: 'move' | 'rollback' | 'plan'): TrialCheck | null {
    return trialReading(clauses, kind);
  }
  /** A time clause ("on Saturday at 22:00") read now in CHANGE_TIMEZONE; refused readings say why. */
  readSchedule(text: string): schedules.ScheduleReading {
    return schedules.readSchedule(this.ports, text);
  }
  attachCard(id: string, anchor: ConversationAnchor): Promise<SoaRequest> {
    return requests.attachCard(this.ports, this.inFlight.track, id, anchor);
  }
  previewPlan(spec: plans.PlanSpec): Promise<plans.PlanPreview> {
    return plans.previewPlan(this.ports, spec);
  }
  submitPlan(
    spec: plans.PlanSpec,
    requester: Person,
    anchor: ConversationAnchor,
    control?: ChangeControl,
    schedule?: schedules.ScheduleReading,
  ): Promise<plans.PlanSubmission> {
    return plans.submitPlan(this.ports, spec, requester, anchor, control, schedule);
  }
  groupsByPrefix(prefix: string): Promise<GroupMatch[]> {
    return plans.groupsByPrefix(this.ports, prefix);
  }
  requestPlanRollback(
    sourceId: string,
    requester: Person,
    anchor: ConversationAnchor,
    control?: ChangeControl,
    schedule?: schedules.ScheduleReading,
  ): Promise<plans.PlanRollback> {
    return plans.requestPlanRollback(this.ports, sourceId, requester, anchor, control, schedule);
  }

  // ------------------------------------------------------------------ deciding (decisions, expiry)

  /** `stillNeededInAd`: the card's toggle, sent with Approve (a move still read on-premises: GPAD checklist). */
  approve(
    id: string,
    version: number,
    approver: Person,
    syncVersionsAcknowledged: boolean,
    stillNeededInAd = false,
  ): Promise<Decision> {
    const { ports, inFlight } = this;
    return decisions.approve(ports, inFlight.track, id, version, approver, syncVersionsAcknowledged, stillNeededInAd);
  }
  reject(id: string, version: number, decider: Person, reason: string): Promise<Decision> {
    return decisions.reject(this.ports, id, version, decider, reason);
  }
  cancel(id: string, who: Person): Promise<Decision> {
    return decisions.cancel(this.ports, id, who);
  }
  resumePlan(id: string, version: number, approver: Person): Promise<Decision> {
    return decisions.resumePlan(this.ports, this.inFlight.track, id, version, approver);
  }
  /** Keep in the cloud: a running trial ends without a rollback (approvers only). */
  keepTrial(id: string, who: Person): Promise<Decision> {
    return trials.keepTrial(this.ports, id, who);
  }
  /** Roll back now: a running trial's rollback at once, with the clicker's token (approvers only). */
  rollbackTrialNow(id: string, who: Person): Promise<Decision> {
    return trials.rollbackTrialNow(this.ports, id, who);
  }
  lateDecision(r: Decision | null, who: Person, error: unknown, requestId: string): Promise<void> {
    return decisions.lateDecision(this.ports, r, who, error, requestId);
  }
  expireDue(): Promise<number> {
    return expiry.expireDue(this.ports);
  }

  // ------------------------------------------------------------------ approvals waiting for a sign-in (sign-in-wait)

  awaitSignIn(
    id: string,
    version: number,
    approver: Person,
    ack: boolean,
    aadsts?: number,
    stillNeededInAd = false,
  ): Promise<boolean> {
    return signIns.awaitSignIn(this.ports, id, version, approver, ack, aadsts, stillNeededInAd);
  }
  pendingSignIn(who: Person, here: ConversationAnchor): ReturnType<typeof signIns.pendingSignIn> {
    return signIns.pendingSignIn(this.ports, who, here);
  }
  dropSignIn(id: string, who: Person): Promise<void> {
    return signIns.dropSignIn(this.ports, id, who);
  }

  // ------------------------------------------------------------------ the readiness report (readiness)

  /** Approvers only; one reading scan at a time. The caller posts the card, then `attachScanCard`. */
  startScan(who: Person, anchor: ConversationAnchor, prefix?: string): Promise<readiness.ScanStart> {
    return readiness.startScan(this.ports, who, anchor, prefix);
  }
  attachScanCard(id: string, cardActivityId: string): Promise<void> {
    return readiness.attachScanCard(this.ports, id, cardActivityId);
  }
  cancelScan(id: string, who: Person): Promise<readiness.ScanCancel> {
    return readiness.cancelScan(this.ports, id, who);
  }
  getScan(id: string): Promise<Scan | null> {
    return readiness.getScan(this.ports, id);
  }
  /** One hop of a scan (the job `readiness`); `dequeueCount` > 1 means it resumed. */
  readScan(id: string, dequeueCount = 1): Promise<Outcome> {
    return readiness.readScan(this.ports, id, dequeueCount);
  }
  /** On start: scans still reading go on from their stored cursor. */
  resumeScans(): Promise<number> {
    return readiness.resumeScans(this.ports);
  }

  // ------------------------------------------------------------------ background jobs, each callable alone

  execute(id: string, tries = 1): Promise<Outcome> {
    return execution.execute(this.ports, id, tries);
  }
  pollAudit(id: string, attempt: number): Done {
    return audit.pollAudit(this.ports, id, attempt);
  }
  pollTakeover(id: string, attempt: number): Done {
    return takeover.pollTakeover(this.ports, id, attempt);
  }
  watch(id: string, attempt: number): Done {
    return postSwitch.watch(this.ports, id, attempt);
  }
  remind(id: string): Done {
    return followUp.remind(this.ports, id);
  }
  remindScheduled(id: string): Done {
    return schedules.remindScheduled(this.ports, id);
  }
  remindTrial(id: string): Done {
    return trials.remindTrial(this.ports, id);
  }
  endTrial(id: string): Promise<Outcome> {
    return trials.endTrial(this.ports, id);
  }
  sweep(staleMs: number): Promise<number> {
    return followUp.sweep(this.ports, staleMs);
  }
  resume(): Promise<number> {
    return followUp.resume(this.ports);
  }

  // ------------------------------------------------------------------ the worker (worker)

  /** Starts the worker loop: takes jobs from the durable queue until stop(). */
  startWorker(): void {
    this.worker.start();
  }

  /** Resolves when no job is being handled right now (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.worker.inHand().length)
      await Promise.all([...this.inFlight.all(), ...this.worker.inHand()]);
  }

  /** Stops taking jobs; the one in hand finishes. Unfinished work stays in the queue. */
  async stop(): Promise<void> {
    await this.worker.stop();
    await this.idle();
  }
}
