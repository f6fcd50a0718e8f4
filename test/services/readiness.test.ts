/**
 * The readiness scan as a use case: started by an approver, read in hops from the in-memory
 * inventory through the queue, classified at the last page; progress on the card, cancel, one
 * scan at a time, a resumed hop, and bad input.
 */
import assert from 'node:assert/strict';
import type { ReceivedJob } from '../../src/ports/queue';
import type { Scan } from '../../src/ports/scans';
import { CARD_EVERY_MS, HOP_PAGES, MAX_HOP_TRIES, MAX_RESTARTS, STALLED_MS } from '../../src/services/soa/readiness';
import { InMemoryInventory, type FakeInventoryGroup } from '../support/memory-inventory';
import type { ManualClock } from '../support/manual-clock';
import { anchor, G, people, requested, world, type World } from './fixture';

const id = (n: number) => `c0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Sales → (Sales-EU → Sales-DACH, Sales-US), FIN-Payroll alone, a cloud-managed group and many plain ones. */
function tenant(extra = 0): FakeInventoryGroup[] {
  return [
    { id: G.payroll, displayName: 'FIN-Payroll' },
    { id: G.sales, displayName: 'Sales', childGroupIds: [G.eu, G.us, id(9001), id(9002), id(9003)] },
    { id: G.eu, displayName: 'Sales-EU', childGroupIds: [G.dach] },
    { id: G.dach, displayName: 'Sales-DACH' },
    { id: G.us, displayName: 'Sales-US' },
    { id: id(9001), displayName: 'Sales-APAC' },
    { id: id(9002), displayName: 'Sales-LATAM' },
    { id: id(9003), displayName: 'Sales-Cloud', cloudManaged: true },
    { id: id(9004), displayName: 'Team site', kind: 'unified', fromAd: false, onPremisesSyncEnabled: null },
    ...Array.from({ length: extra }, (_, i) => ({ id: id(i + 1), displayName: `Ops-${i + 1}` })),
  ];
}

function scanWorld(groups = tenant(), pageSize = 3) {
  const inventory = new InMemoryInventory(groups, pageSize);
  const w = world({ inventory });
  return { ...w, inventory, clock: w.clock as ManualClock };
}

/** Runs readiness hops as the worker would, `stepMs` apart, until none is left (or `hops` ran). */
async function drive(w: World, o: { stepMs?: number; hops?: number } = {}): Promise<number> {
  let hops = 0;
  for (;;) {
    if (o.hops !== undefined && hops >= o.hops) return hops;
    // A scan that never reaches its last page would loop here without ever yielding to mocha's timer.
    if (hops > 200) throw new Error('the scan never ends');
    const r = await w.queue.receive(60_000);
    if (!r) return hops;
    await settle(w, r);
    hops++;
    (w.clock as ManualClock).advance(o.stepMs ?? 0);
  }
}

async function settle(w: World, r: ReceivedJob): Promise<void> {
  assert.equal(r.job.kind, 'readiness');
  const out = await w.service.readScan(r.job.requestId, r.dequeueCount);
  if (typeof out === 'object') await w.queue.enqueue(r.job, out.afterMs);
  if (out !== 'retry') await w.queue.complete(r);
}

async function started(w: World, prefix?: string): Promise<Scan> {
  const r = await w.service.startScan(people.megan, anchor, prefix);
  assert.equal(r.outcome, 'started');
  if (r.outcome !== 'started') throw new Error('not started');
  await w.service.attachScanCard(r.scan.id, 'card-scan');
  return r.scan;
}

const stored = async (w: World, scanId: string) => (await w.scans.get(scanId))!;
const cardText = (card: Record<string, unknown>) => JSON.stringify(card);

describe('services: the readiness scan', () => {
  it('reads every page through the queue in hops, merges repeats, classifies at the last page', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    assert.equal(scan.total, 159);
    assert.deepEqual(
      w.queue.waiting().map((m) => m.job),
      [{ kind: 'readiness', requestId: scan.id }],
    );
    const hops = await drive(w, { stepMs: 500 });
    const done = await stored(w, scan.id);
    assert.equal(done.state, 'done');
    // 159 entries and 2 repeats of Sales (5 children, 2 per entry), 2 a page: 81 pages, 20 a hop.
    assert.equal(done.pagesRead, 81);
    assert.equal(hops, Math.ceil(81 / HOP_PAGES));
    assert.deepEqual(w.inventory.reads.slice(0, 2), [null, 'page-2']);
    assert.equal(new Set(w.inventory.reads).size, 81, 'no page read twice');
    assert.equal(done.groups.find((g) => g.id === G.sales)?.childGroupIds.length, 5);
    const result = done.result!;
    assert.equal(result.groupsRead, 159);
    assert.equal(result.rows.length, 158, 'the Microsoft 365 group is not in scope');
    assert.equal(
      Object.values(result.counts).reduce((a, b) => a + b, 0),
      158,
    );
    assert.equal(result.rows.find((r) => r.id === id(9003))?.class, 'cloud');
    assert.equal(result.rows.find((r) => r.id === G.dach)?.wave, 1);
    assert.equal(result.rows.find((r) => r.id === G.sales)?.wave, 3);
    assert.equal(done.cursor, null);
    assert.deepEqual(w.queue.waiting(), []);
  });

  it('updates the card with the progress at most every 2 s, and ends with the summary', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    assert.equal(w.notifier.cards.length, 0, 'the bot posted the first card itself');
    await drive(w, { stepMs: CARD_EVERY_MS / 2 });
    const cards = w.notifier.cards.filter((c) => c.anchor.cardActivityId === 'card-scan').map((c) => cardText(c.card));
    // Five hops half the interval apart: hops 1, 3 update the progress, the last (5) shows the report.
    assert.equal(cards.length, 3);
    assert.match(cards[0]!, /Reading groups/);
    assert.match(cards[1]!, /Reading groups/);
    assert.match(cards[2]!, /Readiness report/);
    assert.equal((await stored(w, scan.id)).state, 'done');
  });

  it('a scan that finishes before its card is attached shows the report once the card is known', async () => {
    const w = scanWorld();
    const r = await w.service.startScan(people.megan, anchor);
    assert.equal(r.outcome, 'started');
    await drive(w);
    assert.equal(w.notifier.cards.length, 0, 'no card to update yet');
    assert.equal(w.notifier.posts.length, 0, 'and no second card posted');
    await w.service.attachScanCard(r.outcome === 'started' ? r.scan.id : '', 'card-late');
    assert.equal(w.notifier.cards.length, 1);
    assert.equal(w.notifier.cards[0]!.anchor.cardActivityId, 'card-late');
    assert.match(cardText(w.notifier.cards[0]!.card), /Readiness report/);
  });

  it('one scan at a time: a second ask gets the running scan; once it is done a new one starts', async () => {
    const w = scanWorld();
    const first = await started(w);
    const again = await w.service.startScan(people.adele, anchor);
    assert.equal(again.outcome, 'running');
    assert.equal(again.outcome === 'running' && again.scan.id, first.id);
    assert.equal((await w.scans.recent(10)).length, 1);
    await drive(w);
    const next = await w.service.startScan(people.adele, anchor);
    assert.equal(next.outcome, 'started');
  });

  it('a scan whose job was lost is queued again when someone asks, once it has not moved for long', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    await drive(w, { hops: 1 });
    w.queue.clear();
    // 5 minutes, or three visibility windows of a job when that is longer (6 minutes here).
    const stall = Math.max(STALLED_MS, 3 * w.settings.worker.visibilityMs);
    w.clock.advance(stall - 1);
    assert.equal((await w.service.startScan(people.adele, anchor)).outcome, 'running');
    assert.deepEqual(w.queue.waiting(), [], 'still fresh: its job is somewhere');
    w.clock.advance(1);
    assert.equal((await w.service.startScan(people.adele, anchor)).outcome, 'running');
    assert.deepEqual(
      w.queue.waiting().map((m) => m.job),
      [{ kind: 'readiness', requestId: scan.id }],
    );
    await drive(w);
    assert.equal((await stored(w, scan.id)).state, 'done');
  });

  it('approvers only: anyone else is told why, and nothing is stored or queued', async () => {
    const w = scanWorld();
    const r = await w.service.startScan(people.alex, anchor);
    assert.equal(r.outcome, 'notApprover');
    assert.deepEqual(await w.scans.recent(10), []);
    assert.deepEqual(w.queue.waiting(), []);
    assert.deepEqual(w.inventory.reads, []);
  });

  it('a slice matching no group is said at once; one that matches reads the tenant and keeps its rows', async () => {
    const w = scanWorld();
    const none = await w.service.startScan(people.megan, anchor, 'HR-');
    assert.deepEqual(none, { outcome: 'noMatch', prefix: 'HR-' });
    assert.deepEqual(await w.scans.recent(10), []);
    const scan = await started(w, 'sales-');
    await drive(w);
    const done = await stored(w, scan.id);
    assert.deepEqual(done.result?.rows.map((r) => r.displayName).sort(), [
      'Sales-APAC',
      'Sales-Cloud',
      'Sales-DACH',
      'Sales-EU',
      'Sales-LATAM',
      'Sales-US',
    ]);
    // Nesting is read across the tenant: Sales-EU's parent Sales is outside the slice but counted.
    assert.equal(done.result?.rows.find((r) => r.id === G.eu)?.adParents, 1);
  });

  it('an open request in the bot blocks its group, with the request id', async () => {
    const w = scanWorld();
    const req = await requested(w, G.payroll);
    w.queue.clear();
    const scan = await started(w);
    await drive(w);
    const row = (await stored(w, scan.id)).result?.rows.find((r) => r.id === G.payroll);
    assert.equal(row?.class, 'blocked');
    assert.ok(row?.reasons.includes('openRequest'));
    assert.equal(row?.openRequestId, req.id);
  });

  it('cancel (approvers only) stops the scan at its next hop; its pages are dropped and the card says so', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    await drive(w, { hops: 1 });
    const refused = await w.service.cancelScan(scan.id, people.alex);
    assert.equal(refused.outcome, 'notApprover');
    // Cancelled while the next hop reads its pages.
    w.inventory.beforePage = async () => {
      w.inventory.beforePage = null;
      const c = await w.service.cancelScan(scan.id, people.adele);
      assert.equal(c.outcome, 'cancelled');
    };
    await drive(w);
    const after = await stored(w, scan.id);
    assert.equal(after.state, 'cancelled');
    assert.equal(after.cancelledBy?.id, people.adele.id);
    assert.equal(after.pagesRead, HOP_PAGES, 'the hop that was cancelled stored nothing');
    assert.deepEqual(w.queue.waiting(), [], 'and did not queue itself again');
    assert.match(cardText(w.notifier.cards.at(-1)!.card), /cancel/i);
    const late = await w.service.cancelScan(scan.id, people.megan);
    assert.equal(late.outcome, 'notRunning');
    assert.equal((await w.service.cancelScan('S-ZZZZZZ', people.megan)).outcome, 'notFound');
  });

  it('a hop whose worker died is handed out again and resumes from the stored cursor', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    await drive(w, { hops: 1 });
    const cursor = (await stored(w, scan.id)).cursor;
    // The next hop is taken and its process dies: the message reappears after its visibility.
    const lost = await w.queue.receive(60_000);
    assert.ok(lost);
    w.clock.advance(60_001);
    const again = await w.queue.receive(60_000);
    assert.equal(again?.dequeueCount, 2);
    const readsBefore = w.inventory.reads.length;
    await settle(w, again);
    assert.equal(w.inventory.reads[readsBefore], cursor, 'went on from the stored cursor');
    const resumed = await stored(w, scan.id);
    assert.equal(resumed.resumes, 1);
    assert.match(cardText(w.notifier.cards.at(-1)!.card), /resum/i);
    await drive(w);
    assert.equal((await stored(w, scan.id)).state, 'done');
    assert.equal(new Set(w.inventory.reads).size, 81, 'every page read, none lost');
  });

  it('a page that fails is read again on the next delivery; a hop that keeps failing fails the scan', async () => {
    const w = scanWorld(tenant(10), 2);
    const scan = await started(w);
    w.inventory.failPages = 1;
    const first = await w.queue.receive(60_000);
    await assert.rejects(w.service.readScan(scan.id, first!.dequeueCount));
    w.clock.advance(60_001);
    await drive(w);
    assert.equal((await stored(w, scan.id)).state, 'done');

    const v = scanWorld(tenant(10), 2);
    const doomed = await started(v);
    v.inventory.failPages = 100;
    for (let n = 1; n < MAX_HOP_TRIES; n++) {
      const r = await v.queue.receive(60_000);
      await assert.rejects(v.service.readScan(doomed.id, r!.dequeueCount));
      v.clock.advance(60_001);
    }
    assert.equal((await stored(v, doomed.id)).state, 'reading');
    await drive(v);
    const failed = await stored(v, doomed.id);
    assert.equal(failed.state, 'failed');
    assert.ok(failed.error && !/Service unavailable/.test(failed.error), 'in the words of the bot');
    assert.match(cardText(v.notifier.cards.at(-1)!.card), /failed/);
    assert.deepEqual(v.queue.waiting(), []);
  });

  it('a page token Graph no longer knows: the scan reads again from the first page, twice at most', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    await drive(w, { hops: 1 });
    const before = (await stored(w, scan.id)).pagesRead;
    assert.ok(before > 0 && (await stored(w, scan.id)).state === 'reading');
    w.inventory.expireCursors = 1;
    await drive(w);
    const done = await stored(w, scan.id);
    assert.equal(done.state, 'done');
    assert.equal(done.restarts, 1);
    // Read from the start again, and nothing counted twice.
    assert.equal(w.inventory.reads.filter((c) => c === null).length, 2);
    const whole = scanWorld(tenant(150), 2);
    const plain = await started(whole);
    await drive(whole);
    const [mine, theirs] = [done.result!, (await stored(whole, plain.id)).result!];
    assert.deepEqual(mine.counts, theirs.counts);

    const v = scanWorld(tenant(150), 2);
    const doomed = await started(v);
    await drive(v, { hops: 1 });
    v.inventory.expireCursors = 100;
    // Two restarts, then the expired token is a failure like any other: retried, then final.
    for (let r = await v.queue.receive(60_000); r; r = await v.queue.receive(60_000))
      await settle(v, r).catch(() => v.clock.advance(60_001));
    const failed = await stored(v, doomed.id);
    assert.equal(failed.state, 'failed');
    assert.equal(failed.restarts, MAX_RESTARTS);
    assert.match(failed.error!, /page token expired\b.*Nothing was changed; type "readiness" to start a new scan/);
  });

  it('on start, a scan still reading goes on (its card says it resumed); finished ones are left', async () => {
    const w = scanWorld(tenant(150), 2);
    const scan = await started(w);
    await drive(w, { hops: 1 });
    w.queue.clear();
    assert.equal(await w.service.resumeScans(), 1);
    assert.deepEqual(
      w.queue.waiting().map((m) => m.job),
      [{ kind: 'readiness', requestId: scan.id }],
    );
    assert.equal((await stored(w, scan.id)).resumes, 1);
    await drive(w);
    assert.equal((await stored(w, scan.id)).state, 'done');
    assert.equal(await w.service.resumeScans(), 0);
    assert.deepEqual(w.queue.waiting(), []);
  });
});
