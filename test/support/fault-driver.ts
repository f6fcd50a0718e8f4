/**
 * The driver of the fault-injection runs: each request asked for in a channel, its card
 * found (asked again when a post was lost), then left pending, rejected, or approved through
 * the faults the plan draws, a few requests at once. Messages and clicks go to the bot the
 * target routes to; a post that finds no process behind it (a killed instance) is sent again,
 * as a user would, to a live one.
 */
import assert from 'node:assert/strict';
import type { SoaRequest } from '../../src/domain/request';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { actions, cardOf, cardText, type Outbound, type TestChannel } from './connector';
import type { FaultKind, FaultPlan } from './fault-plan';
import { people } from './stack';

/** What a run drives: one bot in-process, or several bot processes on one store. */
export interface FaultTarget {
  tenant: FakeTenant;
  channel: TestChannel;
  /** The bot (its base URL) that takes the next message or click: a live one. */
  route(): string;
  /** The stored requests for these groups, as the bots see them. */
  requests(groupIds: string[]): Promise<SoaRequest[]>;
  /** Called as the driver starts request `i` (before its first message). */
  starting?(i: number): void;
}

export interface DriverOutcome {
  cards: number;
  cardRetries: number;
  approved: number;
  rejected: number;
  leftPending: number;
  clickRefusals: number;
  clickRetries: number;
  unanswered: number;
  /** Messages and clicks that reached no process (sent to an instance as it was killed), sent again. */
  deadInstancePosts: number;
}

export interface Driven {
  outcome: DriverOutcome;
  /** Group id → the request id on its card. */
  requestIds: Map<string, string>;
  /** Groups whose card never came, after every retry. */
  unanswered: string[];
}

type Group = { id: string; displayName: string };

/**
 * How many times a user asks for a group before the run counts it unanswered. A lost post is
 * an injected Bot Connector failure, and several can come in a row: a few 503s in a row outlast
 * the connector's own three retries, and a 403 is not retried at all.
 */
const CARD_ASKS = 6;
type Click = { status: number; card?: any; message?: string };

/** A post that reached no process: fetch rejects (refused, reset). */
async function reached<T>(post: Promise<T>, outcome: DriverOutcome): Promise<T | null> {
  try {
    return await post;
  } catch (e) {
    if (!(e instanceof TypeError && e.message === 'fetch failed')) throw e;
    outcome.deadInstancePosts++;
    return null;
  }
}

export async function drive(
  target: FaultTarget,
  plan: FaultPlan,
  groups: Group[],
  concurrency: number,
): Promise<Driven> {
  const { channel } = target;
  const outcome: DriverOutcome = {
    cards: 0,
    cardRetries: 0,
    approved: 0,
    rejected: 0,
    leftPending: 0,
    clickRefusals: 0,
    clickRetries: 0,
    unanswered: 0,
    deadInstancePosts: 0,
  };
  const requestIds = new Map<string, string>();
  const unanswered: string[] = [];

  async function cardFor(group: Group, key: string): Promise<Outbound | null> {
    for (let attempt = 0; attempt < CARD_ASKS; attempt++) {
      const since = channel.outbound.length;
      const said = await reached(
        channel.say(people.alex, `move ${group.id} to cloud`, { kind: 'channel', key, botUrl: target.route() }),
        outcome,
      );
      if (said) {
        try {
          const card = await channel.waitFor(
            (o) => o.conversationId.startsWith(`19:${key}@`) && !!cardOf(o) && cardText(cardOf(o)).includes(group.id),
            10_000,
            since,
          );
          if (/waiting for approval/.test(cardText(cardOf(card)))) return card;
        } catch {
          // No card: a lost post (injected connector failure) or an error message; ask again.
        }
      }
      const existing = (await target.requests([group.id])).find((r) => r.state === 'awaiting_approval');
      if (existing?.anchor.cardActivityId)
        return channel.outbound.find((o) => o.id === existing.anchor.cardActivityId) ?? null;
      outcome.cardRetries++;
    }
    return null;
  }

  async function one(i: number): Promise<void> {
    target.starting?.(i);
    const group = groups[i]!;
    // Spread over 24 channels: Teams paces a bot to 60 posts per 30 s in one channel, and the
    // channel of the tests enforces it, so 220 requests in fewer channels would mostly wait.
    const key = `fi-${i % 24}`;
    if (plan.roll() < 0.08) await plan.inject(group.id); // faults while the card is built, too
    const card = await cardFor(group, key);
    if (!card) {
      outcome.unanswered++;
      unanswered.push(group.id);
      return;
    }
    outcome.cards++;
    const approve = actions(cardOf(card)).find((a) => a.verb === 'approve')!;
    requestIds.set(group.id, String(approve.data.requestId));
    const roll = plan.roll();
    if (roll < 0.05) {
      outcome.leftPending++;
      return;
    }
    if (roll < 0.13) {
      for (let attempt = 0; attempt < 3; attempt++) {
        const r = await reached(
          channel.click(
            people.megan,
            card.id,
            'reject',
            { ...approve.data, rejectReason: 'not in this wave' },
            { kind: 'channel', key, botUrl: target.route() },
          ),
          outcome,
        );
        if (!r) continue;
        if (/Rejected by/.test(cardText(r.card ?? {}))) outcome.rejected++;
        return;
      }
      return;
    }
    const kind: FaultKind | undefined = plan.roll() < 0.6 ? await plan.inject(group.id) : undefined;
    const click = (who = people.megan): Promise<Click | null> =>
      reached(
        channel.click(
          who,
          card.id,
          'approve',
          { ...approve.data, ackSyncVersions: 'true' },
          { kind: 'channel', key, botUrl: target.route() },
        ),
        outcome,
      );
    if (kind === 'mfaApprover') {
      const r = await click(people.isaiah);
      assert.doesNotMatch(
        `${r?.message ?? ''} ${r?.card ? cardText(r.card) : ''}`,
        /Approved by Isaiah/,
        'an approver who must pass MFA first is not taken',
      );
      outcome.clickRefusals++;
    }
    for (let attempt = 0; attempt < 5; attempt++) {
      const sent = kind === 'doubleClick' && attempt === 0 ? await Promise.all([click(), click()]) : [await click()];
      const answers = sent.filter((a): a is Click => a !== null);
      if (!answers.length) continue; // it reached no process: click again (on a live one)
      assert.ok(
        answers.every((a) => a.status === 200),
        'every click is answered',
      );
      const texts = answers.map((a) => `${a.message ?? ''} ${a.card ? cardText(a.card) : ''}`);
      if (texts.some((t) => /Approved by|Completed|running|verified|Failed|Checking your sign-in/.test(t))) {
        outcome.approved++;
        return;
      }
      outcome.clickRefusals++;
      outcome.clickRetries++;
    }
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < groups.length) await one(next++);
    }),
  );
  return { outcome, requestIds, unanswered };
}
