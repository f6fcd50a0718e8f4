/**
 * Readiness scans as JSON blobs beside the requests (`scans/<id>.json`). Every write is
 * conditional (If-None-Match: * to create, If-Match: the ETag read to update) and the version
 * inside the document is checked too. The time a scan was asked is kept in blob metadata, so
 * the newest scans are found by listing, and only those are downloaded.
 */
import { BlobContainer, storageStatus as status } from './blob-container';
import { CodedError } from '../../domain/errors';
import type { Scan, ScanStore } from '../../ports/scans';

const PREFIX = 'scans/';

export class BlobScanStore implements ScanStore {
  private readonly blobs: BlobContainer;

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobContainer(connectionString, containerName);
  }

  private blob(id: string) {
    return this.blobs.client.getBlockBlobClient(`${PREFIX}${encodeURIComponent(id)}.json`);
  }

  async create(scan: Scan): Promise<void> {
    await this.blobs.ready();
    try {
      await this.write(scan, { ifNoneMatch: '*' });
    } catch (e) {
      if (status(e) === 409 || status(e) === 412)
        throw new CodedError('StaleVersion', `Scan ${scan.id} already exists.`);
      throw e;
    }
  }

  async get(id: string): Promise<Scan | null> {
    await this.blobs.ready();
    return (await this.read(id))?.scan ?? null;
  }

  async update(next: Scan): Promise<void> {
    await this.blobs.ready();
    const stale = () =>
      new CodedError('StaleVersion', `Scan ${next.id} was changed by someone else in the meantime.`, {
        id: next.id,
        expected: next.version - 1,
      });
    const current = await this.read(next.id);
    if (!current || current.scan.version !== next.version - 1) throw stale();
    try {
      await this.write(next, { ifMatch: current.etag });
    } catch (e) {
      if (status(e) === 412 || status(e) === 409) throw stale();
      throw e;
    }
  }

  async recent(limit: number): Promise<Scan[]> {
    await this.blobs.ready();
    const found: Array<{ id: string; at: string }> = [];
    for await (const b of this.blobs.client.listBlobsFlat({ prefix: PREFIX, includeMetadata: true })) {
      const id = decodeURIComponent(b.name.slice(PREFIX.length, -'.json'.length));
      found.push({ id, at: b.metadata?.requested ?? '' });
    }
    found.sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
    const scans = await Promise.all(found.slice(0, Math.max(0, limit)).map((f) => this.get(f.id)));
    return scans.filter((s): s is Scan => s !== null);
  }

  async close(): Promise<void> {}

  private async write(scan: Scan, conditions: { ifNoneMatch?: string; ifMatch?: string }): Promise<void> {
    const body = JSON.stringify(scan);
    await this.blob(scan.id).upload(body, Buffer.byteLength(body), {
      conditions,
      metadata: { requested: scan.requestedAt, state: scan.state },
      blobHTTPHeaders: { blobContentType: 'application/json' },
    });
  }

  /** Document and ETag from one response, so the ETag belongs to the bytes read. */
  private async read(id: string): Promise<{ scan: Scan; etag: string } | null> {
    try {
      const res = await this.blob(id).download();
      const chunks: Buffer[] = [];
      for await (const c of res.readableStreamBody!) chunks.push(c as Buffer);
      return { scan: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Scan, etag: res.etag! };
    } catch (e) {
      if (status(e) === 404) return null;
      throw e;
    }
  }
}
