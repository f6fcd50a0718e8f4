/**
 * Board locations as small JSON blobs beside the requests (`boards/<key>.json`). The refresh
 * numbers change by conditional writes (If-Match: the ETag read), tried again on a conflict.
 */
import { BlobContainer, storageStatus as status } from './blob-container';
import type { Board, BoardStore } from '../../ports/boards';

/** Conflicting writers on one board are few (instances refreshing it at once): a few rounds settle them. */
const MAX_ROUNDS = 20;

export class BlobBoardStore implements BoardStore {
  private readonly blobs: BlobContainer;

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobContainer(connectionString, containerName);
  }

  private blob(key: string) {
    return this.blobs.client.getBlockBlobClient(`boards/${encodeURIComponent(key)}.json`);
  }

  async get(key: string): Promise<Board | null> {
    return (await this.read(key))?.board ?? null;
  }

  async put(board: Board): Promise<void> {
    await this.write(board);
  }

  async startRender(key: string): Promise<{ board: Board; render: number } | null> {
    return this.change(key, (board) => {
      const render = (board.renders ?? 0) + 1;
      const next = { ...board, renders: render };
      return { write: next, answer: { board: next, render } };
    });
  }

  async rendered(key: string, cardActivityId: string, render: number): Promise<number | null> {
    return this.change(key, (board) => {
      if (board.anchor.cardActivityId !== cardActivityId) return { write: null, answer: null };
      const before = board.shown ?? 0;
      return { write: render > before ? { ...board, shown: render } : null, answer: before };
    });
  }

  async close(): Promise<void> {}

  /** Reads the board, decides, and writes only if nobody wrote in between; null when there is no board. */
  private async change<T>(
    key: string,
    decide: (board: Board) => { write: Board | null; answer: T },
  ): Promise<T | null> {
    for (let round = 1; ; round++) {
      const current = await this.read(key);
      if (!current) return null;
      const { write, answer } = decide(current.board);
      if (!write) return answer;
      try {
        await this.write(write, current.etag);
        return answer;
      } catch (e) {
        if (status(e) !== 412 || round >= MAX_ROUNDS) throw e;
      }
    }
  }

  /** Document and ETag from one response, so the ETag belongs to the bytes read. */
  private async read(key: string): Promise<{ board: Board; etag: string } | null> {
    await this.blobs.ready();
    try {
      const res = await this.blob(key).download();
      const chunks: Buffer[] = [];
      for await (const c of res.readableStreamBody!) chunks.push(c as Buffer);
      return { board: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Board, etag: res.etag! };
    } catch (e) {
      if (status(e) === 404) return null;
      throw e;
    }
  }

  private async write(board: Board, ifMatch?: string): Promise<void> {
    await this.blobs.ready();
    const body = JSON.stringify(board);
    await this.blob(board.key).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
      ...(ifMatch ? { conditions: { ifMatch } } : {}),
    });
  }
}
