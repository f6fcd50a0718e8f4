/**
 * The use cases: resolve, check, submit, decide, execute (switch or rollback with the
 * approver's token), confirm in the audit log, watch the sync take-over, expire. Depends on
 * ports only.
 */
import type { SoaAction, Target } from '../domain/command';
import { CodedError, isCoded } from '../domain/errors';
import { approverStanding, mayApprove, mayReject, ROLE_LABEL, type ApprovalPolicy } from '../domain/policy';
import { evaluate, isBlocked, type CheckRow, type GroupFacts, type SyncMinimums } from '../domain/prerequisites';
import { buildPlan, MAX_PLAN_GROUPS, nextStep, rollbackPlanOf } from '../domain/plan';
import {
  cardVersion,
  isOpen,
  newRequestId,
  OPEN_STATES,
  transition,
  type AuditConfirmation,
  type ConversationAnchor,
  type Person,
  type Plan,
  type SoaRequest,
} from '../domain/request';
import type { Clock } from '../ports/clock';
import type { DirectoryFactory, GroupMatch, UserDirectory } from '../ports/directory';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import type { Notice, Presenter } from '../ports/presenter';
import type { Job, ReceivedJob, WorkQueue } from '../ports/queue';
import type { RequestStore } from '../ports/store';

export interface ServiceSettings {
  policy: ApprovalPolicy;
  minimums: SyncMinimums;
  requestTtlMs: number;
  audit: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
  syncWatch: { intervalMs: number; timeoutMs: number };
  /** Pending approvals get one reminder in their thread after this long. */
  remindAfterMs: number;
  /** `concurrency`: jobs handled at once by this instance (different requests; one job per request at a time). */
  worker: { instanceId: string; leaseMs: number; visibilityMs: number; pollMs: number; concurrency?: number };
}

/** What a plan covers: a group and everything nested below it, or a set of groups (a wave). */
export type PlanSpec = { kind: 'tree'; rootId: string } | { kind: 'wave'; label: string; groupIds: string[] };

/** The checks that hold for a whole plan (per-group facts are summarised in the plan itself). */
const PLAN_CHECKS = new Set(['tenantSync', 'reconciliation', 'syncVersions']);
const ROLLBACK_PLAN_CHECKS = new Set(['tenantSync', 'cloudEdits', 'completesAtSync', 'syncVersions']);
/** Sync cycles watched after a move. */
const WATCH_CYCLES = 2;
/** A running plan's card is refreshed every this many steps. */
const PLAN_PROGRESS_EVERY = 10;
/** Tries of a switch (or a plan's current step) while Graph throttles or is unavailable; then it fails with the reason. */
export const MAX_EXECUTE_TRIES = 5;
/** The sweep for approved requests whose job was lost runs at most this often (and takes only older ones). */
const SWEEP_MIN_MS = 10 * 60_000;

/** A job's outcome: finished, left for its message to reappear, or rescheduled after a delay. */
type Outcome = 'done' | 'retry' | { afterMs: number };

export interface Resolution {
  resolved: GroupMatch[];
  ambiguous: Array<{ name: string; matches: GroupMatch[] }>;
  missing: Array<{ name: string; suggestions: GroupMatch[] }>;
}

export type Decision =
  | { outcome: 'done'; request: SoaRequest }
  | { outcome: 'refused'; request: SoaRequest; message: string }
  | { outcome: 'stale'; request: SoaRequest; message: string };

export interface Deps {
  directory: DirectoryFactory;
  store: RequestStore;
  queue: WorkQueue;
  notifier: Notifier;
  presenter: Presenter;
  clock: Clock;
  logger: Logger;
  random: (n: number) => Uint8Array;
  settings: ServiceSettings;
  /** Called after every announced state change (the board refresh); must not throw. */
  onChange?: (req: SoaRequest) => Promise<void>;
}

export class SoaService {
  private readonly running = new Set<Promise<unknown>>();
  /** Jobs in hand, and the requests they are for: one job per request at a time on this instance. */
  private readonly jobs = new Set<Promise<void>>();
  private readonly busy = new Set<string>();
  private stopping = false;
  private worker: Promise<void> | null = null;

  constructor(private readonly d: Deps) {}

  // ------------------------------------------------------------------ reading

  async resolve(targets: Target[], unsplit?: string): Promise<Resolution> {
    const app = this.d.directory.app();
    if (unsplit) {
      const whole = (await app.findGroups([unsplit])).get(unsplit) ?? [];
      if (whole.length) return this.classify([[unsplit, whole]]);
    }
    const names = targets.map((t) => t.name);
    const found = await app.findGroups(names);
    const pairs: Array<[string, GroupMatch[]]> = names.map((n) => [n, found.get(n) ?? []]);
    const res = this.classify(pairs);
    for (const m of res.missing) m.suggestions = (await app.suggestGroups(m.name)).slice(0, 5);
    return res;
  }

  private classify(pairs: Array<[string, GroupMatch[]]>): Resolution {
    const res: Resolution = { resolved: [], ambiguous: [], missing: [] };
    for (const [name, matches] of pairs) {
      if (matches.length === 1) {
        if (!res.resolved.some((g) => g.id === matches[0]!.id)) res.resolved.push(matches[0]!);
      } else if (matches.length > 1) res.ambiguous.push({ name, matches });
      else res.missing.push({ name, suggestions: [] });
    }
    return res;
  }

  async check(
    groupId: string,
    action: SoaAction,
  ): Promise<{ facts: GroupFacts; checks: CheckRow[]; blocked: boolean }> {
    const facts = await this.d.directory.app().readFacts(groupId, action);
    const checks = evaluate(facts, action, this.d.settings.minimums);
    return { facts, checks, blocked: isBlocked(checks) };
  }

  async get(id: string): Promise<SoaRequest | null> {
    return this.d.store.get(id.toUpperCase());
  }

  async mine(userId: string): Promise<SoaRequest[]> {
    return this.d.store.list({ requesterId: userId, limit: 20 });
  }

  async forGroup(groupId: string): Promise<SoaRequest[]> {
    return this.d.store.list({ groupId, limit: 10 });
  }

