/** One conformance suite for the work queues: in memory, SQLite on disk and Azure Storage Queues (Azurite). */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteWorkQueue } from '../../src/infra/queue/sqlite-queue';
import { StorageWorkQueue } from '../../src/infra/queue/storage-queue';
import type { WorkQueue } from '../../src/ports/queue';
import { systemClock } from '../../src/ports/clock';
import { startAzurite, type Azurite } from '../support/azurite';
import { InMemoryWorkQueue } from '../support/memory-queue';

const backends: Array<{ name: string; open(): Promise<{ queue: WorkQueue; cleanup(): Promise<void> }> }> = [
  {
    // The fake the use-case tests run on, here on the real clock.
    name: "in memory (the use-case tests' fake)",
    open: async () => ({ queue: new InMemoryWorkQueue(systemClock), cleanup: async () => {} }),
  },
  {
    name: 'SQLite (file)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'soa-queue-'));
      const queue = new SqliteWorkQueue(join(dir, 'q.sqlite'));
      return {
        queue,
        cleanup: async () => {
          await queue.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'Azure Storage Queues (Azurite)',
    open: async () => {
      const az: Azurite = await startAzurite();
      return {
        queue: new StorageWorkQueue(az.connectionString, `jobs${randomUUID().slice(0, 8)}`),
        cleanup: () => az.stop(),
      };
    },
  },
];

/** Waits until the queue hands out a message (visibility is whole seconds in Azure Storage). */
async function receiveWithin(q: WorkQueue, ms: number, visibilityMs: number) {
  const until = Date.now() + ms;
  for (;;) {
    const r = await q.receive(visibilityMs);
    if (r || Date.now() > until) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
}

for (const backend of backends) {
  describe(`work queue conformance: ${backend.name}`, function () {
    this.timeout(30_000);
    let q: WorkQueue;
    let cleanup: () => Promise<void>;
    before(async () => ({ queue: q, cleanup } = await backend.open()));
    after(async () => cleanup());

    it('a received message is hidden; not completed, it comes back with its delivery counted', async () => {
      await q.enqueue({ kind: 'execute', requestId: 'R-AAAAAA' });
      const first = await receiveWithin(q, 2000, 1000);
      assert.deepEqual(first?.job, { kind: 'execute', requestId: 'R-AAAAAA' });
      assert.equal(first!.dequeueCount, 1);
      assert.equal(await q.receive(1000), null, 'hidden while in hand');
      const again = await receiveWithin(q, 5000, 1000);
      assert.equal(again?.job.requestId, 'R-AAAAAA');
      assert.equal(again!.dequeueCount, 2);
      // The first receipt is stale now: completing with it deletes nothing.
      await q.complete(first!);
      await q.complete(again!);
      assert.equal(await receiveWithin(q, 2500, 1000), null, 'gone once completed with the current receipt');
    });

    it('a delayed message is not handed out before its time', async () => {
      await q.enqueue({ kind: 'audit', requestId: 'R-BBBBBB', attempt: 3 }, 1500);
      assert.equal(await q.receive(1000), null);
      const r = await receiveWithin(q, 5000, 1000);
      assert.deepEqual(r?.job, { kind: 'audit', requestId: 'R-BBBBBB', attempt: 3 });
      await q.complete(r!);
    });

    it('extending a message in hand keeps it hidden past its first window; completing then removes it', async () => {
      await q.enqueue({ kind: 'execute', requestId: 'R-CCCCCC' });
      const r = (await receiveWithin(q, 2000, 1000))!;
      assert.equal(await q.extend(r, 3000), true);
      await new Promise((res) => setTimeout(res, 1600));
      assert.equal(await q.receive(1000), null, 'still hidden: its worker is alive');
      await q.complete(r);
      assert.equal(await receiveWithin(q, 4000, 1000), null);
    });
  });
}
