import assert from 'node:assert/strict';
import type { RequestLogEntry } from '../../src/fake-tenant/graph/request-log';
import { largeSeed, prng } from '../../src/fake-tenant/large-seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { FINAL_STATES, type SoaRequest } from '../../src/domain/request';
import { actions, cardOf, cardText, type Outbound } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people, startStack, type Stack } from '../support/stack';

/**
 * The fault-injection run: 220 requests driven through the bot while random faults are
 * injected at every edge (Graph 429/503 and slow answers past the deadline, the token
 * endpoint, the audit log, Bot Connector posts), with double clicks and clicks by an approver
 * who must first pass MFA. It ends with the counts and four invariants: every request is in a
 * final or resumable state, no switch without a recorded approval, no duplicate switch, no
 * lost request. The random choices come from a seeded generator (FAULT_SEED to change it); with
 * several requests in flight the order of the draws follows timing, so the mix varies a little.
 */
const REQUESTS = Number(process.env.FAULT_REQUESTS ?? 220);
const SEED = Number(process.env.FAULT_SEED ?? 20261128);
const CONCURRENCY = 8;

type FaultKind =
  | 'patch429'
  | 'patch503'
  | 'patchStorm'
  | 'readSlow'
  | 'read503'
  | 'audit503'
  | 'batch503'
  | 'token503'
  | 'connector503'
  | 'connector403'
  | 'mfaApprover'
  | 'doubleClick';

