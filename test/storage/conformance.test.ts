/** One conformance suite, run against every request store. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '../../src/domain/errors';
import { transition, type SoaRequest } from '../../src/domain/request';
import { BlobRequestStore } from '../../src/infra/storage/blob-store';
import { SqliteRequestStore } from '../../src/infra/storage/sqlite-store';
import type { RequestStore } from '../../src/ports/store';
import { startAzurite, type Azurite } from '../support/azurite';
import { InMemoryRequestStore } from '../support/memory-store';

function request(over: Partial<SoaRequest> = {}): SoaRequest {
  const now = new Date().toISOString();
  return {
    id: `R-${randomUUID().slice(0, 6).toUpperCase()}`,
    version: 1,
    action: 'move',
    groupId: 'a1000000-0000-4000-8000-000000000001',
    groupName: 'SecGroup1',
    state: 'awaiting_approval',
    requester: { id: 'u-alex', name: 'Alex' },
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
    facts: {} as SoaRequest['facts'],
    checks: [],
    anchor: { reference: {}, conversationType: 'personal' },
    history: [{ at: now, state: 'awaiting_approval' }],
    ...over,
  };
}

interface Backend {
  name: string;
  open(): Promise<{ stores: () => RequestStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    // The fake the use-case tests run on: one object, so every "client" is the same store.
    name: "in memory (the use-case tests' fake)",
    open: async () => {
      const store = new InMemoryRequestStore();
      return { stores: () => store, cleanup: async () => {} };
    },
  },
  {
    name: 'SQLite (WAL, file)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'soa-store-'));
      const file = join(dir, 'requests.sqlite');
      const opened: RequestStore[] = [];
      return {
        // Each call is a separate connection to the same file, as separate processes would have.
        stores: () => {
          const s = new SqliteRequestStore(file);
          opened.push(s);
          return s;
        },
        cleanup: async () => {
          for (const s of opened) await s.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'Azure Blob Storage (Azurite)',
    open: async () => {
      const az: Azurite = await startAzurite();
      const container = `requests${randomUUID().slice(0, 8)}`;
      return { stores: () => new BlobRequestStore(az.connectionString, container), cleanup: () => az.stop() };
    },
  },
];

for (const backend of backends) {
  describe(`request store conformance: ${backend.name}`, function () {
    this.timeout(60_000);
    let env: Awaited<ReturnType<Backend['open']>>;
    let store: RequestStore;
    before(async () => {
      env = await backend.open();
      store = env.stores();
    });
    after(async () => {
      await env?.cleanup();
    });

    it('conditional create: a second create of the same id is refused', async () => {
      const r = request();
      await store.create(r);
      await assert.rejects(store.create(r), (e) => isCoded(e, 'StaleVersion'));
      assert.deepEqual(await store.get(r.id), r);
      assert.equal(await store.get('R-NOPE00'), null);
    });

    it('conditional update: the next version is written, a stale version is rejected', async () => {
      const r = request();
      await store.create(r);
      const approved = transition(r, 'approved', new Date(), { approver: { id: 'u-megan', name: 'Megan' } });
      await store.update(approved);
      assert.equal((await store.get(r.id))!.state, 'approved');
      const stale = transition(r, 'rejected', new Date(), { reason: 'late' });
      await assert.rejects(store.update(stale), (e) => isCoded(e, 'StaleVersion'));
      await assert.rejects(store.update(approved), (e) => isCoded(e, 'StaleVersion'), 'the same version twice');
      assert.equal((await store.get(r.id))!.state, 'approved');
    });

    it('concurrent updates from many clients: exactly one wins', async () => {
      const r = request();
      await store.create(r);
      const clients = Array.from({ length: 12 }, () => env.stores());
      const results = await Promise.allSettled(
        clients.map((c, i) =>
          c.update(transition(r, i % 2 ? 'approved' : 'rejected', new Date(), { reason: `client ${i}` })),
        ),
      );
      assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
      for (const x of results)
        if (x.status === 'rejected') assert.ok(isCoded(x.reason, 'StaleVersion'), String(x.reason));
      assert.equal((await store.get(r.id))!.version, 2);
    });

    it('lists by state, requester and group, newest first, with a limit', async () => {
      const group = `a1000000-0000-4000-8000-${randomUUID().slice(0, 12)}`;
      const a = request({
        groupId: group,
        requester: { id: 'u-lee', name: 'Lee' },
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      const b = request({ groupId: group, createdAt: '2026-01-02T00:00:00.000Z' });
      const c = request({ groupId: group, state: 'completed', createdAt: '2026-01-03T00:00:00.000Z' });
      for (const x of [a, b, c]) await store.create(x);
      assert.deepEqual(
        (await store.list({ groupId: group })).map((x) => x.id),
        [c.id, b.id, a.id],
      );
      assert.deepEqual(
        (await store.list({ groupId: group, states: ['awaiting_approval'] })).map((x) => x.id),
        [b.id, a.id],
      );
      assert.deepEqual(
        (await store.list({ groupId: group, requesterId: 'u-lee' })).map((x) => x.id),
        [a.id],
      );
      assert.deepEqual(
        (await store.list({ groupId: group, limit: 1 })).map((x) => x.id),
        [c.id],
      );
    });

    it('bounded growth: finished requests past retention are archived, still readable, no longer listed', async () => {
      const group = `a1000000-0000-4000-8000-${randomUUID().slice(0, 12)}`;
      const old = request({ groupId: group, state: 'completed', updatedAt: '2025-01-01T00:00:00.000Z' });
      const openOld = request({ groupId: group, state: 'awaiting_approval', updatedAt: '2025-01-01T00:00:00.000Z' });
      const recent = request({ groupId: group, state: 'completed' });
      for (const x of [old, openOld, recent]) await store.create(x);
      const moved = await store.archive('2025-06-01T00:00:00.000Z');
      assert.ok(moved >= 1);
      assert.deepEqual((await store.list({ groupId: group })).map((x) => x.id).sort(), [openOld.id, recent.id].sort());
      assert.equal((await store.get(old.id))!.state, 'completed');
    });

    it('lists by creation range [from, to), newest or oldest first', async () => {
      // 2019: no other case creates requests then, so the range alone selects these.
      const at = (iso: string) => request({ createdAt: iso, updatedAt: iso });
      const early = at('2019-04-30T23:59:59.999Z');
      const first = at('2019-05-01T00:00:00.000Z');
      const mid = at('2019-05-15T12:00:00.000Z');
      const last = at('2019-05-31T23:59:59.999Z');
      const end = at('2019-06-01T00:00:00.000Z');
      for (const x of [mid, end, early, last, first]) await store.create(x);
      const range = { createdFrom: '2019-05-01T00:00:00.000Z', createdTo: '2019-06-01T00:00:00.000Z' };
      assert.deepEqual(
        (await store.list(range)).map((x) => x.id),
        [last.id, mid.id, first.id],
      );
      assert.deepEqual(
        (await store.list({ ...range, order: 'newest' })).map((x) => x.id),
        [last.id, mid.id, first.id],
      );
      assert.deepEqual(
        (await store.list({ ...range, order: 'oldest' })).map((x) => x.id),
        [first.id, mid.id, last.id],
      );
      assert.deepEqual(
        (await store.list({ ...range, order: 'oldest', limit: 2 })).map((x) => x.id),
        [first.id, mid.id],
      );
      assert.deepEqual(
        (await store.list({ createdTo: range.createdFrom, order: 'oldest' })).map((x) => x.id),
        [early.id],
        'open start',
      );
      assert.deepEqual(
        (
          await store.list({
            createdFrom: '2019-05-31T00:00:00.000Z',
            createdTo: '2019-12-31T00:00:00.000Z',
            order: 'oldest',
          })
        ).map((x) => x.id),
        [last.id, end.id],
      );
      assert.deepEqual(await store.list({ ...range, requesterId: 'u-nobody' }), [], 'combined with the other filters');
    });

    it('archived requests are listed only when asked for, once each, ordered with the working set', async () => {
      const group = `a1000000-0000-4000-8000-${randomUUID().slice(0, 12)}`;
      const made = (createdAt: string, updatedAt: string, over: Partial<SoaRequest>) =>
        request({ groupId: group, createdAt, updatedAt, ...over });
      const old1 = made('2018-01-01T00:00:00.000Z', '2018-01-02T00:00:00.000Z', { state: 'completed' });
      const live = made('2018-01-02T00:00:00.000Z', '2018-01-02T00:00:00.000Z', {
        state: 'awaiting_approval',
        requester: { id: 'u-lee', name: 'Lee' },
      });
      const old2 = made('2018-01-03T00:00:00.000Z', '2018-01-04T00:00:00.000Z', {
        state: 'rejected',
        requester: { id: 'u-lee', name: 'Lee' },
      });
      const fresh = made('2018-01-05T00:00:00.000Z', new Date().toISOString(), { state: 'completed' });
      for (const x of [fresh, old2, live, old1]) await store.create(x);
      assert.ok((await store.archive('2018-06-01T00:00:00.000Z')) >= 2);
      const ids = async (q: Parameters<RequestStore['list']>[0]) =>
        (await store.list({ groupId: group, ...q })).map((x) => x.id);
      assert.deepEqual(await ids({}), [fresh.id, live.id], 'not listed by default');
      assert.deepEqual(await ids({ includeArchived: false, order: 'oldest' }), [live.id, fresh.id]);
      assert.deepEqual(await ids({ includeArchived: true }), [fresh.id, old2.id, live.id, old1.id]);
      assert.deepEqual(await ids({ includeArchived: true, order: 'oldest' }), [old1.id, live.id, old2.id, fresh.id]);
      assert.deepEqual(await ids({ includeArchived: true, order: 'oldest', limit: 3 }), [old1.id, live.id, old2.id]);
      assert.deepEqual(
        await ids({
          includeArchived: true,
          createdFrom: '2018-01-02T00:00:00.000Z',
          createdTo: '2018-01-05T00:00:00.000Z',
          order: 'oldest',
        }),
        [live.id, old2.id],
      );
      assert.deepEqual(await ids({ includeArchived: true, states: ['completed', 'rejected'], order: 'oldest' }), [
        old1.id,
        old2.id,
        fresh.id,
      ]);
      assert.deepEqual(await ids({ includeArchived: true, requesterId: 'u-lee', order: 'oldest' }), [live.id, old2.id]);
      const archived = (await store.list({ groupId: group, includeArchived: true, states: ['rejected'] }))[0]!;
      assert.deepEqual(archived, old2, 'the whole document comes back');
      // Without a group filter too (2018 holds only these).
      assert.deepEqual(
        (
          await store.list({
            includeArchived: true,
            createdFrom: '2018-01-01T00:00:00.000Z',
            createdTo: '2018-01-04T00:00:00.000Z',
            order: 'oldest',
          })
        ).map((x) => x.id),
        [old1.id, live.id, old2.id],
      );
    });

    it('a Bot Framework activity id is accepted once (redelivery detection)', async () => {
      const id = `act-${randomUUID()}`;
      const other = env.stores();
      const firsts = await Promise.all([store.firstDelivery(id), other.firstDelivery(id), store.firstDelivery(id)]);
      assert.equal(firsts.filter(Boolean).length, 1);
    });
  });
}
