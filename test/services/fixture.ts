/**
 * SoaService built on the in-memory ports, the real presenter and the real domain: a
 * directory with a few groups and people, a store, a queue and a notifier to look into,
 * and a clock the test moves.
 */
import sinon from 'sinon';
import { ROLE_TEMPLATE } from '../../src/domain/policy';
import type { ConversationAnchor, Person, SoaRequest } from '../../src/domain/request';
import type { Clock } from '../../src/ports/clock';
import type { Logger } from '../../src/ports/logger';
import type { Job } from '../../src/ports/queue';
import { SoaService, type ServiceSettings } from '../../src/services/soa-service';
import { CardPresenter } from '../../src/views/presenter';
import { FakeDirectory } from '../support/fake-directory';
import { ManualClock } from '../support/manual-clock';
import { InMemoryWorkQueue } from '../support/memory-queue';
import { InMemoryInventory } from '../support/memory-inventory';
import { InMemoryScanStore } from '../support/memory-scans';
import { InMemoryRequestStore } from '../support/memory-store';
import { RecordingNotifier } from '../support/recording-notifier';

export const HIA = ROLE_TEMPLATE.hybridIdentityAdministrator;

export const people = {
  alex: { id: 'u-alex', name: 'Alex Wilber', channelUserId: '29:alex' },
  megan: { id: 'u-megan', name: 'Megan Bowen', channelUserId: '29:megan' },
  adele: { id: 'u-adele', name: 'Adele Vance', channelUserId: '29:adele' },
  lee: { id: 'u-lee', name: 'Lee Gu' },
} satisfies Record<string, Person>;

export const anchor: ConversationAnchor = {
  reference: { conversation: { id: '19:ops@thread.tacv2;messageid=1' } },
  conversationType: 'channel',
  cardActivityId: 'card-1',
};

/** Group ids: one group on its own, and a tree Sales → (Sales-EU → Sales-DACH, Sales-US). */
export const G = {
  payroll: 'a1000000-0000-4000-8000-000000000001',
  sales: 'b2000000-0000-4000-8000-000000000010',
  eu: 'b2000000-0000-4000-8000-000000000011',
  dach: 'b2000000-0000-4000-8000-000000000012',
  us: 'b2000000-0000-4000-8000-000000000013',
};

export const SETTINGS: ServiceSettings = {
  policy: { approverRoles: [HIA], allowSelfApproval: false },
  minimums: { connectSync: '2.5.76.0', cloudSync: '1.1.1370.0' },
  requestTtlMs: 72 * 3_600_000,
  audit: { firstDelayMs: 2000, maxDelayMs: 60_000, timeoutMs: 15 * 60_000 },
  syncWatch: { intervalMs: 30_000, timeoutMs: 180 * 60_000 },
  remindAfterMs: 24 * 3_600_000,
  worker: { instanceId: 'here', leaseMs: 60_000, visibilityMs: 120_000, pollMs: 1000, concurrency: 1 },
};

export type World = ReturnType<typeof world>;

/**
 * A fresh service and its ports; `clock` defaults to a ManualClock (pass another to drive time
 * otherwise); `inventory`: the tenant the readiness scans read (none by default).
 */
export function world(
  opts: { settings?: Partial<ServiceSettings>; clock?: Clock; inventory?: InMemoryInventory } = {},
) {
  const clock = opts.clock ?? new ManualClock();
  const settings = { ...SETTINGS, ...opts.settings };
  const store = new InMemoryRequestStore(() => clock.now());
  const queue = new InMemoryWorkQueue(clock);
  const directory = new FakeDirectory(clock);
  const notifier = new RecordingNotifier();
  const scans = new InMemoryScanStore();
  const inventory = opts.inventory ?? new InMemoryInventory([]);
  const logger = { info: sinon.spy(), warn: sinon.spy(), error: sinon.spy() } satisfies Logger;
  const onChange = sinon.spy(async (_req: SoaRequest) => {});
  let made = 0;
  // Request ids from a counter: R-222222, R-222223, … (the alphabet of newRequestId).
  const random = (n: number) => {
    const c = made++;
    return Uint8Array.from({ length: n }, (_, i) => Math.floor(c / 32 ** (n - 1 - i)) % 32);
  };
  const service = new SoaService({
    directory,
    store,
    scans,
    inventory,
    queue,
    notifier,
    presenter: new CardPresenter(settings.policy),
    clock,
    logger,
    random,
    settings,
    onChange,
  });
  directory.addPerson(people.alex, []);
  directory.addPerson(people.megan, [HIA]);
  directory.addPerson(people.adele, [HIA]);
  directory.addGroup({ id: G.payroll, displayName: 'FIN-Payroll' });
  directory.addGroup({ id: G.sales, displayName: 'Sales', children: [G.eu, G.us] });
  directory.addGroup({ id: G.eu, displayName: 'Sales-EU', children: [G.dach] });
  directory.addGroup({ id: G.dach, displayName: 'Sales-DACH' });
  directory.addGroup({ id: G.us, displayName: 'Sales-US' });
  return { service, store, scans, inventory, queue, directory, notifier, logger, onChange, clock, settings };
}

/** Alex asks to move (or roll back) a group; the request as stored. */
export async function requested(w: World, groupId = G.payroll, action: 'move' | 'rollback' = 'move') {
  const r = await w.service.submit(groupId, action, people.alex, anchor);
  if (!r.request) throw new Error(`not requested: ${JSON.stringify(r.checks.filter((c) => c.status === 'fail'))}`);
  return r.request;
}

/** Megan approves the current card of `req`. */
export async function approved(w: World, req: SoaRequest, who: Person = people.megan) {
  const d = await w.service.approve(req.id, req.history.length, who, true);
  if (d.outcome !== 'done') throw new Error(`not approved: ${d.message}`);
  await w.service.idle();
  return d.request;
}

/** Jobs waiting in the queue, as `kind:requestId@inMs`. */
export function jobs(w: World): string[] {
  return w.queue.waiting().map((m) => `${m.job.kind}:${m.job.requestId}@${m.inMs}`);
}

/**
 * Runs every job the queue hands out now, as the worker would (its outcome settles the
 * message): execution, audit and take-over polls, the reminders of scheduled switches and
 * trials, and a trial's end. Approval reminders, expiries and watches are only taken off.
 */
export async function runDue(w: World): Promise<void> {
  for (;;) {
    const r = await w.queue.receive(60_000);
    if (!r) return;
    const out = await runJob(w, r.job);
    if (typeof out === 'object') await w.queue.enqueue(r.job, out.afterMs);
    if (out !== 'retry') await w.queue.complete(r);
  }
}

function runJob(w: World, job: Job) {
  switch (job.kind) {
    case 'execute':
      return w.service.execute(job.requestId);
    case 'audit':
      return w.service.pollAudit(job.requestId, job.attempt ?? 0);
    case 'takeover':
      return w.service.pollTakeover(job.requestId, job.attempt ?? 0);
    case 'scheduleReminder':
      return w.service.remindScheduled(job.requestId);
    case 'trialReminder':
      return w.service.remindTrial(job.requestId);
    case 'trialEnd':
      return w.service.endTrial(job.requestId);
    default:
      return Promise.resolve('done' as const);
  }
}
