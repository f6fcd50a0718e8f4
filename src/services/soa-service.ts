/**
 * The use cases: resolve, check, submit, decide, execute (switch or rollback with the
 * approver's token), confirm in the audit log, watch the sync take-over, expire. Depends on
 * ports only.
 */
import type { SoaAction, Target } from '../domain/command';
import { CodedError, isCoded } from '../domain/errors';
import { approverStanding, mayApprove, mayReject, ROLE_LABEL, type ApprovalPolicy } from '../domain/policy';
import { evaluate, isBlocked, type CheckRow, type GroupFacts, type SyncMinimums } from '../domain/prerequisites';
import { cardVersion, isOpen, newRequestId, OPEN_STATES, transition, type ConversationAnchor, type Person, type SoaRequest } from '../domain/request';
import type { Clock } from '../ports/clock';
import type { DirectoryFactory, GroupMatch, UserDirectory } from '../ports/directory';
import type { Logger } from '../ports/logger';
import type { Notifier } from '../ports/notifier';
import type { Presenter } from '../ports/presenter';
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
  worker: { instanceId: string; leaseMs: number; visibilityMs: number; pollMs: number };
}

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
      if (matches.length === 1) { if (!res.resolved.some((g) => g.id === matches[0]!.id)) res.resolved.push(matches[0]!); }
      else if (matches.length > 1) res.ambiguous.push({ name, matches });
      else res.missing.push({ name, suggestions: [] });
    }
    return res;
  }

  async check(groupId: string, action: SoaAction): Promise<{ facts: GroupFacts; checks: CheckRow[]; blocked: boolean }> {
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
    return { requests: allowed, canApprove: allowed.length > 0 || !probe || probe.ok, ...(probe && !probe.ok && !allowed.length ? { reason: probe.reason } : {}) };
  }

  /**
   * Who the user is to Entra ID through the on-behalf-of path (the same one Approve uses), and
   * whether their active roles let them approve: `sign in` answers with this.
   */
  async standing(user: Person): Promise<{ name: string; roles: string[]; canApprove: boolean; reason?: string }> {
    const me = await this.d.directory.forUser(user).whoAmI();
    const verdict = approverStanding(this.d.settings.policy, me);
    return { name: me.name, roles: me.roles.map((r) => ROLE_LABEL[r] ?? r), canApprove: verdict.ok, ...(verdict.ok ? {} : { reason: verdict.reason }) };
  }

  // ------------------------------------------------------------------ submitting

  /** Reads the facts, refuses a blocked request, else stores it awaiting approval. */
  async submit(groupId: string, action: SoaAction, requester: Person, anchor: ConversationAnchor): Promise<{ request?: SoaRequest; facts: GroupFacts; checks: CheckRow[]; blocked: boolean; duplicate?: SoaRequest }> {
    const { facts, checks, blocked } = await this.check(groupId, action);
    if (blocked) return { facts, checks, blocked };
    const open = (await this.d.store.list({ groupId, states: OPEN_STATES, limit: 5 })).find((r) => isOpen(r.state));
    if (open) return { facts, checks, blocked, duplicate: open };
    const now = this.d.clock.now();
    const req: SoaRequest = {
      id: newRequestId(this.d.random),
      version: 1,
      action,
      groupId,
      groupName: facts.group.displayName,
      state: 'awaiting_approval',
      requester,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.d.settings.requestTtlMs).toISOString(),
      facts,
      checks,
      anchor,
      history: [{ at: now.toISOString(), state: 'awaiting_approval', by: requester.name }],
    };
    await this.d.store.create(req);
    await this.d.queue.enqueue({ kind: 'remind', requestId: req.id }, this.d.settings.remindAfterMs);
    await this.d.queue.enqueue({ kind: 'expire', requestId: req.id }, this.d.settings.requestTtlMs);
    this.d.logger.info('request submitted', { requestId: req.id, action, groupId });
    return { request: req, facts, checks, blocked };
  }

  /** Records where the request's card was posted (not a state change, still versioned). */
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
    let req = await this.mustGet(id);
    if (req.state === 'awaiting_approval' && req.expiresAt <= this.d.clock.now().toISOString()) {
      req = await this.expire(req);
      return { outcome: 'stale', request: req, message: `Request ${req.id} expired before a decision.` };
    }
    if (req.state !== 'awaiting_approval') {
      return { outcome: 'stale', request: req, message: `Request ${req.id} is already ${describe(req)}.` };
    }
    if (cardVersion(req) !== version) {
      // The card was out of date (for example a second card). Show the current one; act only on a fresh click.
      return { outcome: 'stale', request: req, message: `That card was out of date; here is request ${req.id} as it stands now.` };
    }
    return { req };
  }

  async approve(id: string, version: number, approver: Person, syncVersionsAcknowledged: boolean): Promise<Decision> {
    const g = await this.gate(id, version);
    if ('outcome' in g) return g;
    const req = g.req;
    if (!syncVersionsAcknowledged) {
      return { outcome: 'refused', request: req, message: 'Confirm the sync client versions (the tick box on the card) before approving.' };
    }
    // Roles are read now, with the approver's own token: a role lost since the request counts.
    const me = await this.d.directory.forUser(approver).whoAmI();
    const verdict = mayApprove(this.d.settings.policy, req, me);
    if (!verdict.ok) return { outcome: 'refused', request: req, message: verdict.reason };
    const now = this.d.clock.now();
    const approved = transition(req, 'approved', now, { approver: { id: me.id, name: me.name, ...(approver.channelUserId ? { channelUserId: approver.channelUserId } : {}) }, selfApproved: verdict.selfApproved, syncVersionsAcknowledged: true }, { by: me.name, ...(verdict.selfApproved ? { note: 'self-approved (ALLOW_SELF_APPROVAL)' } : {}) });
    const lost = await this.commitDecision(approved);
    if (lost) return lost;
    this.d.logger.info('request approved', { requestId: id, approverId: me.id, selfApproved: verdict.selfApproved });
    await this.d.queue.enqueue({ kind: 'execute', requestId: id });
    // The click's answer carries the new card; the thread line and the board follow without delaying it.
    this.track(this.announce(approved, { card: false }));
    return { outcome: 'done', request: approved };
  }

  async reject(id: string, version: number, decider: Person, reason: string): Promise<Decision> {
    const g = await this.gate(id, version);
    if ('outcome' in g) return g;
    const trimmed = reason.trim();
    if (trimmed.length < 3) return { outcome: 'refused', request: g.req, message: 'Give a reason for the rejection (at least a few words).' };
    const me = await this.d.directory.forUser(decider).whoAmI();
    const verdict = mayReject(this.d.settings.policy, g.req, me);
    if (!verdict.ok) return { outcome: 'refused', request: g.req, message: verdict.reason };
    const next = transition(g.req, 'rejected', this.d.clock.now(), { approver: { id: me.id, name: me.name }, reason: trimmed.slice(0, 500) }, { by: me.name, note: trimmed.slice(0, 500) });
    const lost = await this.commitDecision(next);
    if (lost) return lost;
    await this.announce(next);
    return { outcome: 'done', request: next };
  }

  /** Writes a decision; if another one won the race, returns what the loser is shown. */
  private async commitDecision(next: SoaRequest): Promise<Decision | null> {
    try {
      await this.d.store.update(next);
      return null;
    } catch (e) {
      if (!isCoded(e, 'StaleVersion')) throw e;
      const current = await this.mustGet(next.id);
      return { outcome: 'stale', request: current, message: `Someone else decided request ${next.id} a moment earlier: it is ${describe(current)}.` };
    }
  }

  async cancel(id: string, who: Person): Promise<Decision> {
    const req = await this.mustGet(id);
    if (req.requester.id !== who.id) return { outcome: 'refused', request: req, message: 'Only the requester can cancel a request.' };
    if (req.state !== 'awaiting_approval') return { outcome: 'stale', request: req, message: `Request ${id} is already ${describe(req)}.` };
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
    const due = (await this.d.store.list({ states: ['awaiting_approval'], limit: 200 })).filter((r) => r.expiresAt <= now);
    for (const r of due) await this.expire(r);
    return due.length;
  }

  // ------------------------------------------------------------------ executing

  // ------------------------------------------------------------------ background work

  /** Starts the worker loop: takes jobs from the durable queue until stop(). */
  startWorker(): void {
    if (this.worker) return;
    const { visibilityMs, pollMs } = this.d.settings.worker;
    this.worker = (async () => {
      while (!this.stopping) {
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
        const run = this.handle(received);
        this.running.add(run);
        await run.finally(() => this.running.delete(run));
      }
    })();
  }

  /** Resolves when no job is being handled right now (tests). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** Stops taking jobs; the one in hand finishes. Unfinished work stays in the queue. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.worker;
    await this.idle();
  }

  private async handle(r: ReceivedJob): Promise<void> {
    let outcome: 'done' | 'retry' = 'done';
    try {
      outcome = await this.runJob(r.job, r.dequeueCount);
    } catch (e) {
      // Left in the queue: it becomes visible again and is retried.
      outcome = 'retry';
      this.d.logger.warn('job failed', { kind: r.job.kind, requestId: r.job.requestId, attempt: r.dequeueCount, code: isCoded(e) ? e.code : 'unexpected', error: e instanceof Error ? e.message : String(e) });
    }
    if (outcome === 'done') await this.d.queue.complete(r).catch((e) => this.d.logger.warn('job completion failed', { error: String(e) }));
  }

  private runJob(job: Job, dequeueCount: number): Promise<'done' | 'retry'> {
    switch (job.kind) {
      case 'execute': return this.execute(job.requestId, dequeueCount);
      case 'audit': return this.pollAudit(job.requestId, job.attempt ?? 0);
      case 'takeover': return this.pollTakeover(job.requestId, job.attempt ?? 0);
      case 'remind': return this.remind(job.requestId);
      case 'expire': return this.expireJob(job.requestId);
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
  private async announce(req: SoaRequest, opts: { card?: boolean } = {}): Promise<void> {
    if (opts.card !== false) {
      try {
        await this.d.notifier.updateCard(req.anchor, this.d.presenter.requestCard(req));
      } catch (e) {
        this.d.logger.warn('card update failed', { requestId: req.id, error: e instanceof Error ? e.message : String(e) });
      }
    }
    try {
      const line = this.d.presenter.threadUpdate(req);
      if (line) await this.d.notifier.post(req.anchor, line);
    } catch (e) {
      this.d.logger.warn('thread post failed', { requestId: req.id, error: e instanceof Error ? e.message : String(e) });
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
    return { ...req, lease: { owner: instanceId, expiresAt: new Date(this.d.clock.now().getTime() + leaseMs).toISOString() } };
  }

  /**
   * The switch or rollback, with the approver's token only. Safe to run again after a crash:
   * it reads isCloudManaged first and does not repeat a write that already took effect.
   */
  async execute(id: string, dequeueCount = 1): Promise<'done' | 'retry'> {
    let req = await this.d.store.get(id);
    if (!req) return 'done';
    const now = this.d.clock.now();
    let resumed = false;
    if (req.state === 'approved') {
      req = this.leased(transition(req, 'executing', now));
    } else if (req.state === 'executing') {
      // Another instance may be working on it; take over only once its lease has run out.
      if (req.lease && req.lease.owner !== this.d.settings.worker.instanceId && req.lease.expiresAt > now.toISOString()) return 'retry';
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
    const target = req.action === 'move';
    const startedAt = this.d.clock.now();
    try {
      const userDir = this.d.directory.forUser(req.approver!);
      const current = await userDir.readIsCloudManaged(req.groupId);
      if (current === target && !resumed) {
        return await this.fail(req, `The group changed since the request: it is already ${target ? 'cloud-managed' : 'managed in AD'}. Nothing was changed.`);
      }
      if (current !== target) {
        await userDir.setIsCloudManaged(req.groupId, target);
        const after = await userDir.readIsCloudManaged(req.groupId);
        if (after !== target) return await this.fail(req, 'Microsoft Graph accepted the change but reading it back shows the old value.');
      } else {
        this.d.logger.info('write already took effect before a restart; not repeated', { requestId: id });
      }
    } catch (e) {
      if (isCoded(e, 'Throttled', 'ServiceUnavailable') && dequeueCount < 5) return 'retry';
      this.d.logger.warn('switch failed', { requestId: req.id, code: isCoded(e) ? e.code : 'unexpected', error: e instanceof Error ? e.name : String(e) });
      return this.fail(req, explain(e));
    }
    req = await this.save(transition(req, 'awaiting_audit', this.d.clock.now(), { switchedAt: req.switchedAt ?? startedAt.toISOString(), lease: undefined }));
    await this.d.queue.enqueue({ kind: 'audit', requestId: id, attempt: 0 }, this.d.settings.audit.firstDelayMs);
    return 'done';
  }

  /** One look at the audit log; "not visible yet" schedules the next look, with backoff. */
  async pollAudit(id: string, attempt: number): Promise<'done' | 'retry'> {
    const req = await this.d.store.get(id);
    if (!req) return 'done';
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
      await this.d.queue.enqueue({ kind: 'audit', requestId: id, attempt: attempt + 1 }, Math.min(firstDelayMs * 2 ** (attempt + 1), maxDelayMs));
      return 'done';
    }
    const next = req.action === 'move' ? 'completed' : 'waiting_for_sync';
    const note = audit ? undefined : `The change was verified, but its audit entry was not visible within ${Math.round(timeoutMs / 60000)} min.`;
    try {
      const saved = await this.save(transition(req, next, this.d.clock.now(), audit ? { audit } : {}, note ? { note } : undefined));
      if (saved.state === 'waiting_for_sync') await this.d.queue.enqueue({ kind: 'takeover', requestId: id, attempt: 0 }, this.d.settings.syncWatch.intervalMs);
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
    const s = await this.d.directory.app().readSyncState(req.groupId);
    if (s.onPremisesSyncEnabled === true) {
      try {
        await this.save(transition(req, 'taken_over', this.d.clock.now(), { takenOverAt: s.onPremisesLastSyncDateTime ?? this.d.clock.now().toISOString() }));
      } catch (e) {
        if (!isCoded(e, 'StaleVersion')) throw e;
      }
      return 'done';
    }
    const since = new Date(req.history.find((h) => h.state === 'waiting_for_sync')?.at ?? req.updatedAt).getTime();
    if (this.d.clock.now().getTime() >= since + timeoutMs) {
      this.d.logger.warn('sync take-over not seen in time', { requestId: id });
      await this.d.notifier.post(req.anchor, { text: `Request ${id}: the sync cycle has not taken **${req.groupName}** over yet. Check that the AD group is still in sync scope; \`status ${id}\` shows it, and the bot looks again at its next start.` }).catch(() => undefined);
      return 'done';
    }
    await this.d.queue.enqueue({ kind: 'takeover', requestId: id, attempt: attempt + 1 }, intervalMs);
    return 'done';
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

  /** On start: make sure every unfinished request has its job (duplicates are harmless). */
  async resume(): Promise<number> {
    const open = await this.d.store.list({ states: ['approved', 'executing', 'awaiting_audit', 'waiting_for_sync', 'awaiting_approval'], limit: 500 });
    for (const r of open) {
      const kind: Job['kind'] = r.state === 'awaiting_approval' ? 'expire' : r.state === 'waiting_for_sync' ? 'takeover' : r.state === 'awaiting_audit' ? 'audit' : 'execute';
      const delay = kind === 'expire' ? Math.max(0, new Date(r.expiresAt).getTime() - this.d.clock.now().getTime()) : 0;
      await this.d.queue.enqueue({ kind, requestId: r.id, attempt: 0 }, delay);
    }
    return open.filter((r) => r.state !== 'awaiting_approval').length;
  }
}

function describe(req: SoaRequest): string {
  const by = req.approver ? ` by ${req.approver.name}` : '';
  switch (req.state) {
    case 'rejected': return `rejected${by}`;
    case 'approved': case 'executing': case 'awaiting_audit': case 'completed': case 'waiting_for_sync': case 'taken_over':
      return `${{ approved: 'approved', executing: 'running', awaiting_audit: 'done and waiting for the audit log', completed: 'completed', waiting_for_sync: 'rolled back and waiting for the next sync', taken_over: 'rolled back and taken over by AD' }[req.state]}${by}`;
    default: return req.state.replace(/_/g, ' ');
  }
}

/** A failure as the thread should read it: what happened and what to do. */
export function explain(e: unknown): string {
  if (!isCoded(e)) return 'An unexpected error stopped the change. Nothing else was attempted; see the bot logs.';
  switch (e.code) {
    case 'ConsentRequired': return `${e.message} The delegated permissions are Group-OnPremisesSyncBehavior.ReadWrite.All, Group.Read.All, Directory.Read.All, AuditLog.Read.All and User.Read.`;
    case 'InteractionRequired': case 'TokenExpired': case 'BlockedByConditionalAccess': return e.message;
    case 'PermissionDenied': return 'Microsoft Graph refused the change for the approver: an active Hybrid Identity Administrator (or allowed) role and the Group-OnPremisesSyncBehavior.ReadWrite.All consent are needed.';
    case 'Throttled': return 'Microsoft Graph kept throttling the request after retries. Nothing was changed by the failed call; approve a new request later.';
    case 'GroupNotFound': return 'The group no longer exists in Entra ID.';
    case 'NotSyncedFromAd': return e.message;
    default: return e.message;
  }
}