  /** Requests waiting for a decision that this user may take (roles read with their token). */
  async pendingFor(user: Person): Promise<{ requests: SoaRequest[]; canApprove: boolean; reason?: string }> {
    const waiting = await this.d.store.list({ states: ['awaiting_approval'], limit: 50 });
    const now = this.d.clock.now().toISOString();
    const open = waiting.filter((r) => r.expiresAt > now);
    const me = await this.d.directory.forUser(user).whoAmI();
    const allowed = open.filter((r) => mayApprove(this.d.settings.policy, r, me).ok);
    const probe = open[0] ? mayApprove(this.d.settings.policy, open[0], me) : null;
    return {
      requests: allowed,
      canApprove: allowed.length > 0 || !probe || probe.ok,
      ...(probe && !probe.ok && !allowed.length ? { reason: probe.reason } : {}),
    };
  }

  /**
   * Who the user is to Entra ID through the on-behalf-of path (the same one Approve uses), and
   * whether their active roles let them approve: `sign in` answers with this.
   */
  async standing(user: Person): Promise<{ name: string; roles: string[]; canApprove: boolean; reason?: string }> {
    const me = await this.d.directory.forUser(user).whoAmI();
    const verdict = approverStanding(this.d.settings.policy, me);
    return {
      name: me.name,
      roles: me.roles.map((r) => ROLE_LABEL[r] ?? r),
      canApprove: verdict.ok,
      ...(verdict.ok ? {} : { reason: verdict.reason }),
    };
  }

  // ------------------------------------------------------------------ submitting

  /** Reads the facts, refuses a blocked request, else stores it awaiting approval. */
  async submit(
    groupId: string,
    action: SoaAction,
    requester: Person,
    anchor: ConversationAnchor,
  ): Promise<{
    request?: SoaRequest;
    facts: GroupFacts;
    checks: CheckRow[];
    blocked: boolean;
    duplicate?: SoaRequest;
  }> {
    const { facts, checks, blocked } = await this.check(groupId, action);
    if (blocked) return { facts, checks, blocked };
    // An open request for the group, single or inside a plan, makes this one a duplicate.
    const open = (await this.openRequestsTouching([groupId]))[0];
    if (open) return { facts, checks, blocked, duplicate: open };
    const req = await this.createRequest(action, groupId, facts.group.displayName, requester, anchor, facts, checks);
    return { request: req, facts, checks, blocked };
  }

  /** Records where the request's card was posted (not a state change, still versioned). */
  // ------------------------------------------------------------------ plans

  /**
   * Reads what a plan needs (the tree level by level, or the named groups and the nesting
   * among them) and builds it bottom-up. Tenant-level checks come from the first group's facts.
   */
  async previewPlan(
    spec: PlanSpec,
  ): Promise<{ plan: Plan; facts: GroupFacts; checks: CheckRow[]; blocked: boolean; problem?: string }> {
    const app = this.d.directory.app();
    // The tree (one round trip per level) and the tenant facts (one batch) are read side by side.
    const firstAsked = spec.kind === 'tree' ? spec.rootId : spec.groupIds[0];
    if (!firstAsked) throw new CodedError('GroupNotFound', 'No group was given.');
    const [graph, firstCheck] = await Promise.all([
      spec.kind === 'tree' ? app.readTree(spec.rootId, MAX_PLAN_GROUPS) : app.readSet(spec.groupIds, MAX_PLAN_GROUPS),
      this.check(firstAsked, 'move'),
    ]);
    const firstId = firstCheck.facts.group.id;
    const { notice } = this.d.presenter;
    const label =
      spec.kind === 'tree'
        ? notice({ kind: 'treeLabel', rootName: graph.nodes.get(spec.rootId)?.displayName ?? spec.rootId })
        : spec.label;
    const roots = spec.kind === 'tree' ? [spec.rootId] : [...graph.nodes.keys()];
    const plan = buildPlan(spec.kind, label, roots, graph, 'move');
    const { facts, checks } = firstCheck;
    const planChecks = checks.filter((c) => PLAN_CHECKS.has(c.id));
    let problem: string | undefined;
    if (graph.truncated) problem = notice({ kind: 'planTooLarge', maxGroups: MAX_PLAN_GROUPS });
    else if (!plan.steps.length) problem = notice({ kind: 'planEmpty', label, skipped: plan.skipped });
    return {
      plan,
      facts,
      checks: planChecks,
      blocked: !!problem || isBlocked(planChecks),
      ...(problem ? { problem } : {}),
    };
  }

  async submitPlan(
    spec: PlanSpec,
    requester: Person,
    anchor: ConversationAnchor,
  ): Promise<{
    request?: SoaRequest;
    plan: Plan;
    checks: CheckRow[];
    facts: GroupFacts;
    blocked: boolean;
    problem?: string;
    conflicts?: SoaRequest[];
  }> {
    const p = await this.previewPlan(spec);
    if (p.blocked) return p;
    const conflicts = await this.openRequestsTouching(p.plan.steps.map((st) => st.groupId));
    if (conflicts.length) return { ...p, conflicts };
    const req = await this.createRequest(
      'move',
      p.facts.group.id,
      p.plan.label,
      requester,
      anchor,
      p.facts,
      p.checks,
      p.plan,
    );
    return { ...p, request: req };
  }

  /** Groups whose names start with `prefix`, for a wave; more than a plan can hold is an error. */
  async groupsByPrefix(prefix: string): Promise<GroupMatch[]> {
    const found = await this.d.directory.app().findGroupsByPrefix(prefix, MAX_PLAN_GROUPS);
    if (found.length > MAX_PLAN_GROUPS)
      throw new CodedError(
        'InvalidInput',
        `More than ${MAX_PLAN_GROUPS} groups start with "${prefix}"; use a longer prefix.`,
      );
    return found;
  }

  /** Open requests (single or plans) that would switch any of these groups. */
  private async openRequestsTouching(groupIds: string[]): Promise<SoaRequest[]> {
    const ids = new Set(groupIds);
    const open = await this.d.store.list({ states: OPEN_STATES, limit: 1000 });
    return open.filter((r) => (r.plan ? r.plan.steps.some((st) => ids.has(st.groupId)) : ids.has(r.groupId)));
  }

