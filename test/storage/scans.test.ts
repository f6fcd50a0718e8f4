/** One suite for every scan store: create once, versioned updates, the newest first, big documents. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCoded } from '../../src/domain/errors';
import { BlobScanStore } from '../../src/infra/storage/blob-scans';
import { SqliteScanStore } from '../../src/infra/storage/sqlite-scans';
import type { Scan, ScanStore } from '../../src/ports/scans';
import { startAzurite } from '../support/azurite';
import { InMemoryScanStore } from '../support/memory-scans';

interface Backend {
  name: string;
  /** `stores()` opens another client of the same storage, as another instance would. */
  open(): Promise<{ stores: () => ScanStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "in memory (the use-case tests' fake)",
    open: async () => {
      const store = new InMemoryScanStore();
      return { stores: () => store, cleanup: async () => {} };
    },
  },
  {
    name: 'SQLite (WAL, file)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'soa-scans-'));
      const opened: ScanStore[] = [];
      return {
        stores: () => {
          const s = new SqliteScanStore(join(dir, 'requests.sqlite'));
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
      const az = await startAzurite();
      const container = `scans${randomUUID().slice(0, 8)}`;
      return { stores: () => new BlobScanStore(az.connectionString, container), cleanup: () => az.stop() };
    },
  },
];

const scan = (id: string, requestedAt: string): Scan => ({
  id,
  version: 1,
  state: 'reading',
  requestedBy: { id: 'u-megan', name: 'Megan Bowen' },
  requestedAt,
  anchor: { reference: { conversation: { id: '19:x@thread.tacv2' } }, conversationType: 'channel' },
  total: null,
  groups: [],
  cloudManagedIds: [],
  tenantSyncEnabled: null,
  cursor: null,
  pagesRead: 0,
});

const stale = (e: unknown) => isCoded(e, 'StaleVersion');

for (const backend of backends) {
  describe(`scan store: ${backend.name}`, function () {
    this.timeout(60_000);
    let env: Awaited<ReturnType<Backend['open']>>;
    before(async () => {
      env = await backend.open();
    });
    after(async () => {
      await env.cleanup();
    });

    it('creates a scan once; a second create with the same id is refused', async () => {
      const s = env.stores();
      const id = `S-${randomUUID().slice(0, 6)}`;
      assert.equal(await s.get(id), null);
      await s.create(scan(id, '2026-12-01T10:00:00.000Z'));
      assert.deepEqual(await s.get(id), scan(id, '2026-12-01T10:00:00.000Z'));
      await assert.rejects(s.create(scan(id, '2026-12-01T11:00:00.000Z')), stale);
      assert.equal((await s.get(id))?.requestedAt, '2026-12-01T10:00:00.000Z');
    });

    it('an update writes only over the version it read; a skipped or repeated version is refused', async () => {
      const s = env.stores();
      const id = `S-${randomUUID().slice(0, 6)}`;
      await s.create(scan(id, '2026-12-01T10:00:00.000Z'));
      const read = (await s.get(id))!;
      await s.update({ ...read, version: 2, cursor: 'page-2', pagesRead: 1 });
      await assert.rejects(s.update({ ...read, version: 2, cursor: 'lost' }), stale, 'written from an old read');
      await assert.rejects(s.update({ ...read, version: 4 }), stale);
      await assert.rejects(s.update({ ...read, id: `S-${randomUUID().slice(0, 6)}`, version: 2 }), stale, 'no scan');
      const now = (await s.get(id))!;
      assert.deepEqual([now.version, now.cursor, now.pagesRead], [2, 'page-2', 1]);
    });

    it('two instances updating one scan at once: exactly one write lands', async () => {
      const [a, b] = [env.stores(), env.stores()];
      const id = `S-${randomUUID().slice(0, 6)}`;
      await a.create(scan(id, '2026-12-01T10:00:00.000Z'));
      const read = (await b.get(id))!;
      const results = await Promise.allSettled([
        a.update({ ...read, version: 2, state: 'cancelled' }),
        b.update({ ...read, version: 2, state: 'done' }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const lost = results.find((r) => r.status === 'rejected');
      assert.ok(lost && stale(lost.reason));
      assert.equal((await a.get(id))?.version, 2);
    });

    it('recent: the newest scans first, at most the limit', async () => {
      const fresh = await backend.open();
      try {
        const s = fresh.stores();
        for (const [id, at] of [
          ['S-AAAAA1', '2026-12-01T09:00:00.000Z'],
          ['S-AAAAA3', '2026-12-01T11:00:00.000Z'],
          ['S-AAAAA2', '2026-12-01T10:00:00.000Z'],
        ] as const)
          await s.create(scan(id, at));
        assert.deepEqual(
          (await s.recent(2)).map((x) => x.id),
          ['S-AAAAA3', 'S-AAAAA2'],
        );
        assert.equal((await s.recent(10)).length, 3);
      } finally {
        await fresh.cleanup();
      }
    });

    it('keeps a scan of 10,000 groups whole', async () => {
      const s = env.stores();
      const id = `S-${randomUUID().slice(0, 6)}`;
      const groups = Array.from({ length: 10_000 }, (_, i) => ({
        id: randomUUID(),
        displayName: `FIN-Group-${i}`,
        kind: 'security' as const,
        onPremisesSyncEnabled: true,
        fromAd: true,
        extensionAttributes: i % 7 ? [] : ['extensionAttribute3'],
        provisioningErrors: 0,
        childGroupIds: i ? [String(i - 1)] : [],
      }));
      await s.create({ ...scan(id, '2026-12-01T10:00:00.000Z'), groups });
      const got = (await s.get(id))!;
      assert.equal(got.groups.length, 10_000);
      assert.deepEqual(got.groups[9_999], groups[9_999]);
    });
  });
}