describe('fault injection: 220 requests through random faults', function () {
  this.timeout(240_000);
  let ft: FakeTenant;
  let s: Stack;
  before(async () => {
    ft = await startTestTenant({
      seed: largeSeed({ groups: REQUESTS + 20, users: 10, depth: 2, breadth: 40, cloudManagedShare: 0, randomSeed: 7 }),
      settings: { auditDelayMs: 20 },
    });
    s = await startStack(
      { GRAPH_TIMEOUT_SECONDS: '0.5', AUDIT_POLL_TIMEOUT_MIN: '0.1', AUDIT_POLL_MAX_DELAY_MS: '200' },
      ft,
    );
  });
  after(async () => {
    s?.channel.clearFaults();
    await s?.stop();
    await ft?.close();
  });

  it('ends with every request final or resumable, no unapproved or duplicate switch, nothing lost', async () => {
    const rnd = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const groups = (
      (
        await admin<Array<{ id: string; displayName: string; onPremisesSyncEnabled: boolean }>>(
          ft,
          'GET',
          '/_fake/groups',
        )
      ).body ?? []
    )
      .filter((g) => /^BIG-|^FIN-/.test(g.displayName))
      .slice(0, REQUESTS);
    assert.equal(groups.length, REQUESTS, 'enough generated groups');

    const injected = new Map<FaultKind, number>();
    const count = (k: FaultKind) => injected.set(k, (injected.get(k) ?? 0) + 1);
    const outcome = {
      cards: 0,
      cardRetries: 0,
      approved: 0,
      rejected: 0,
      leftPending: 0,
      clickRefusals: 0,
      clickRetries: 0,
      unanswered: 0,
    };
    const requestIds = new Map<string, string>(); // group id → request id

    async function fault(groupId: string): Promise<FaultKind> {
      const kind = pick<FaultKind>([
        'patch429',
        'patch503',
        'patchStorm',
        'readSlow',
        'read503',
        'audit503',
        'batch503',
        'token503',
        'connector503',
        'connector403',
        'mfaApprover',
        'doubleClick',
      ]);
      const sob = `/groups/${groupId}/onPremisesSyncBehavior$`;
      switch (kind) {
        case 'patch429':
          await admin(ft, 'POST', '/_fake/faults', {
            match: sob,
            method: 'PATCH',
            status: 429,
            retryAfter: pick([0, 1]),
            count: 1 + Math.floor(rnd() * 3),
          });
          break;
        case 'patch503':
          await admin(ft, 'POST', '/_fake/faults', {
            match: sob,
            method: 'PATCH',
            status: 503,
            count: 1 + Math.floor(rnd() * 3),
          });
          break;
        // Beyond every retry: this request must end failed, with nothing switched.
        case 'patchStorm':
          await admin(ft, 'POST', '/_fake/faults', {
            match: sob,
            method: 'PATCH',
            status: 429,
            retryAfter: 0,
            count: 100,
          });
          break;
        case 'readSlow':
          await admin(ft, 'POST', '/_fake/faults', { match: sob, method: 'GET', delayMs: 1200, count: 1 });
          break;
        case 'read503':
          await admin(ft, 'POST', '/_fake/faults', { match: sob, method: 'GET', status: 503, count: 2 });
          break;
        case 'audit503':
          await admin(ft, 'POST', '/_fake/faults', { match: '/auditLogs/directoryAudits$', status: 503, count: 2 });
          break;
        case 'batch503':
          await admin(ft, 'POST', '/_fake/faults', { match: '/\\$batch$', status: 503, retryAfter: 0, count: 1 });
          break;
        case 'token503':
          await admin(ft, 'POST', '/_fake/faults', { match: '/oauth2/v2\\.0/token$', status: 503, count: 1 });
          break;
        case 'connector503':
          s.channel.failNext(1 + Math.floor(rnd() * 2), 503);
          break;
        case 'connector403':
          s.channel.failNext(1, 403, { kinds: ['send', 'reply'] });
          break;
        case 'mfaApprover':
        case 'doubleClick':
          break;
      }
      count(kind);
      return kind;
    }

    async function cardFor(group: { id: string; displayName: string }, key: string): Promise<Outbound | null> {
      for (let attempt = 0; attempt < 4; attempt++) {
        const since = s.channel.outbound.length;
        await s.channel.say(people.alex, `move ${group.id} to cloud`, { kind: 'channel', key });
        try {
          const card = await s.channel.waitFor(
            (o) => o.conversationId.startsWith(`19:${key}@`) && !!cardOf(o) && cardText(cardOf(o)).includes(group.id),
            10_000,
            since,
          );
          if (/waiting for approval/.test(cardText(cardOf(card)))) return card;
        } catch {
          // No card: a lost post (injected connector failure) or an error message; ask again.
        }
        const existing = (await s.bot.service.forGroup(group.id)).find((r) => r.state === 'awaiting_approval');
        if (existing?.anchor.cardActivityId)
          return s.channel.outbound.find((o) => o.id === existing.anchor.cardActivityId) ?? null;
        outcome.cardRetries++;
      }
      return null;
    }

    async function one(i: number): Promise<void> {
      const group = groups[i]!;
      const key = `fi-${i % 6}`;
      if (rnd() < 0.08) await fault(group.id); // faults while the card is built, too
      const card = await cardFor(group, key);
      if (!card) {
        outcome.unanswered++;
        return;
      }
      outcome.cards++;
      const approve = actions(cardOf(card)).find((a) => a.verb === 'approve')!;
      requestIds.set(group.id, String(approve.data.requestId));
      const roll = rnd();
      if (roll < 0.05) {
        outcome.leftPending++;
        return;
      }
      if (roll < 0.13) {
        const r = await s.channel.click(
          people.megan,
          card.id,
          'reject',
          { ...approve.data, rejectReason: 'not in this wave' },
          { kind: 'channel', key },
        );
        if (/Rejected by/.test(cardText(r.card ?? {}))) outcome.rejected++;
        return;
      }
      const kind = rnd() < 0.6 ? await fault(group.id) : undefined;
      const click = (who = people.megan) =>
        s.channel.click(
          who,
          card.id,
          'approve',
          { ...approve.data, ackSyncVersions: 'true' },
          { kind: 'channel', key },
        );
      if (kind === 'mfaApprover') {
        const r = await click(people.isaiah);
        assert.doesNotMatch(
          `${r.message ?? ''} ${r.card ? cardText(r.card) : ''}`,
          /Approved by Isaiah/,
          'an approver who must pass MFA first is not taken',
        );
        outcome.clickRefusals++;
      }
      for (let attempt = 0; attempt < 5; attempt++) {
        const answers =
          kind === 'doubleClick' && attempt === 0 ? await Promise.all([click(), click()]) : [await click()];
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

    // Drive the requests, CONCURRENCY at a time.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < groups.length) await one(next++);
      }),
    );
    // Graph faults stay armed until used: a throttling storm must end its request as failed.
    s.channel.clearFaults();

    // Let the work finish: every approved request leaves approved/executing/awaiting_audit.
    const requests = async (): Promise<SoaRequest[]> =>
      (await Promise.all(groups.map((g) => s.bot.service.forGroup(g.id)))).flat();
    const deadline = Date.now() + 150_000;
    let all = await requests();
    while (all.some((r) => ['approved', 'executing', 'awaiting_audit'].includes(r.state)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      all = await requests();
    }

    // Invariants, from the store and the fake tenant's own record of every Graph request.
    const log = (await admin<RequestLogEntry[]>(ft, 'GET', '/_fake/requests')).body;
    const switches = log.filter(
      (e) => e.method === 'PATCH' && /\/onPremisesSyncBehavior$/.test(e.path) && e.status < 300,
    );
    const byGroup = new Map<string, RequestLogEntry[]>();
    for (const w of switches) {
      const id = /groups\/([^/]+)\//.exec(w.path)![1]!;
      byGroup.set(id, [...(byGroup.get(id) ?? []), w]);
    }
    const unapproved = switches.filter((w) => {
      const id = /groups\/([^/]+)\//.exec(w.path)![1]!;
      const req = all.find((r) => r.groupId === id);
      const approvedAt = req?.history.find((h) => h.state === 'approved')?.at;
      return !req || !req.approver || req.approver.id !== w.userId || !approvedAt || approvedAt > w.at;
    });
    const duplicates = [...byGroup.values()].filter((ws) => ws.length > 1);
    const lost = [...requestIds.values()].filter((id) => !all.some((r) => r.id === id));
    const resumable = new Set(['awaiting_approval', 'stopped']);
    const stuck = all.filter((r) => !FINAL_STATES.includes(r.state) && !resumable.has(r.state));
    const tenantGroups = (
      await admin<Array<{ id: string; isCloudManaged?: boolean; onPremisesSyncEnabled?: boolean | null }>>(
        ft,
        'GET',
        '/_fake/groups',
      )
    ).body;
    const managedInCloud = new Set(tenantGroups.filter((g) => g.isCloudManaged).map((g) => g.id));
    const silent = all.filter(
      (r) => r.state !== 'completed' && managedInCloud.has(r.groupId) && !byGroup.has(r.groupId),
    );
    const states: Record<string, number> = {};
    for (const r of all) states[r.state] = (states[r.state] ?? 0) + 1;

    const summary = {
      requests: all.length,
      states,
      driver: outcome,
      faultsInjected: Object.fromEntries([...injected.entries()].sort()),
      patchAttempts: log.filter((e) => e.method === 'PATCH' && /\/onPremisesSyncBehavior$/.test(e.path)).length,
      switches: switches.length,
      unapprovedSwitches: unapproved.length,
      duplicateSwitches: duplicates.length,
      lostRequests: lost.length,
      notFinalOrResumable: stuck.length,
      botConnectorFailuresAnswered: s.channel.failed.length,
    };
    console.log(`      fault-injection run (seed ${SEED}): ${JSON.stringify(summary)}`);

    assert.ok(all.length >= 200, `${all.length} requests`);
    assert.equal(outcome.unanswered, 0, 'every request got its card (after retries)');
    assert.deepEqual(
      stuck.map((r) => `${r.id} ${r.state}`),
      [],
      'every request final or resumable',
    );
    assert.deepEqual(
      unapproved.map((w) => w.path),
      [],
      'no switch without a recorded approval',
    );
    assert.deepEqual(
      duplicates.map((ws) => ws[0]!.path),
      [],
      'no duplicate switch',
    );
    assert.deepEqual(lost, [], 'no lost request');
    assert.deepEqual(
      silent.map((r) => r.id),
      [],
      'no group switched outside a completed request',
    );
    assert.equal(states.completed ?? 0, switches.length, 'every switch belongs to a completed request');
    assert.ok(
      (injected.get('patchStorm') ?? 0) === 0 || (states.failed ?? 0) > 0,
      'a write throttled beyond every retry ends failed',
    );
  });
});
