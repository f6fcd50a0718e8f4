/** Deciding: approve, reject, cancel, resume a stopped plan, and a decision that outlived its click. */
import { isCoded } from '../../domain/errors';
import { markStillNeededInAd } from '../../domain/gpad';
import { mayApprove, type Decider } from '../../domain/policy';
import { mayRejectNow } from '../../domain/quorum';
import { cardVersion, isWaitingToStart, transition, type Person, type Plan } from '../../domain/request';
import { countedAlready, needsAcknowledgement, recordApproval } from './approvals';
import { commitDecision, gate, type Decision } from './click-gate';
import { rejectGate } from './schedule';
import { announce, errorText, mustGet, type ServicePorts, type Track } from './shared';
import { windowHold } from './windows';

/** The approver as recorded: who the directory says they are, and their Teams id for the token service. */
function approverOf(me: Decider & { name: string }, clicker: Person): Person {
  return { id: me.id, name: me.name, ...(clicker.channelUserId ? { channelUserId: clicker.channelUserId } : {}) };
}

export async function approve(
  ports: ServicePorts,
  track: Track,
  id: string,
  version: number,
  approver: Person,
  syncVersionsAcknowledged: boolean,
  stillNeededInAd = false,
): Promise<Decision> {
  const g = await gate(ports, id, version);
  if ('outcome' in g) return g;
  const req = g.req;
  const again = countedAlready(ports, req, approver);
  if (again) return again;
  if (!syncVersionsAcknowledged && needsAcknowledgement(req)) {
    return { outcome: 'refused', request: req, message: ports.presenter.notice({ kind: 'syncVersionsUnconfirmed' }) };
  }
  // Roles are read now, with the approver's own token: a role lost since the request counts.
  const me = await ports.directory.forUser(approver).whoAmI();
  // Counted toward the quorum; the request is approved once every stage has its approvals.
  const person = approverOf(me, approver);
  // The card's "still needed in AD" toggle travels with Approve: recorded with who and when.
  const r = await recordApproval(ports, track, req, me, person, (next) =>
    markStillNeededInAd(next, stillNeededInAd, person, next.updatedAt),
  );
  if ('outcome' in r) return r;
  const approved = r.saved;
  ports.logger.info('request approved', { requestId: id, approverId: me.id, selfApproved: approved.selfApproved });
  try {
    await ports.queue.enqueue({ kind: 'execute', requestId: id });
  } catch (e) {
    // The approval is recorded; the sweep (or the next start) queues its execution.
    ports.logger.warn('execution not queued; the sweep will queue it', { requestId: id, error: errorText(e) });
  }
  // The click's answer carries the new card; the thread line and the board follow without delaying it.
  track(announce(ports, approved, { card: false }));
  return { outcome: 'done', request: approved };
}

export async function reject(
  ports: ServicePorts,
  id: string,
  version: number,
  decider: Person,
  reason: string,
): Promise<Decision> {
  const g = await rejectGate(ports, id, version);
  if ('outcome' in g) return g;
  const trimmed = reason.trim();
  if (trimmed.length < 3)
    return { outcome: 'refused', request: g.req, message: ports.presenter.notice({ kind: 'rejectionReasonMissing' }) };
  const me = await ports.directory.forUser(decider).whoAmI();
  const verdict = mayRejectNow(ports.settings.policy, g.req, me);
  if (!verdict.ok) return { outcome: 'refused', request: g.req, message: verdict.reason };
  const r = await commitDecision(ports, g.req, (cur) =>
    transition(
      cur,
      'rejected',
      ports.clock.now(),
      { approver: { id: me.id, name: me.name }, reason: trimmed.slice(0, 500) },
      { by: me.name, note: trimmed.slice(0, 500) },
    ),
  );
  if ('outcome' in r) return r;
  const next = r.saved;
  await announce(ports, next);
  return { outcome: 'done', request: next };
}

export async function cancel(ports: ServicePorts, id: string, who: Person): Promise<Decision> {
  const req = await mustGet(ports, id);
  if (req.requester.id !== who.id)
    return { outcome: 'refused', request: req, message: ports.presenter.notice({ kind: 'cancelNotRequester' }) };
  if (req.state !== 'awaiting_approval' && req.state !== 'stopped' && !isWaitingToStart(req))
    return {
      outcome: 'stale',
      request: req,
      message: ports.presenter.notice({ kind: 'alreadyDecided', request: req }),
    };
  // A bookkeeping write in between (a reminder) does not lose the cancel; a decision in between wins.
  const r = await commitDecision(ports, req, (cur) =>
    transition(cur, 'cancelled', ports.clock.now(), {}, { by: who.name }),
  );
  if ('outcome' in r) return r;
  await announce(ports, r.saved);
  return { outcome: 'done', request: r.saved };
}

/** An approver restarts a stopped plan at its failed step, with their own token. */
export async function resumePlan(
  ports: ServicePorts,
  track: Track,
  id: string,
  version: number,
  approver: Person,
): Promise<Decision> {
  const { notice } = ports.presenter;
  const req = await mustGet(ports, id);
  if (req.state !== 'stopped' || !req.plan)
    return { outcome: 'stale', request: req, message: notice({ kind: 'notResumable', request: req }) };
  if (cardVersion(req) !== version)
    return { outcome: 'stale', request: req, message: notice({ kind: 'staleCard', requestId: req.id, what: 'plan' }) };
  const me = await ports.directory.forUser(approver).whoAmI();
  const verdict = mayApprove(ports.settings.policy, req, me);
  if (!verdict.ok) return { outcome: 'refused', request: req, message: verdict.reason };
  const r = await commitDecision(ports, req, (cur) => {
    const plan: Plan = {
      ...cur.plan!,
      steps: cur.plan!.steps.map((st) =>
        st.state === 'done' ? st : { ...st, state: 'pending' as const, error: undefined },
      ),
    };
    return transition(
      cur,
      'approved',
      ports.clock.now(),
      {
        plan,
        reason: undefined,
        approver: approverOf(me, approver),
        selfApproved: verdict.selfApproved,
        // Outside every change window it waits for the next (a past wait is cleared).
        notBefore: undefined,
        windowZone: undefined,
        ...windowHold(ports, cur),
      },
      { by: me.name, note: notice({ kind: 'resumedNote' }) },
    );
  });
  if ('outcome' in r) return r;
  const next = r.saved;
  await ports.queue.enqueue({ kind: 'execute', requestId: id });
  track(announce(ports, next, { card: false }));
  return { outcome: 'done', request: next };
}

/**
 * A decision that outlived the click's answer: the card everyone sees is updated (done or
 * stale), and a refusal or error is said in the thread, naming the clicker.
 */
export async function lateDecision(
  ports: ServicePorts,
  r: Decision | null,
  who: Person,
  error: unknown,
  requestId: string,
): Promise<void> {
  const { notifier, presenter } = ports;
  const req = r?.request ?? (await ports.store.get(requestId).catch(() => null));
  if (r && req && r.outcome !== 'refused') {
    await notifier.updateCard(req.anchor, presenter.requestCard(req)).catch(() => undefined);
    return;
  }
  const text = r && r.outcome === 'refused' ? r.message : presenter.explain(error);
  if (req)
    await notifier.post(req.anchor, {
      text: presenter.notice({ kind: 'clickFailed', who, requestId: req.id, reason: text }),
      ...(who.channelUserId ? { mentions: [{ id: who.channelUserId, name: who.name }] } : {}),
    });
  else ports.logger.warn('late decision failed', { code: isCoded(error) ? error.code : 'unexpected' });
}
