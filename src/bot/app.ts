/**
 * The teams-ai Application: routes only. Messages go to one command handler; card clicks to
 * a verb → handler table. Handlers call the service and render with the presenter.
 */
import {
  ActivityTypes,
  CardFactory,
  MemoryStorage,
  MessageFactory,
  tokenExchangeOperationName,
  verifyStateOperationName,
  type TurnContext,
} from 'botbuilder';
import {
  AdaptiveCardActionExecuteResponseType,
  Application,
  type AdaptiveCard,
  type TeamsAdapter,
  type TurnState,
} from '@microsoft/teams-ai';
import { randomUUID } from 'node:crypto';
import { isObjectId, isRequestId, parseCommand, type Command, type SoaAction } from '../domain/command';
import { isCoded } from '../domain/errors';
import { isOpen, type Person, type SoaRequest } from '../domain/request';
import type { Logger } from '../ports/logger';
import type { RequestStore } from '../ports/store';
import { type Decision, type PlanSpec, type SoaService } from '../services/soa-service';
import { PLAN_ROWS, type CardPresenter } from '../views/presenter';
import type { BoardService } from '../services/boards';
import { boardKey } from '../ports/boards';
import { anchorFor, person } from './turn';
import { forCard, forMessage } from '../views/text';
import { errorTitle, explain, nextStep } from '../views/errors';

export interface BotDeps {
  adapter: TeamsAdapter;
  service: SoaService;
  presenter: CardPresenter;
  logger: Logger;
  /** For redelivery detection. */
  store: RequestStore;
  boards: BoardService;
  /** How long a click waits for its decision before answering at once (default 700 ms). */
  clickBudgetMs?: number;
  /** Signed, expiring download links for the audit export. */
  exports: {
    count(range: { from: string; to: string }): Promise<number>;
    link(range: { from: string; to: string }, by: Person): string;
  };
  /** Teams SSO through an OAuth connection: sign-in is required for Approve and Reject. */
  sso?: { connectionName: string; tokenExchangeUri: string };
}

/** The Action.Execute verbs that act with the clicker's own token. */
const SIGNED_IN_VERBS = ['approve', 'reject', 'resume'];
const SIGN_IN_INVOKES = [tokenExchangeOperationName, verifyStateOperationName];

type Card = Record<string, unknown>;

/** A rejection reason is a sentence or two; it is kept with the request and shown on cards. */
const MAX_REASON_LENGTH = 1000;
const sendCard = (ctx: TurnContext, card: Card, text?: string) =>
  ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card), text));
const sendText = (ctx: TurnContext, text: string) =>
  ctx.sendActivity({ type: 'message', text, textFormat: 'markdown' });