  private async createRequest(
    action: SoaAction,
    groupId: string,
    groupName: string,
    requester: Person,
    anchor: ConversationAnchor,
    facts: GroupFacts,
    checks: CheckRow[],
    plan?: Plan,
  ): Promise<SoaRequest> {
    const now = this.d.clock.now();
    const req: SoaRequest = {
      id: newRequestId(this.d.random),
      version: 1,
      action,
      groupId,
      groupName,
      state: 'awaiting_approval',
      requester,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.d.settings.requestTtlMs).toISOString(),
      facts,
      checks,
      anchor,
      ...(plan ? { plan } : {}),
      history: [{ at: now.toISOString(), state: 'awaiting_approval', by: requester.name }],
    };
    await this.d.store.create(req);
    await this.d.queue.enqueue({ kind: 'remind', requestId: req.id }, this.d.settings.remindAfterMs);
    await this.d.queue.enqueue({ kind: 'expire', requestId: req.id }, this.d.settings.requestTtlMs);
    this.d.logger.info('request submitted', { requestId: req.id, action, groupId, planSteps: plan?.steps.length });
    return req;
  }

  /** A rollback plan for what a move plan switched, top-down; it needs its own approval. */
  async requestPlanRollback(
    sourceId: string,
    requester: Person,
    anchor: ConversationAnchor,
  ): Promise<{ request?: SoaRequest; message?: string }> {
    const src = await this.mustGet(sourceId);
    const say = (n: Notice) => ({ message: this.d.presenter.notice(n) });
    if (!src.plan || src.action !== 'move') return say({ kind: 'rollbackNotMovePlan', requestId: src.id });
    if (!['completed', 'stopped', 'failed'].includes(src.state))
      return say({ kind: 'rollbackNotFinished', request: src });
    const plan = rollbackPlanOf(src.plan, src.id);
    if (!plan.steps.length) return say({ kind: 'rollbackNothingSwitched', requestId: src.id });
    const conflicts = await this.openRequestsTouching(plan.steps.map((st) => st.groupId));
    if (conflicts.length) return say({ kind: 'rollbackConflicts', requestIds: conflicts.map((r) => r.id) });
    const checks = evaluate(src.facts, 'rollback', this.d.settings.minimums).filter((c) =>
      ROLLBACK_PLAN_CHECKS.has(c.id),
    );
    return {
      request: await this.createRequest(
        'rollback',
        src.groupId,
        plan.label,
        requester,
        anchor,
        src.facts,
        checks,
        plan,
      ),
    };
  }

  /** An approver restarts a stopped plan at its failed step, with their own token. */
  async resumePlan(id: string, version: number, approver: Person): Promise<Decision> {
    const req = await this.mustGet(id);
    if (req.state !== 'stopped' || !req.plan)
      return {
        outcome: 'stale',
        request: req,
        message: this.d.presenter.notice({ kind: 'notResumable', request: req }),
      };
    if (cardVersion(req) !== version)
      return {
        outcome: 'stale',
        request: req,
        message: this.d.presenter.notice({ kind: 'staleCard', requestId: req.id, what: 'plan' }),
      };
    const me = await this.d.directory.forUser(approver).whoAmI();
    const verdict = mayApprove(this.d.settings.policy, req, me);
    if (!verdict.ok) return { outcome: 'refused', request: req, message: verdict.reason };
    const r = await this.commitDecision(req, (cur) => {
      const plan: Plan = {
        ...cur.plan!,
        steps: cur.plan!.steps.map((st) =>
          st.state === 'done' ? st : { ...st, state: 'pending' as const, error: undefined },
        ),
      };
      return transition(
        cur,
        'approved',
        this.d.clock.now(),
        {
          plan,
          reason: undefined,
          approver: {
            id: me.id,
            name: me.name,
            ...(approver.channelUserId ? { channelUserId: approver.channelUserId } : {}),
          },
          selfApproved: verdict.selfApproved,
        },
        { by: me.name, note: this.d.presenter.notice({ kind: 'resumedNote' }) },
      );
    });
    if ('outcome' in r) return r;
    const next = r.saved;
    await this.d.queue.enqueue({ kind: 'execute', requestId: id });
    this.track(this.announce(next, { card: false }));
    return { outcome: 'done', request: next };
  }

  async attachCard(id: string, anchor: ConversationAnchor): Promise<SoaRequest> {
    const req = await this.mustGet(id);
    const next = { ...req, anchor, version: req.version + 1 };
    await this.d.store.update(next);
    // A new request shows on the conversation's board.
    this.track(this.d.onChange?.(next) ?? Promise.resolve());
    return next;
  }

  // ------------------------------------------------------------------ deciding

  private async mustGet(id: string): Promise<SoaRequest> {
    const req = await this.d.store.get(id);
    if (!req) throw new CodedError('RequestNotFound', `There is no request ${id}.`);
    return req;
  }

  /** Common gate for a click: current version, still open, not expired. */
  private async gate(id: string, version: number): Promise<{ req: SoaRequest } | Decision> {
    const { notice } = this.d.presenter;
    let req = await this.mustGet(id);
    if (req.state === 'awaiting_approval' && req.expiresAt <= this.d.clock.now().toISOString()) {
      req = await this.expire(req);
      return { outcome: 'stale', request: req, message: notice({ kind: 'expiredBeforeDecision', request: req }) };
    }
    if (req.state !== 'awaiting_approval') {
      return { outcome: 'stale', request: req, message: notice({ kind: 'alreadyDecided', request: req }) };
    }
    if (cardVersion(req) !== version) {
      // The card was out of date (for example a second card). Show the current one; act only on a fresh click.
      return {
        outcome: 'stale',
        request: req,
        message: notice({ kind: 'staleCard', requestId: req.id, what: 'request' }),
      };
    }
    return { req };
  }

  async approve(id: string, version: number, approver: Person, syncVersionsAcknowledged: boolean): Promise<Decision> {
    const g = await this.gate(id, version);
    if ('outcome' in g) return g;
    const req = g.req;
    if (!syncVersionsAcknowledged) {
      return {
        outcome: 'refused',
        request: req,
        message: this.d.presenter.notice({ kind: 'syncVersionsUnconfirmed' }),
      };
    }
    // Roles are read now, with the approver's own token: a role lost since the request counts.
    const me = await this.d.directory.forUser(approver).whoAmI();
    const verdict = mayApprove(this.d.settings.policy, req, me);
    if (!verdict.ok) return { outcome: 'refused', request: req, message: verdict.reason };
    const r = await this.commitDecision(req, (cur) =>
      transition(
        cur,
        'approved',
        this.d.clock.now(),
        {
          approver: {
            id: me.id,
            name: me.name,
            ...(approver.channelUserId ? { channelUserId: approver.channelUserId } : {}),
          },
          selfApproved: verdict.selfApproved,
          syncVersionsAcknowledged: true,
        },
        {
          by: me.name,
          ...(verdict.selfApproved ? { note: this.d.presenter.notice({ kind: 'selfApprovedNote' }) } : {}),
        },
      ),
    );
    if ('outcome' in r) return r;
    const approved = r.saved;
    this.d.logger.info('request approved', { requestId: id, approverId: me.id, selfApproved: verdict.selfApproved });
    try {
      await this.d.queue.enqueue({ kind: 'execute', requestId: id });
    } catch (e) {
      // The approval is recorded; the sweep (or the next start) queues its execution.
      this.d.logger.warn('execution not queued; the sweep will queue it', {
        requestId: id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    // The click's answer carries the new card; the thread line and the board follow without delaying it.
    this.track(this.announce(approved, { card: false }));
    return { outcome: 'done', request: approved };
  }

  async reject(id: string, version: number, decider: Person, reason: string): Promise<Decision> {
    const g = await this.gate(id, version);
    if ('outcome' in g) return g;
    const trimmed = reason.trim();
    if (trimmed.length < 3)
      return {
        outcome: 'refused',
        request: g.req,
        message: this.d.presenter.notice({ kind: 'rejectionReasonMissing' }),
      };
    const me = await this.d.directory.forUser(decider).whoAmI();
    const verdict = mayReject(this.d.settings.policy, g.req, me);
    if (!verdict.ok) return { outcome: 'refused', request: g.req, message: verdict.reason };
    const r = await this.commitDecision(g.req, (cur) =>
      transition(
        cur,
        'rejected',
        this.d.clock.now(),
        { approver: { id: me.id, name: me.name }, reason: trimmed.slice(0, 500) },
        { by: me.name, note: trimmed.slice(0, 500) },
      ),
    );
    if ('outcome' in r) return r;
    const next = r.saved;
    await this.announce(next);
    return { outcome: 'done', request: next };
  }

  /**
   * A decision that outlived the click's answer: the card everyone sees is updated (done or
   * stale), and a refusal or error is said in the thread, naming the clicker.
   */
  async lateDecision(r: Decision | null, who: Person, error: unknown, requestId: string): Promise<void> {
    const req = r?.request ?? (await this.d.store.get(requestId).catch(() => null));
    if (r && req && r.outcome !== 'refused') {
      await this.d.notifier.updateCard(req.anchor, this.d.presenter.requestCard(req)).catch(() => undefined);
      return;
    }
    const text = r && r.outcome === 'refused' ? r.message : this.d.presenter.explain(error);
    if (req)
      await this.d.notifier.post(req.anchor, {
        text: this.d.presenter.notice({ kind: 'clickFailed', who, requestId: req.id, reason: text }),
        ...(who.channelUserId ? { mentions: [{ id: who.channelUserId, name: who.name }] } : {}),
      });
    else this.d.logger.warn('late decision failed', { code: isCoded(error) ? error.code : 'unexpected' });
  }

  /**
   * Writes a decision made on `start`. A bookkeeping write in between (a reminder sent, audit
   * entries found) does not change the state or the card: the decision is made again on the
   * fresh copy. Another decision in between wins, and the loser is shown the current state.
   */
  private async commitDecision(
    start: SoaRequest,
    make: (r: SoaRequest) => SoaRequest,
  ): Promise<{ saved: SoaRequest } | Decision> {
    let current = start;
    for (let attempt = 0; attempt < 5; attempt++) {
      const next = make(current);
      try {
        await this.d.store.update(next);
        return { saved: next };
      } catch (e) {
        if (!isCoded(e, 'StaleVersion')) throw e;
        const fresh = await this.mustGet(start.id);
        if (fresh.state !== start.state || cardVersion(fresh) !== cardVersion(start)) {
          return {
            outcome: 'stale',
            request: fresh,
            message: this.d.presenter.notice({ kind: 'decidedByOther', request: fresh }),
          };
        }
        current = fresh;
      }
    }
    const fresh = await this.mustGet(start.id);
    return {
      outcome: 'stale',
      request: fresh,
      message: this.d.presenter.notice({ kind: 'keptChanging', requestId: start.id }),
    };
  }

  async cancel(id: string, who: Person): Promise<Decision> {
    const req = await this.mustGet(id);
    if (req.requester.id !== who.id)
      return { outcome: 'refused', request: req, message: this.d.presenter.notice({ kind: 'cancelNotRequester' }) };
    if (req.state !== 'awaiting_approval' && req.state !== 'stopped')
      return {
        outcome: 'stale',
        request: req,
        message: this.d.presenter.notice({ kind: 'alreadyDecided', request: req }),
      };
    const next = transition(req, 'cancelled', this.d.clock.now(), {}, { by: who.name });
    await this.d.store.update(next);
    await this.announce(next);
    return { outcome: 'done', request: next };
  }

  private async expire(req: SoaRequest): Promise<SoaRequest> {
    const next = transition(req, 'expired', this.d.clock.now());
    try {
      await this.d.store.update(next);
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return this.mustGet(req.id);
      throw e;
    }
    await this.announce(next);
    return next;
  }

  /** Expires every request past its time; run periodically. */
  async expireDue(): Promise<number> {
    const now = this.d.clock.now().toISOString();
    const due = (await this.d.store.list({ states: ['awaiting_approval'], limit: 200 })).filter(
      (r) => r.expiresAt <= now,
    );
    for (const r of due) await this.expire(r);
    return due.length;
  }

  // ------------------------------------------------------------------ executing

  // ------------------------------------------------------------------ background work

  /** Starts the worker loop: takes jobs from the durable queue until stop(). */
  startWorker(): void {
    if (this.worker) return;
    const { visibilityMs, pollMs } = this.d.settings.worker;
    const concurrency = Math.max(1, this.d.settings.worker.concurrency ?? 1);
    // An approval is stored before its job is queued: if the queue write failed (storage
    // trouble between the two), the request would wait for a restart. Every sweep interval,
    // approved requests that did not start get their job again (running a job twice is
    // harmless; executions already started have their own message, which reappears).
    // Rare on purpose: under a backlog, approved requests wait for their turn, and requeueing
    // them often would only add duplicates to the backlog.
    const sweepMs = Math.max(10 * visibilityMs, SWEEP_MIN_MS);
    let lastSweep = this.d.clock.now().getTime();
    this.worker = (async () => {
      while (!this.stopping) {
        if (this.d.clock.now().getTime() - lastSweep >= sweepMs) {
          lastSweep = this.d.clock.now().getTime();
          await this.sweep(sweepMs).catch((e) =>
            this.d.logger.warn('sweep failed', { error: e instanceof Error ? e.message : String(e) }),
          );
        }
        if (this.jobs.size >= concurrency) {
          await Promise.race(this.jobs);
          continue;
        }
        let received: ReceivedJob | null = null;
        try {
          received = await this.d.queue.receive(visibilityMs);
        } catch (e) {
          this.d.logger.warn('queue receive failed', { error: e instanceof Error ? e.message : String(e) });
        }
        if (!received) {
          await this.d.clock.sleep(pollMs);
          continue;
        }
        const run = this.handle(received).finally(() => this.jobs.delete(run));
        this.jobs.add(run);
      }
      await Promise.all(this.jobs);
    })();
  }

  /** Resolves when no job is being handled right now (tests). */
  async idle(): Promise<void> {
    while (this.running.size || this.jobs.size) await Promise.all([...this.running, ...this.jobs]);
  }

  /** Stops taking jobs; the one in hand finishes. Unfinished work stays in the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker;
    await this.idle();
  }

  private async handle(r: ReceivedJob): Promise<void> {
    // Another job for this request is in hand here: this one waits its turn, unchanged
    // (leases guard the same request across instances).
    if (this.busy.has(r.job.requestId)) return this.settle(r, r.job, { afterMs: 250 });
    this.busy.add(r.job.requestId);
    // Heartbeat: a job that runs longer than the visibility window (a long plan, slow Graph)
    // keeps its message hidden, so it is not handed out again while this worker is alive.
    const { visibilityMs } = this.d.settings.worker;
    const heartbeat = setInterval(
      () => void this.d.queue.extend(r, visibilityMs).catch(() => undefined),
      Math.max(50, visibilityMs / 2),
    );
    heartbeat.unref();
    let outcome: Outcome = 'done';
    try {
      outcome = await this.runJob(r.job, r.dequeueCount);
    } catch (e) {
      // Left in the queue: it becomes visible again and is retried.
      outcome = 'retry';
      this.d.logger.warn('job failed', {
        kind: r.job.kind,
        requestId: r.job.requestId,
        attempt: r.dequeueCount,
        code: isCoded(e) ? e.code : 'unexpected',
        error: e instanceof Error ? e.message : String(e),
      });
    } finally {
      clearInterval(heartbeat);
      this.busy.delete(r.job.requestId);
    }
    // A rescheduled try counts: the new message carries the tries so far.
    await this.settle(r, { ...r.job, attempt: (r.job.attempt ?? 0) + r.dequeueCount }, outcome);
  }

  private async settle(r: ReceivedJob, again: Job, outcome: Outcome): Promise<void> {
    if (typeof outcome === 'object') {
      // Retry at the time asked for: a new message, then this one goes. A crash in between
      // leaves both; running a job twice is harmless.
      try {
        await this.d.queue.enqueue(again, outcome.afterMs);
      } catch (e) {
        this.d.logger.warn('retry could not be scheduled; the message reappears instead', {
          requestId: r.job.requestId,
          error: String(e),
        });
        return;
      }
    }
    if (outcome !== 'retry')
      await this.d.queue.complete(r).catch((e) => this.d.logger.warn('job completion failed', { error: String(e) }));
  }

  /** Throttled or unavailable: when to try again (Graph's Retry-After, else doubling from 1 s, at most a minute). */
  private later(e: CodedError, tries: number): Outcome {
    const asked = Number(e.details.retryAfterSeconds);
    return {
      afterMs:
        Number.isFinite(asked) && asked > 0 ? asked * 1000 : Math.min(60_000, 1000 * 2 ** Math.max(0, tries - 1)),
    };
  }

  private runJob(job: Job, dequeueCount: number): Promise<Outcome> {
    switch (job.kind) {
      // Tries so far: earlier messages (rescheduled after throttling) and this one's deliveries.
      case 'execute':
        return this.execute(job.requestId, (job.attempt ?? 0) + dequeueCount);
      case 'audit':
        return this.pollAudit(job.requestId, job.attempt ?? 0);
      case 'takeover':
        return this.pollTakeover(job.requestId, job.attempt ?? 0);
      case 'remind':
        return this.remind(job.requestId);
      case 'expire':
        return this.expireJob(job.requestId);
      case 'watch':
        return this.watch(job.requestId, job.attempt ?? 0);
    }
  }

  private async save(req: SoaRequest, announce = true): Promise<SoaRequest> {
    await this.d.store.update(req);
    if (announce) await this.announce(req);
    return req;
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch(() => undefined).finally(() => this.running.delete(t));
    this.running.add(t);
  }

  /**
   * Updates the card for everyone, posts a line in the thread (naming the requester), and
   * refreshes the conversation's board. Failures are logged, not fatal: the state is stored.
   */
  private async announce(req: SoaRequest, opts: { card?: boolean; quiet?: boolean } = {}): Promise<void> {
    if (opts.card !== false) {
      try {
        await this.d.notifier.updateCard(req.anchor, this.d.presenter.requestCard(req));
      } catch (e) {
        this.d.logger.warn('card update failed', {
          requestId: req.id,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    }
    try {
      const line = opts.quiet ? null : this.d.presenter.threadUpdate(req);
      if (line) await this.d.notifier.post(req.anchor, line);
    } catch (e) {
      this.d.logger.warn('thread post failed', {
        requestId: req.id,
        error: e instanceof Error ? e.message : String(e),
      });
    }
    await this.d.onChange?.(req);
  }

  private async fail(req: SoaRequest, reason: string): Promise<'done'> {
    await this.save(transition(req, 'failed', this.d.clock.now(), { reason, lease: undefined }, { note: reason }));
    this.d.logger.warn('request failed', { requestId: req.id, reason });
    return 'done';
  }

  /** A lease on a request in execution: owner and expiry, written with the version check. */
  private leased(req: SoaRequest): SoaRequest {
    const { instanceId, leaseMs } = this.d.settings.worker;
    return {
      ...req,
      lease: { owner: instanceId, expiresAt: new Date(this.d.clock.now().getTime() + leaseMs).toISOString() },
    };
  }

  /**
   * The switch or rollback, with the approver's token only. Safe to run again after a crash:
   * it reads isCloudManaged first and does not repeat a write that already took effect.
   */
  async execute(id: string, tries = 1): Promise<Outcome> {
    let req = await this.d.store.get(id);
    if (!req) return 'done';
    const now = this.d.clock.now();
    let resumed = false;
    if (req.state === 'approved') {
      req = this.leased(transition(req, 'executing', now));
    } else if (req.state === 'executing') {
      // Another instance may be working on it; take over only once its lease has run out.
      if (req.lease && req.lease.owner !== this.d.settings.worker.instanceId && req.lease.expiresAt > now.toISOString())
        return 'retry';
      req = this.leased({ ...req, version: req.version + 1, updatedAt: now.toISOString() });
      resumed = true;
    } else {
      // Already past execution: make sure its follow-up job exists (duplicates are harmless).
      if (req.state === 'awaiting_audit') await this.d.queue.enqueue({ kind: 'audit', requestId: id, attempt: 0 });
      if (req.state === 'waiting_for_sync') await this.d.queue.enqueue({ kind: 'takeover', requestId: id, attempt: 0 });
      return 'done';
    }
    try {
      req = await this.save(req, !resumed);
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return 'retry';
      throw e;
    }
    if (req.plan) return this.executePlan(req, tries);
    const target = req.action === 'move';
    const startedAt = this.d.clock.now();
    try {
      const userDir = this.d.directory.forUser(req.approver!);
      const current = await userDir.readIsCloudManaged(req.groupId);
      if (current === target && !resumed) {
        return await this.fail(req, this.d.presenter.notice({ kind: 'alreadyInTarget', action: req.action }));
      }
      if (current !== target) {
        await userDir.setIsCloudManaged(req.groupId, target);
        const after = await userDir.readIsCloudManaged(req.groupId);
        if (after !== target) return await this.fail(req, this.d.presenter.notice({ kind: 'readBackMismatch' }));
      } else {
        this.d.logger.info('write already took effect before a restart; not repeated', { requestId: id });
      }
    } catch (e) {
      if (isCoded(e, 'Throttled', 'ServiceUnavailable') && tries < MAX_EXECUTE_TRIES) return this.later(e, tries);
      this.d.logger.warn('switch failed', {
        requestId: req.id,
        code: isCoded(e) ? e.code : 'unexpected',
        error: e instanceof Error ? e.name : String(e),
      });
      return this.fail(req, this.d.presenter.explain(e));
    }
    req = await this.save(
      transition(req, 'awaiting_audit', this.d.clock.now(), {
        switchedAt: req.switchedAt ?? startedAt.toISOString(),
        lease: undefined,
      }),
    );
    await this.d.queue.enqueue({ kind: 'audit', requestId: id, attempt: 0 }, this.d.settings.audit.firstDelayMs);
    return 'done';
  }

  /**
   * A plan's switches, one group at a time in plan order, with the approver's token. Progress
   * is stored after every step (with the lease renewed), so a restart continues where it was;
   * a group already in the target state counts as done. The first failure stops the plan.
   */
  private async executePlan(start: SoaRequest, tries: number): Promise<Outcome> {
    let req = start;
    const target = req.action === 'move';
    const userDir = this.d.directory.forUser(req.approver!);
    const progress = async (plan: Plan): Promise<void> => {
      req = this.leased({ ...req, plan, version: req.version + 1, updatedAt: this.d.clock.now().toISOString() });
      await this.d.store.update(req);
    };
    for (let i = nextStep(req.plan!); i !== null; i = nextStep(req.plan!)) {
      const step = req.plan!.steps[i]!;
      const at = this.d.clock.now().toISOString();
      try {
        if ((await userDir.readIsCloudManaged(step.groupId)) !== target) {
          await userDir.setIsCloudManaged(step.groupId, target);
          if ((await userDir.readIsCloudManaged(step.groupId)) !== target)
            throw new CodedError('DirectoryError', this.d.presenter.notice({ kind: 'readBackMismatch' }));
        }
      } catch (e) {
        if (isCoded(e, 'Throttled', 'ServiceUnavailable') && tries < MAX_EXECUTE_TRIES) return this.later(e, tries);
        const error = this.d.presenter.explain(e);
        this.d.logger.warn('plan step failed', {
          requestId: req.id,
          step: i + 1,
          groupId: step.groupId,
          code: isCoded(e) ? e.code : 'unexpected',
        });
        const plan: Plan = {
          ...req.plan!,
          steps: req.plan!.steps.map((st, k) =>
            k === i ? { ...st, state: 'failed' as const, error } : k > i ? { ...st, state: 'untouched' as const } : st,
          ),
        };
        const reason = this.d.presenter.notice({
          kind: 'planStepFailed',
          step: i + 1,
          steps: plan.steps.length,
          groupName: step.groupName,
          error,
        });
        req = await this.save(
          transition(req, 'stopped', this.d.clock.now(), { plan, reason, lease: undefined }, { note: reason }),
        );
        if (plan.steps.some((st) => st.state === 'done' && !st.audit))
          await this.d.queue.enqueue(
            { kind: 'audit', requestId: req.id, attempt: 0 },
            this.d.settings.audit.firstDelayMs,
          );
        return 'done';
      }
      await progress({
        ...req.plan!,
        steps: req.plan!.steps.map((st, k) =>
          k === i ? { ...st, state: 'done' as const, switchedAt: st.switchedAt ?? at } : st,
        ),
      });
      // The card shows progress every few steps (and the thread stays quiet until the end).
      if ((i + 1) % PLAN_PROGRESS_EVERY === 0) await this.announce(req, { card: true, quiet: true });
    }
    const first = req
      .plan!.steps.map((st) => st.switchedAt)
      .filter(Boolean)
      .sort()[0];
    req = await this.save(
      transition(req, 'awaiting_audit', this.d.clock.now(), {
        switchedAt: req.switchedAt ?? first ?? this.d.clock.now().toISOString(),
        lease: undefined,
      }),
    );
    await this.d.queue.enqueue({ kind: 'audit', requestId: req.id, attempt: 0 }, this.d.settings.audit.firstDelayMs);
    return 'done';
  }

  /**
   * A plan's audit confirmations: one listing of the action's entries since the first switch,
   * matched to the steps by group id. Also runs for a stopped plan (its switched steps).
   */
  private async pollPlanAudit(req: SoaRequest, attempt: number): Promise<'done' | 'retry'> {
    if (!['awaiting_audit', 'stopped'].includes(req.state)) return 'done';
    const { firstDelayMs, maxDelayMs, timeoutMs } = this.d.settings.audit;
    const switchedTimes = req
      .plan!.steps.map((st) => st.switchedAt)
      .filter((t): t is string => !!t)
      .sort();
    if (!switchedTimes.length) return 'done';
    const firstSwitch = new Date(switchedTimes[0]!).getTime();
    const since = new Date(firstSwitch - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    let entries: Array<AuditConfirmation & { groupId: string }> = [];
    try {
      entries = await this.d.directory.app().findSoaAudits(req.action, since);
    } catch (e) {
      this.d.logger.warn('audit poll failed', { requestId: req.id, code: isCoded(e) ? e.code : 'unexpected' });
    }
    let found = 0;
    const steps = req.plan!.steps.map((st) => {
      if (st.state !== 'done' || st.audit) return st;
      const from = new Date(new Date(st.switchedAt!).getTime() - 120_000).toISOString();
      const match = entries.filter((a) => a.groupId === st.groupId && a.activityDateTime >= from).pop();
      if (!match) return st;
      found++;
      const { groupId: _g, ...audit } = match;
      return { ...st, audit };
    });
    const plan: Plan = { ...req.plan!, steps };
    const waiting = steps.filter((st) => st.state === 'done' && !st.audit).length;
    const lastSwitch = new Date(switchedTimes[switchedTimes.length - 1]!).getTime();
    const late = this.d.clock.now().getTime() >= lastSwitch + timeoutMs;
    try {
      if (req.state === 'awaiting_audit' && (waiting === 0 || late)) {
        const next = req.action === 'move' ? 'completed' : 'waiting_for_sync';
        if (next === 'completed')
          await this.d.queue.enqueue(
            { kind: 'watch', requestId: req.id, attempt: 0 },
            this.d.settings.syncWatch.intervalMs,
          );
        const note = waiting
          ? this.d.presenter.notice({
              kind: 'planAuditsNotVisible',
              missing: waiting,
              steps: steps.length,
              withinMs: timeoutMs,
            })
          : undefined;
        const saved = await this.save(transition(req, next, this.d.clock.now(), { plan }, note ? { note } : undefined));
        if (saved.state === 'waiting_for_sync')
          await this.d.queue.enqueue(
            { kind: 'takeover', requestId: req.id, attempt: 0 },
            this.d.settings.syncWatch.intervalMs,
          );
        return 'done';
      }
      if (found)
        await this.save(
          { ...req, plan, version: req.version + 1, updatedAt: this.d.clock.now().toISOString() },
          false,
        ).then((r) => this.announce(r, { quiet: true }));
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return 'retry';
      throw e;
    }
    if (waiting && !late)
      await this.d.queue.enqueue(
        { kind: 'audit', requestId: req.id, attempt: attempt + 1 },
        Math.min(firstDelayMs * 2 ** (attempt + 1), maxDelayMs),
      );
    return 'done';
  }

  /** One look at the audit log; "not visible yet" schedules the next look, with backoff. */
  async pollAudit(id: string, attempt: number): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req) return 'done';
    if (req.plan) return this.pollPlanAudit(req, attempt);
    if (req.state === 'waiting_for_sync') {
      await this.d.queue.enqueue({ kind: 'takeover', requestId: id, attempt: 0 });
      return 'done';
    }
    if (req.state !== 'awaiting_audit') return 'done';
    const { firstDelayMs, maxDelayMs, timeoutMs } = this.d.settings.audit;
    const switched = new Date(req.switchedAt ?? req.updatedAt).getTime();
    // Tolerate clock skew between this host and the directory.
    const since = new Date(switched - 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    let audit = null;
    try {
      audit = await this.d.directory.app().findSoaAudit(req.groupId, req.action, since);
    } catch (e) {
      this.d.logger.warn('audit poll failed', { requestId: id, code: isCoded(e) ? e.code : 'unexpected' });
    }
    const late = this.d.clock.now().getTime() >= switched + timeoutMs;
    if (!audit && !late) {
      await this.d.queue.enqueue(
        { kind: 'audit', requestId: id, attempt: attempt + 1 },
        Math.min(firstDelayMs * 2 ** (attempt + 1), maxDelayMs),
      );
      return 'done';
    }
    const next = req.action === 'move' ? 'completed' : 'waiting_for_sync';
    if (next === 'completed')
      await this.d.queue.enqueue({ kind: 'watch', requestId: id, attempt: 0 }, this.d.settings.syncWatch.intervalMs);
    const note = audit ? undefined : this.d.presenter.notice({ kind: 'auditNotVisible', withinMs: timeoutMs });
    try {
      const saved = await this.save(
        transition(req, next, this.d.clock.now(), audit ? { audit } : {}, note ? { note } : undefined),
      );
      if (saved.state === 'waiting_for_sync')
        await this.d.queue.enqueue(
          { kind: 'takeover', requestId: id, attempt: 0 },
          this.d.settings.syncWatch.intervalMs,
        );
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return 'done'; // another instance confirmed it
      throw e;
    }
    return 'done';
  }

  /** After a rollback: one look at whether the sync cycle has taken the group over. */
  async pollTakeover(id: string, attempt: number): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req || req.state !== 'waiting_for_sync') return 'done';
    const { intervalMs, timeoutMs } = this.d.settings.syncWatch;
    const s = req.plan ? await this.planSyncState(req) : await this.d.directory.app().readSyncState(req.groupId);
    if (s.onPremisesSyncEnabled === true) {
      try {
        await this.save(
          transition(req, 'taken_over', this.d.clock.now(), {
            takenOverAt: s.onPremisesLastSyncDateTime ?? this.d.clock.now().toISOString(),
          }),
        );
      } catch (e) {
        if (!isCoded(e, 'StaleVersion')) throw e;
      }
      return 'done';
    }
    const since = new Date(req.history.find((h) => h.state === 'waiting_for_sync')?.at ?? req.updatedAt).getTime();
    if (this.d.clock.now().getTime() >= since + timeoutMs) {
      this.d.logger.warn('sync take-over not seen in time', { requestId: id });
      await this.d.notifier
        .post(req.anchor, {
          text: this.d.presenter.notice({ kind: 'takeoverLate', request: req }),
        })
        .catch(() => undefined);
      return 'done';
    }
    await this.d.queue.enqueue({ kind: 'takeover', requestId: id, attempt: attempt + 1 }, intervalMs);
    return 'done';
  }

  /**
   * After a move: at the next sync cycles, is every switched group still cloud-managed (not
   * taken over by AD again), and did the sync client skip AD-side edits (where Graph shows
   * them)? One thread line per cycle seen, WATCH_CYCLES cycles, so drift is seen, not assumed.
   */
  async watch(id: string, attempt: number): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req || req.action !== 'move' || req.state !== 'completed') return 'done';
    const { intervalMs, timeoutMs } = this.d.settings.syncWatch;
    const app = this.d.directory.app();
    const since = req.watch?.lastCycleAt ?? req.switchedAt ?? req.updatedAt;
    const lastSync = await app.readTenantLastSync();
    if (!lastSync || lastSync <= since) {
      const waitedFrom = new Date(req.watch?.lastCycleAt ?? req.switchedAt ?? req.updatedAt).getTime();
      if (this.d.clock.now().getTime() < waitedFrom + timeoutMs)
        await this.d.queue.enqueue({ kind: 'watch', requestId: id, attempt }, intervalMs);
      else
        await this.d.notifier
          .post(req.anchor, {
            text: this.d.presenter.notice({ kind: 'watchStopped', requestId: id, withinMs: timeoutMs }),
          })
          .catch(() => undefined);
      return 'done';
    }
    const ids = req.plan ? req.plan.steps.filter((st) => st.state === 'done').map((st) => st.groupId) : [req.groupId];
    const names = new Map(
      req.plan ? req.plan.steps.map((st) => [st.groupId, st.groupName]) : [[req.groupId, req.groupName]],
    );
    const states = await app.readSyncStates(ids);
    const takenOver = ids.filter((g) => states.get(g)?.onPremisesSyncEnabled === true);
    const skipped = await app.findSkippedAdEdits(ids, since);
    const watch = {
      cycles: (req.watch?.cycles ?? 0) + 1,
      lastCycleAt: lastSync,
      takenOver,
      skippedEdits: skipped.edits,
    };
    try {
      await this.d.store.update({
        ...req,
        watch,
        version: req.version + 1,
        updatedAt: this.d.clock.now().toISOString(),
      });
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return 'retry';
      throw e;
    }
    await this.d.notifier
      .post(
        req.anchor,
        this.d.presenter.watchLine(req, {
          lastSync,
          takenOver: takenOver.map((g) => names.get(g) ?? g),
          skipped: skipped.visible
            ? skipped.edits.map((e) => ({ name: names.get(e.groupId) ?? e.groupId, changes: e.changes }))
            : null,
        }),
      )
      .catch((e) => this.d.logger.warn('thread post failed', { requestId: id, error: String(e) }));
    if (watch.cycles < WATCH_CYCLES)
      await this.d.queue.enqueue({ kind: 'watch', requestId: id, attempt: attempt + 1 }, intervalMs);
    return 'done';
  }

  /** A rollback plan is taken over when every group in it is synced from AD again. */
  private async planSyncState(
    req: SoaRequest,
  ): Promise<{ onPremisesSyncEnabled: boolean | null; onPremisesLastSyncDateTime: string | null }> {
    const ids = req.plan!.steps.filter((st) => st.state === 'done').map((st) => st.groupId);
    const states = await this.d.directory.app().readSyncStates(ids);
    const all = ids.every((id) => states.get(id)?.onPremisesSyncEnabled === true);
    const last =
      [...states.values()]
        .map((x) => x.onPremisesLastSyncDateTime ?? '')
        .sort()
        .pop() || null;
    return { onPremisesSyncEnabled: all ? true : null, onPremisesLastSyncDateTime: last };
  }

  /** One reminder in the thread for a request still waiting for a decision. */
  async remind(id: string): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req || req.state !== 'awaiting_approval' || req.remindedAt) return 'done';
    if (req.expiresAt <= this.d.clock.now().toISOString()) return 'done';
    try {
      await this.d.store.update({ ...req, remindedAt: this.d.clock.now().toISOString(), version: req.version + 1 });
    } catch (e) {
      if (isCoded(e, 'StaleVersion')) return 'done';
      throw e;
    }
    await this.d.notifier.post(req.anchor, this.d.presenter.reminder(req));
    return 'done';
  }

  private async expireJob(id: string): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req || req.state !== 'awaiting_approval') return 'done';
    const left = new Date(req.expiresAt).getTime() - this.d.clock.now().getTime();
    if (left > 0) {
      await this.d.queue.enqueue({ kind: 'expire', requestId: id }, left);
      return 'done';
    }
    await this.expire(req);
    return 'done';
  }

  /** Approved requests that have not started for longer than `staleMs` get an execute job. */
  async sweep(staleMs: number): Promise<number> {
    const stale = new Date(this.d.clock.now().getTime() - staleMs).toISOString();
    const stuck = (await this.d.store.list({ states: ['approved'], limit: 500 })).filter((r) => r.updatedAt < stale);
    for (const r of stuck) await this.d.queue.enqueue({ kind: 'execute', requestId: r.id });
    if (stuck.length) this.d.logger.info('requeued stalled executions', { count: stuck.length });
    return stuck.length;
  }

  /** On start: make sure every unfinished request has its job (duplicates are harmless). */
  async resume(): Promise<number> {
    const open = await this.d.store.list({
      states: ['approved', 'executing', 'awaiting_audit', 'waiting_for_sync', 'awaiting_approval'],
      limit: 500,
    });
    for (const r of open) {
      const kind: Job['kind'] =
        r.state === 'awaiting_approval'
          ? 'expire'
          : r.state === 'waiting_for_sync'
            ? 'takeover'
            : r.state === 'awaiting_audit'
              ? 'audit'
              : 'execute';
      const delay = kind === 'expire' ? Math.max(0, new Date(r.expiresAt).getTime() - this.d.clock.now().getTime()) : 0;
      await this.d.queue.enqueue({ kind, requestId: r.id, attempt: 0 }, delay);
    }
    return open.filter((r) => r.state !== 'awaiting_approval').length;
  }
}
