/** Board locations as small JSON blobs beside the requests (`boards/<key>.json`). */
import { STORAGE_RETRY } from './retry';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { Board, BoardStore } from '../../ports/boards';

export class BlobBoardStore implements BoardStore {
  private readonly container: ContainerClient;
  private ready: Promise<unknown> | null = null;

  constructor(connectionString: string, containerName: string) {
    this.container = BlobServiceClient.fromConnectionString(connectionString, {
      retryOptions: STORAGE_RETRY,
    }).getContainerClient(containerName);
  }

  private blob(key: string) {
    return this.container.getBlockBlobClient(`boards/${encodeURIComponent(key)}.json`);
  }

  async get(key: string): Promise<Board | null> {
    this.ready ??= this.container.createIfNotExists();
    await this.ready;
    try {
      return JSON.parse((await this.blob(key).downloadToBuffer()).toString('utf8')) as Board;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return null;
      throw e;
    }
  }

  async put(board: Board): Promise<void> {
    this.ready ??= this.container.createIfNotExists();
    await this.ready;
    const body = JSON.stringify(board);
    await this.blob(board.key).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  async close(): Promise<void> {}
}