export function createBot(d: BotDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter: d.adapter,
    removeRecipientMention: true,
    startTypingTimer: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_ALL },
    ...(d.sso
      ? {
          // Sign-in state of the token exchange lives for the turn; the token service keeps the token.
          storage: new MemoryStorage(),
          authentication: {
            settings: {
              graph: {
                connectionName: d.sso.connectionName,
                title: 'Sign in to decide this request',
                text: 'The change runs with your own identity, so Entra ID records you and applies your Conditional Access.',
                enableSso: true,
                tokenExchangeUri: d.sso.tokenExchangeUri,
              },
            },
            // Only the clicks that act with the clicker's token need a sign-in; asking on every
            // channel message would be noisy (and silent SSO does not work in channels).
            // A message asks for sign-in only when it is `sign in` itself. The sign-in invokes
            // must pass this selector too: teams-ai only then tags them with the setting name its
            // signin/tokenExchange and signin/verifyState routes look for (else they get 501).
            autoSignIn: async (ctx: TurnContext) =>
              (ctx.activity.type === 'invoke' &&
                ctx.activity.name === 'adaptiveCard/action' &&
                SIGNED_IN_VERBS.includes(
                  String((ctx.activity.value as { action?: { verb?: string } })?.action?.verb),
                )) ||
              (ctx.activity.type === 'invoke' && SIGN_IN_INVOKES.includes(String(ctx.activity.name))) ||
              (ctx.activity.type === 'message' && parseCommand(ctx.activity.text ?? '').command.kind === 'signin'),
          },
        }
      : {}),
  });

  if (d.sso) {
    // Message sign-in (`sign in`): Teams sends signin/tokenExchange (SSO) or signin/verifyState
    // (magic code after the sign-in card); teams-ai routes both, then calls one of these.
    const auth = app.authentication.get('graph');
    auth.onUserSignInSuccess(async (ctx) => {
      const who = person(ctx.activity);
      if (who) await reportStanding(ctx, who).catch((e) => sendError(ctx, e));
    });
    auth.onUserSignInFailure(async (ctx, _state, err) => {
      d.logger.warn('message sign-in failed', { cause: err.cause });
      await sendText(
        ctx,
        'Sign-in did not complete. Type `sign in` to try again; Approve and Reject will also ask you to sign in.',
      );
    });
  }

  app.activity(ActivityTypes.Message, async (ctx, state) => {
    const who = person(ctx.activity);
    if (!who) {
      await sendText(
        ctx,
        'I cannot tell who you are in Entra ID (no Azure AD object id on your message), so I cannot take requests from this client.',
      );
      return;
    }
    try {
      // Bot Framework may deliver the same activity twice: act once.
      if (ctx.activity.id && !(await d.store.firstDelivery(`${ctx.activity.conversation?.id}|${ctx.activity.id}`))) {
        d.logger.info('redelivered activity ignored', { activityId: ctx.activity.id });
        return;
      }
      await onMessage(ctx, who, state);
    } catch (e) {
      await sendError(ctx, e);
    }
  });

  async function onMessage(ctx: TurnContext, who: Person, state: TurnState): Promise<void> {
    const value = ctx.activity.value as Record<string, unknown> | undefined;
    if (!ctx.activity.text && value) {
      await sendText(ctx, 'That card button is from an older version of this bot; type `help` for what I can do now.');
      return;
    }
    const { command, unsplit } = parseCommand(ctx.activity.text ?? '');
    await runCommand(ctx, who, command, unsplit, state);
  }

  async function reportStanding(ctx: TurnContext, who: Person): Promise<void> {
    const s = await d.service.standing(who);
    const roles = s.roles.length ? s.roles.join(', ') : 'none active';
    await sendText(
      ctx,
      `You are signed in as **${forMessage(s.name)}** (directory roles: ${roles}). ${s.canApprove ? 'You can approve requests; the change runs with this identity.' : `You cannot approve requests: ${s.reason}`}`,
    );
  }

  async function runCommand(
    ctx: TurnContext,
    who: Person,
    command: Command,
    unsplit?: string,
    state?: TurnState,
  ): Promise<void> {
    switch (command.kind) {
      case 'plan': {
        let spec: PlanSpec;
        if (command.scope.kind === 'tree') {
          const res = await d.service.resolve([command.scope.root]);
          if (res.ambiguous.length) {
            await sendText(
              ctx,
              `Several groups are named **${forMessage(command.scope.root.name)}**: give the object id of the one whose tree you mean (\`check ${forMessage(command.scope.root.name)}\` lists them).`,
            );
            return;
          }
          const root = res.resolved[0];
          if (!root) {
            const names = res.missing[0]?.suggestions.map((g) => `\`${forMessage(g.displayName)}\``) ?? [];
            await sendText(
              ctx,
              `I found no group named **${forMessage(command.scope.root.name)}**.${names.length ? ` Did you mean ${names.join(', ')}?` : ''}`,
            );
            return;
          }
          spec = { kind: 'tree', rootId: root.id };
        } else {
          const groups = await d.service.groupsByPrefix(command.scope.prefix);
          if (!groups.length) {
            await sendText(ctx, `No group name starts with **${forMessage(command.scope.prefix)}**.`);
            return;
          }
          spec = {
            kind: 'wave',
            label: `groups starting with "${command.scope.prefix}"`,
            groupIds: groups.map((g) => g.id),
          };
        }
        if (command.mode === 'request') {
          await submitPlan(ctx, who, spec);
          return;
        }
        const p = await d.service.previewPlan(spec);
        await sendCard(ctx, d.presenter.planCheckCard(p.plan, p.facts, p.checks, p.blocked, p.problem));
        if (p.plan.steps.length > PLAN_ROWS)
          for (const m of d.presenter.planListing({ id: '(dry run)', plan: p.plan })) await sendText(ctx, m.text);
        return;
      }
      case 'rollbackPlan': {
        const r = await d.service.requestPlanRollback(command.requestId, who, anchorFor(ctx.activity));
        if (!r.request) {
          await sendText(ctx, r.message ?? 'That plan cannot be rolled back.');
          return;
        }
        await postRequest(ctx, r.request);
        return;
      }
      case 'export': {
        // The record names requesters and approvers: approvers only, by their active roles now.
        const standing = await d.service.standing(who);
        if (!standing.canApprove) {
          await sendText(ctx, `Only approvers can export the request record. ${standing.reason ?? ''}`.trim());
          return;
        }
        const range = { from: command.from, to: command.to };
        const n = await d.exports.count(range);
        const days = `${command.from.slice(0, 10)} to ${new Date(new Date(command.to).getTime() - 86_400_000).toISOString().slice(0, 10)} (UTC)`;
        if (!n) {
          await sendText(ctx, `No requests were created from ${days}.`);
          return;
        }
        await sendText(
          ctx,
          `${n} request${n === 1 ? '' : 's'} created from ${days}, one row per group with requester, approver, times, result and the matched audit record: [download the CSV](${d.exports.link(range, who)}). The link is for you and expires soon; it is not logged.`,
        );
        return;
      }
      case 'signin':
        // With an OAuth connection this runs once the token is there (sign-in completed earlier).
        await reportStanding(ctx, who);
        return;
      case 'signout':
        if (d.sso && state) await app.authentication.signOutUser(ctx, state, 'graph');
        await sendText(
          ctx,
          d.sso
            ? 'You are signed out. Approve and Reject will ask you to sign in again.'
            : 'There is nothing to sign out of here: the local stack signs you in through its own tenant.',
        );
        return;
      case 'empty':
      case 'help':
        await sendCard(ctx, d.presenter.helpCard());
        return;
      case 'request':
      case 'check': {
        const res = await d.service.resolve(command.targets, unsplit);
        for (const m of res.missing) {
          const names = m.suggestions.map((s) => `\`${forMessage(s.displayName)}\``);
          await sendText(
            ctx,
            `I found no group named **${forMessage(m.name)}**.${names.length ? ` Did you mean ${names.join(', ')}?` : " Check the spelling, or give the group's object id."}`,
          );
        }
        for (const a of res.ambiguous)
          await sendCard(ctx, d.presenter.pickCard(a.name, a.matches, command.action, command.kind));
        // Several groups asked to move together: one plan, one approval, run bottom-up.
        if (command.kind === 'request' && command.action === 'move' && res.resolved.length > 1) {
          await submitPlan(ctx, who, {
            kind: 'wave',
            label: `${res.resolved.length} named groups`,
            groupIds: res.resolved.map((g) => g.id),
          });
          return;
        }
        for (const g of res.resolved) {
          if (command.kind === 'check') await check(ctx, g.id, command.action);
          else await submit(ctx, who, g.id, command.action);
        }
        return;
      }
      case 'status': {
        if (!command.target) {
          // Open requests first; finished ones only when nothing is open.
          const mine = await d.service.mine(who.id);
          const open = mine.filter((r) => isOpen(r.state));
          if (open.length)
            await sendCard(ctx, d.presenter.statusCard(`Your open requests (${open.length})`, open, '', false));
          else
            await sendCard(
              ctx,
              d.presenter.statusCard(
                'You have no open requests; your latest ones',
                mine.slice(0, 5),
                'You have no requests yet. Try `move <group> to cloud`.',
                false,
              ),
            );
          return;
        }
        if (isRequestId(command.target.name)) {
          const req = await d.service.get(command.target.name);
          if (!req) await sendText(ctx, `There is no request ${forMessage(command.target.name)}.`);
          else await sendCard(ctx, d.presenter.statusCard(`Request ${req.id}`, [req], '', true));
          return;
        }
        const res = await d.service.resolve([command.target]);
        const groups = [...res.resolved, ...res.ambiguous.flatMap((a) => a.matches)];
        if (!groups.length) {
          await sendText(ctx, `I found no group named **${forMessage(command.target.name)}**.`);
          return;
        }
        for (const g of groups) {
          const reqs = await d.service.forGroup(g.id);
          await sendCard(
            ctx,
            d.presenter.statusCard(
              `Requests for ${g.displayName}`,
              reqs,
              `No requests for ${forCard(g.displayName)} (${g.id}).`,
              true,
            ),
          );
        }
        return;
      }
      case 'pending': {
        const p = await d.service.pendingFor(who);
        await sendCard(
          ctx,
          d.presenter.statusCard(
            'Waiting for your decision',
            p.requests,
            p.reason ? `Nothing you can decide: ${p.reason}` : 'Nothing is waiting for your decision.',
            false,
          ),
        );
        return;
      }
      case 'cancel': {
        const r = await d.service.cancel(command.requestId, who);
        await sendText(ctx, r.outcome === 'done' ? `Request ${r.request.id} is cancelled.` : r.message);
        return;
      }
      case 'board': {
        const anchor = anchorFor(ctx.activity);
        const sent = await sendCard(ctx, await d.boards.card(anchor));
        if (sent?.id) await d.boards.posted({ ...anchor, cardActivityId: sent.id }, who.name);
        return;
      }
      case 'invalid':
        await sendText(ctx, command.reason);
        return;
      case 'unknown':
        await sendText(
          ctx,
          `I did not understand "${forMessage(command.text)}".${command.suggestion ? ` Did you mean \`${command.suggestion}\`?` : ''} Type \`help\` to see what I can do.`,
        );
        return;
    }
  }

  /** Posts a new request's card (and, for a long plan, every step in follow-up messages). */
  async function postRequest(ctx: TurnContext, req: SoaRequest): Promise<void> {
    const sent = await sendCard(ctx, d.presenter.requestCard(req));
    if (sent?.id) await d.service.attachCard(req.id, { ...anchorFor(ctx.activity), cardActivityId: sent.id });
    if (req.plan && req.plan.steps.length + req.plan.skipped.length > PLAN_ROWS) {
      for (const m of d.presenter.planListing(req)) await sendText(ctx, m.text);
    }
  }

  async function submitPlan(ctx: TurnContext, who: Person, spec: PlanSpec): Promise<void> {
    const r = await d.service.submitPlan(spec, who, anchorFor(ctx.activity));
    if (r.blocked) {
      await sendCard(
        ctx,
        d.presenter.planCheckCard(r.plan, r.facts, r.checks, true, r.problem),
        r.problem ? undefined : 'This plan cannot be requested: a blocking check failed.',
      );
      return;
    }
    if (r.conflicts?.length) {
      await sendText(
        ctx,
        `Some of these groups already have open requests: ${r.conflicts.map((c) => `${c.id} (${forMessage(c.groupName)})`).join(', ')}. Type \`status <request id>\` to see them.`,
      );
      return;
    }
    await postRequest(ctx, r.request!);
  }

  async function check(ctx: TurnContext, groupId: string, action: SoaAction): Promise<void> {
    const r = await d.service.check(groupId, action);
    await sendCard(ctx, d.presenter.checkCard(r.facts, r.checks, action, r.blocked));
  }

  async function submit(ctx: TurnContext, who: Person, groupId: string, action: SoaAction): Promise<void> {
    const anchor = anchorFor(ctx.activity);
    const r = await d.service.submit(groupId, action, who, anchor);
    if (r.blocked) {
      await sendCard(
        ctx,
        d.presenter.checkCard(r.facts, r.checks, action, true),
        `This ${action === 'move' ? 'move' : 'rollback'} cannot be requested: a blocking check failed.`,
      );
      return;
    }
    if (r.duplicate) {
      // Its card never arrived (the post failed after retries): post it again here, so it can be decided.
      if (
        r.duplicate.state === 'awaiting_approval' &&
        !r.duplicate.anchor.cardActivityId &&
        boardKey(r.duplicate.anchor) === boardKey(anchor)
      ) {
        await sendText(
          ctx,
          `**${forMessage(r.facts.group.displayName)}** already has an open request, ${r.duplicate.id}, whose approval card did not arrive; here it is again.`,
        );
        await postRequest(ctx, r.duplicate);
        return;
      }
      await sendText(
        ctx,
        `**${forMessage(r.facts.group.displayName)}** already has an open request, ${r.duplicate.id} (${forMessage(d.presenter.statusLine(r.duplicate))}). Type \`status ${r.duplicate.id}\` to see it.`,
      );
      return;
    }
    await postRequest(ctx, r.request!);
  }

  // ---------------------------------------------------------------- card clicks

  const decisionCard = async (ctx: TurnContext, r: Decision): Promise<AdaptiveCard | string> => {
    if (r.outcome === 'refused') return r.message;
    if (r.outcome === 'stale') {
      await sendText(ctx, r.message).catch(() => undefined);
    }
    return d.presenter.requestCard(r.request) as unknown as AdaptiveCard;
  };

  const clicker = (ctx: TurnContext): Person | string =>
    person(ctx.activity) ?? 'I cannot tell who clicked (no Azure AD object id).';

  const numberOf = (v: unknown) => (typeof v === 'number' ? v : Number(v));

  /**
   * Teams shows an error if a click is not answered within about 10 s, and a slow tenant (or
   * a first on-behalf-of exchange) can take seconds. A decision that takes longer than the
   * budget is answered at once; its outcome then reaches the card and the thread.
   */
  async function decide(
    ctx: TurnContext,
    who: Person,
    requestId: unknown,
    work: Promise<Decision>,
  ): Promise<AdaptiveCard | string> {
    const settled = work.then(
      (r) => ({ r }),
      (e: unknown) => ({ e }),
    );
    const quick = await Promise.race([
      settled,
      new Promise<null>((res) => setTimeout(() => res(null), d.clickBudgetMs ?? 700).unref()),
    ]);
    if (quick) {
      if ('e' in quick) return clickError(quick.e);
      return decisionCard(ctx, quick.r);
    }
    void settled
      .then((late) =>
        d.service.lateDecision('r' in late ? late.r : null, who, 'e' in late ? late.e : null, String(requestId ?? '')),
      )
      .catch((e) =>
        d.logger.warn('late decision follow-up failed', { error: e instanceof Error ? e.message : String(e) }),
      );
    return 'Checking your sign-in and roles with Entra ID; the card updates in a moment.';
  }

  /**
   * A decision is taken only on the card in the request's own conversation: request ids copied
   * into a card elsewhere (or forged) are refused before anything is read from Graph.
   */
  async function elsewhere(ctx: TurnContext, requestId: unknown): Promise<string | null> {
    const req = typeof requestId === 'string' && isRequestId(requestId) ? await d.service.get(requestId) : null;
    if (!req) return 'This card does not refer to a request I know. Nothing was changed.';
    if (boardKey(req.anchor) !== boardKey(anchorFor(ctx.activity)))
      return `Request ${req.id} belongs to another conversation; decide it on its own card there. Nothing was changed.`;
    return null;
  }

  /** A card click handler: whatever fails inside it (storage, Graph, a bug), the click is answered. */
  function onClick(
    verb: string | RegExp,
    handler: (ctx: TurnContext, state: TurnState, data: Record<string, unknown>) => Promise<AdaptiveCard | string>,
  ): void {
    app.adaptiveCards.actionExecute(verb, async (ctx, state, data: Record<string, unknown>) => {
      try {
        return await handler(ctx, state, data ?? {});
      } catch (e) {
        return clickError(e);
      }
    });
  }

  onClick('approve', async (ctx, _state, data: Record<string, unknown>) => {
    const who = clicker(ctx);
    if (typeof who === 'string') return who;
    const refused = await elsewhere(ctx, data.requestId);
    if (refused) return refused;
    return decide(
      ctx,
      who,
      data.requestId,
      d.service.approve(
        String(data.requestId ?? ''),
        numberOf(data.version),
        who,
        data.ackSyncVersions === 'true' || data.ackSyncVersions === true,
      ),
    );
  });

  onClick('reject', async (ctx, _state, data: Record<string, unknown>) => {
    const who = clicker(ctx);
    if (typeof who === 'string') return who;
    const refused = await elsewhere(ctx, data.requestId);
    if (refused) return refused;
    const reason = String(data.rejectReason ?? '');
    if (reason.length > MAX_REASON_LENGTH)
      return `The reason is ${reason.length.toLocaleString('en-US')} characters long; give at most ${MAX_REASON_LENGTH.toLocaleString('en-US')}. Nothing was changed.`;
    return decide(
      ctx,
      who,
      data.requestId,
      d.service.reject(String(data.requestId ?? ''), numberOf(data.version), who, reason),
    );
  });

  // From a check card or a pick list: the group id is only a choice; everything is re-read.
  for (const verb of ['request', 'check'] as const) {
    onClick(verb, async (ctx, _state, data: Record<string, unknown>) => {
      const who = clicker(ctx);
      if (typeof who === 'string') return who;
      const action: SoaAction = data.action === 'rollback' ? 'rollback' : 'move';
      const groupId = String(data.groupId ?? '');
      // The id goes into a Graph URL path: only an object id, never anything that could change the path.
      if (!isObjectId(groupId)) return 'This card does not refer to a group I know. Nothing was changed.';
      try {
        if (verb === 'check') await check(ctx, groupId, action);
        else await submit(ctx, who, groupId, action);
        return verb === 'check' ? 'Check posted.' : 'Request posted.';
      } catch (e) {
        await sendError(ctx, e).catch(() => undefined);
        return clickError(e);
      }
    });
  }

  // A stopped plan: an approver resumes it at the failed step, with their own token.
  onClick('resume', async (ctx, _state, data: Record<string, unknown>) => {
    const who = clicker(ctx);
    if (typeof who === 'string') return who;
    const refused = await elsewhere(ctx, data.requestId);
    if (refused) return refused;
    return decide(
      ctx,
      who,
      data.requestId,
      d.service.resumePlan(String(data.requestId ?? ''), numberOf(data.version), who),
    );
  });

  // A finished or stopped move plan: request the rollback of what it switched (a new approval).
  onClick('rollbackPlan', async (ctx, _state, data: Record<string, unknown>) => {
    const who = clicker(ctx);
    if (typeof who === 'string') return who;
    const r = await d.service.requestPlanRollback(String(data.requestId ?? ''), who, anchorFor(ctx.activity));
    if (!r.request) return r.message ?? 'That plan cannot be rolled back.';
    await postRequest(ctx, r.request);
    return `Rollback requested: ${r.request.id}.`;
  });

  // Refresh on the board card: its current content, for everyone.
  onClick('board', async (ctx) => (await d.boards.card(anchorFor(ctx.activity))) as unknown as AdaptiveCard);

  onClick(/.*/, async () => 'This button is not known to the bot any more. Type `help`.');

  function clickError(e: unknown): string {
    if (isCoded(e)) return explain(e);
    const ref = randomUUID().slice(0, 8);
    d.logger.error('card action failed', { ref, error: e instanceof Error ? e.message : String(e) });
    return `Something went wrong on my side (reference ${ref}). Nothing was changed.`;
  }

  async function sendError(ctx: TurnContext, e: unknown): Promise<void> {
    if (isCoded(e)) {
      await sendCard(ctx, d.presenter.errorCard(errorTitle(e), explain(e), nextStep(e)));
      return;
    }
    const ref = randomUUID().slice(0, 8);
    d.logger.error('message handling failed', { ref, error: e instanceof Error ? e.message : String(e) });
    await sendCard(
      ctx,
      d.presenter.errorCard('Something went wrong', `I could not finish that (reference ${ref}). Nothing was changed.`),
    );
  }

  app.error(async (ctx, err) => {
    // A proactive post (a thread line, a card update) runs as a continuation turn: its failure
    // belongs to the caller, which logs it and carries on; no apology is posted for it.
    if (ctx.activity.type === ActivityTypes.Event && ctx.activity.name === 'ContinueConversation') throw err;
    const ref = randomUUID().slice(0, 8);
    d.logger.error('turn failed', { ref, error: err instanceof Error ? err.message : String(err) });
    await ctx.sendActivity(`Something went wrong on my side (reference ${ref}).`).catch(() => undefined);
  });

  return app;
}
