/**
 * Asking the service for a check or a request and posting what comes back: shared by the
 * commands (move, rollback, check, plans) and the card clicks (request, check, rollbackPlan).
 */
import type { SoaAction } from '../../domain/command';
import type { SoaRequest } from '../../domain/request';
import { boardKey } from '../../ports/boards';
import type { ChangeControl, PlanSpec } from '../../services/soa-service';
import { PLAN_ROWS } from '../../views/plan-card';
import { ALREADY_OPEN, NOT_REQUESTED } from '../../views/request-replies';
import type { Turn } from '../deps';
import { sendCard, sendText } from '../reply';
import { anchorFor } from '../turn';
import { askReason, type ReasonScope } from './reasons';
import { scheduleOf } from './schedule';

/** The check card of one group (a dry run: nothing is requested). */
export async function checkGroup(t: Omit<Turn, 'who'>, groupId: string, action: SoaAction): Promise<void> {
  const r = await t.bot.service.check(groupId, action);
  await sendCard(t.ctx, t.bot.presenter.checkCard(r.facts, r.checks, action, r.blocked));
}

/**
 * A request for one group: its card, or why not (a blocking check, an open request, a time that
 * does not read), or the reason card when a reason is required and none came. The request, when
 * one was made.
 */
export async function submit(
  t: Turn,
  groupId: string,
  action: SoaAction,
  control?: ChangeControl,
): Promise<SoaRequest | undefined> {
  const when = await scheduleOf(t, control);
  if (when === null) return undefined;
  const anchor = anchorFor(t.ctx.activity);
  const r = await t.bot.service.submit(groupId, action, t.who, anchor, control, when);
  if (r.needsJustification) {
    const scope: ReasonScope = { kind: 'group', action, groupId };
    const about = { action, name: r.facts.group.displayName };
    await askReason(t, r.needsJustification.requestId, scope, about, control);
    return undefined;
  }
  if (r.blocked) {
    await sendCard(
      t.ctx,
      t.bot.presenter.checkCard(r.facts, r.checks, action, true),
      NOT_REQUESTED.blocked(action, r.checks),
    );
    return undefined;
  }
  if (r.duplicate) {
    const name = r.facts.group.displayName;
    // Its card never arrived (the post failed after retries): post it again here, so it can be decided.
    if (
      r.duplicate.state === 'awaiting_approval' &&
      !r.duplicate.anchor.cardActivityId &&
      boardKey(r.duplicate.anchor) === boardKey(anchor)
    ) {
      await sendText(t.ctx, ALREADY_OPEN.cardAgain(name, r.duplicate.id));
      await postRequest(t, r.duplicate);
      return undefined;
    }
    await sendText(t.ctx, ALREADY_OPEN.elsewhere(name, r.duplicate.id, t.bot.presenter.statusLine(r.duplicate)));
    return undefined;
  }
  await postRequest(t, r.request!);
  return r.request;
}

/**
 * A request for a plan: its card, or why not (a blocking check, groups with open requests), or
 * the reason card (which requests `scope` once the reason is in). The request, when one was made.
 */
export async function submitPlan(
  t: Turn,
  spec: PlanSpec,
  scope: ReasonScope,
  control?: ChangeControl,
): Promise<SoaRequest | undefined> {
  const when = await scheduleOf(t, control);
  if (when === null) return undefined;
  const r = await t.bot.service.submitPlan(spec, t.who, anchorFor(t.ctx.activity), control, when);
  if (r.blocked) {
    await sendCard(
      t.ctx,
      t.bot.presenter.planCheckCard(r.plan, r.facts, r.checks, true, r.problem),
      r.problem ? undefined : NOT_REQUESTED.planBlocked,
    );
    return undefined;
  }
  if (r.conflicts?.length) {
    await sendText(t.ctx, NOT_REQUESTED.planConflicts(r.conflicts));
    return undefined;
  }
  if (r.needsJustification) {
    await askReason(t, r.needsJustification.requestId, scope, { action: 'move', name: r.plan.label }, control);
    return undefined;
  }
  await postRequest(t, r.request!);
  return r.request;
}

/** The rollback of what a move plan switched: its card, or why not, or the reason card. */
export async function submitPlanRollback(
  t: Turn,
  sourceId: string,
  control?: ChangeControl,
): Promise<SoaRequest | undefined> {
  const when = await scheduleOf(t, control);
  if (when === null) return undefined;
  const r = await t.bot.service.requestPlanRollback(sourceId, t.who, anchorFor(t.ctx.activity), control, when);
  if (r.needsJustification) {
    const scope: ReasonScope = { kind: 'rollbackPlan', sourceId };
    await askReason(t, r.needsJustification.requestId, scope, { action: 'rollback', name: sourceId }, control);
    return undefined;
  }
  if (!r.request) {
    await sendText(t.ctx, r.message ?? NOT_REQUESTED.noPlanRollback);
    return undefined;
  }
  await postRequest(t, r.request);
  return r.request;
}

/** Posts a new request's card (and, for a long plan, every step in follow-up messages). */
export async function postRequest(t: Omit<Turn, 'who'>, req: SoaRequest): Promise<void> {
  const sent = await sendCard(t.ctx, t.bot.presenter.requestCard(req));
  if (sent?.id) await t.bot.service.attachCard(req.id, { ...anchorFor(t.ctx.activity), cardActivityId: sent.id });
  if (req.plan && req.plan.steps.length + req.plan.skipped.length > PLAN_ROWS) {
    for (const m of t.bot.presenter.planListing(req)) await sendText(t.ctx, m.text);
  }
}
