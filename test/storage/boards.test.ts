/** One suite for every board store: where the board is, and its refresh numbers under concurrency. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobBoardStore } from '../../src/infra/storage/blob-boards';
import { SqliteBoardStore } from '../../src/infra/storage/sqlite-boards';
import type { Board, BoardStore } from '../../src/ports/boards';
import { startAzurite } from '../support/azurite';
import { InMemoryBoardStore } from '../support/memory-boards';

interface Backend {
  name: string;
  /** `stores()` opens another client of the same storage, as another instance would. */
  open(): Promise<{ stores: () => BoardStore; cleanup(): Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: "in memory (the use-case tests' fake)",
    open: async () => {
      const store = new InMemoryBoardStore();
      return { stores: () => store, cleanup: async () => {} };
    },
  },
  {
    name: 'SQLite (WAL, file)',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'soa-boards-'));
      const opened: BoardStore[] = [];
      return {
        stores: () => {
          const s = new SqliteBoardStore(join(dir, 'requests.sqlite'));
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
      const container = `boards${randomUUID().slice(0, 8)}`;
      return { stores: () => new BlobBoardStore(az.connectionString, container), cleanup: () => az.stop() };
    },
  },
];

const board = (key: string, cardActivityId: string): Board => ({
  key,
  anchor: { reference: { conversation: { id: key } }, conversationType: 'channel', cardActivityId },
  postedAt: new Date().toISOString(),
  postedBy: 'Adele Vance',
});

for (const backend of backends) {
  describe(`board store: ${backend.name}`, function () {
    this.timeout(60_000);
    let env: Awaited<ReturnType<Backend['open']>>;
    before(async () => {
      env = await backend.open();
    });
    after(async () => {
      await env.cleanup();
    });

    it('refresh numbers: none without a board, then 1, 2, …; a new board starts again', async () => {
      const s = env.stores();
      const key = `19:${randomUUID()}@thread.tacv2`;
      assert.equal(await s.startRender(key), null);
      assert.equal(await s.rendered(key, 'card-1', 1), null);
      await s.put(board(key, 'card-1'));
      const first = await s.startRender(key);
      assert.deepEqual([first?.render, first?.board.anchor.cardActivityId], [1, 'card-1']);
      assert.equal((await s.startRender(key))?.render, 2);
      await s.put(board(key, 'card-2'));
      assert.equal((await s.startRender(key))?.render, 1);
    });

    it('a sent refresh raises the shown number, answers the one before; a late lower one leaves it', async () => {
      const s = env.stores();
      const key = `19:${randomUUID()}@thread.tacv2`;
      await s.put(board(key, 'card-1'));
      assert.equal(await s.rendered(key, 'card-1', 2), 0);
      assert.equal(await s.rendered(key, 'card-1', 1), 2, 'a newer one was sent before this one landed');
      assert.equal(await s.rendered(key, 'card-1', 3), 2);
      assert.equal((await s.get(key))?.shown, 3);
      assert.equal(await s.rendered(key, 'card-0', 4), null, 'the board is another card now');
      assert.equal((await s.get(key))?.shown, 3);
    });

    it('instances refreshing one board at once each get a number of their own', async () => {
      const clients = [env.stores(), env.stores(), env.stores()];
      const key = `19:${randomUUID()}@thread.tacv2`;
      await clients[0]!.put(board(key, 'card-1'));
      const got = await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 3]!.startRender(key)));
      assert.deepEqual(
        got.map((g) => g?.render).sort((a, b) => a! - b!),
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      const shown = await Promise.all(got.map((g, i) => clients[i % 3]!.rendered(key, 'card-1', g!.render)));
      assert.ok(shown.every((n) => n !== null));
      assert.equal((await clients[1]!.get(key))?.shown, 12);
    });
  });
}
