/**
 * The scale-out request store: one JSON blob per request in Azure Blob Storage. Every write is
 * conditional (If-None-Match: * to create, If-Match: <ETag> to update), so instances sharing
 * the container never overwrite each other; the version inside the document is checked too.
 * State, requester and group are kept in blob metadata so listings need no downloads.
 */
import { BlobContainer, storageStatus as status } from './blob-container';
import { CodedError } from '../../domain/errors';
import { FINAL_STATES, type SoaRequest } from '../../domain/request';
import type { RequestQuery, RequestStore } from '../../ports/store';

const HOT = 'requests/';
const ARCHIVE = 'archive/';
const DELIVERIES = 'deliveries/';

function metadata(req: SoaRequest): Record<string, string> {
  return {
    state: req.state,
    requester: req.requester.id,
    groupid: req.groupId,
    created: req.createdAt,
    updated: req.updatedAt,
  };
}

function idOf(prefix: string, name: string): string {
  return decodeURIComponent(name.slice(prefix.length, -'.json'.length));
}

/** Filters on blob metadata, so listing needs no downloads. */
function matches(q: RequestQuery, m: Record<string, string>): boolean {
  if (q.states?.length && !q.states.includes(m.state as SoaRequest['state'])) return false;
  if (q.requesterId && m.requester !== q.requesterId) return false;
  if (q.groupId && m.groupid !== q.groupId) return false;
  if (q.createdFrom && !(m.created !== undefined && m.created >= q.createdFrom)) return false;
  if (q.createdTo && !(m.created !== undefined && m.created < q.createdTo)) return false;
  return true;
}

export class BlobRequestStore implements RequestStore {
  private readonly blobs: BlobContainer;

  constructor(connectionString: string, containerName: string) {
    this.blobs = new BlobContainer(connectionString, containerName);
  }

  private blob(prefix: string, id: string) {
    return this.blobs.client.getBlockBlobClient(`${prefix}${encodeURIComponent(id)}.json`);
  }

  async create(req: SoaRequest): Promise<void> {
    await this.blobs.ready();
    const body = JSON.stringify(req);
    try {
      await this.blob(HOT, req.id).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        metadata: metadata(req),
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (e) {
      if (status(e) === 409 || status(e) === 412)
        throw new CodedError('StaleVersion', `Request ${req.id} already exists.`);
      throw e;
    }
  }

  /** Reads document and ETag in one response, so the ETag belongs to the bytes read. */
  private async readBlob(prefix: string, id: string): Promise<{ doc: SoaRequest; etag: string } | null> {
    try {
      const res = await this.blob(prefix, id).download();
      const chunks: Buffer[] = [];
      for await (const c of res.readableStreamBody!) chunks.push(c as Buffer);
      return { doc: JSON.parse(Buffer.concat(chunks).toString('utf8')) as SoaRequest, etag: res.etag! };
    } catch (e) {
      if (status(e) === 404) return null;
      throw e;
    }
  }

  async get(id: string): Promise<SoaRequest | null> {
    await this.blobs.ready();
    return (await this.readBlob(HOT, id))?.doc ?? (await this.readBlob(ARCHIVE, id))?.doc ?? null;
  }

  async update(next: SoaRequest): Promise<void> {
    await this.blobs.ready();
    const current = await this.readBlob(HOT, next.id);
    const stale = () =>
      new CodedError('StaleVersion', `Request ${next.id} was changed by someone else in the meantime.`, {
        id: next.id,
        expected: next.version - 1,
      });
    if (!current || current.doc.version !== next.version - 1) throw stale();
    const body = JSON.stringify(next);
    try {
      await this.blob(HOT, next.id).upload(body, Buffer.byteLength(body), {
        conditions: { ifMatch: current.etag },
        metadata: metadata(next),
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (e) {
      if (status(e) === 412 || status(e) === 409) throw stale();
      throw e;
    }
  }

  async list(q: RequestQuery): Promise<SoaRequest[]> {
    await this.blobs.ready();
    const hits: Array<{ id: string; created: string; prefix: string }> = [];
    const seen = new Set<string>();
    // The working set is listed before the archive: archiving writes the archive copy before it
    // deletes the working one, so a request moved meanwhile is still met in the second listing.
    for (const prefix of q.includeArchived ? [HOT, ARCHIVE] : [HOT]) {
      for await (const b of this.blobs.client.listBlobsFlat({ prefix, includeMetadata: true })) {
        const id = idOf(prefix, b.name);
        // Met in both places (an archive copy whose working original changed since): the
        // working copy is the current one.
        if (seen.has(id)) continue;
        seen.add(id);
        const m = b.metadata ?? {};
        if (!matches(q, m)) continue;
        hits.push({ id, created: m.created ?? '', prefix });
      }
    }
    const newest = q.order !== 'oldest';
    hits.sort(
      (a, b) =>
        (newest ? b.created.localeCompare(a.created) : a.created.localeCompare(b.created)) || a.id.localeCompare(b.id),
    );
    const chosen = hits.slice(0, q.limit ?? 50);
    const docs = await Promise.all(
      chosen.map(async (h) => {
        const found = (await this.readBlob(h.prefix, h.id))?.doc;
        // Archived between listing and reading.
        if (!found && q.includeArchived && h.prefix === HOT) return (await this.readBlob(ARCHIVE, h.id))?.doc ?? null;
        return found ?? null;
      }),
    );
    return docs.filter((d): d is SoaRequest => d !== null);
  }

  async archive(before: string): Promise<number> {
    await this.blobs.ready();
    let moved = 0;
    for await (const b of this.blobs.client.listBlobsFlat({ prefix: HOT, includeMetadata: true })) {
      const m = b.metadata ?? {};
      if (!FINAL_STATES.includes(m.state as SoaRequest['state']) || !(m.updated && m.updated < before)) continue;
      const id = idOf(HOT, b.name);
      const current = await this.readBlob(HOT, id);
      if (!current) continue;
      const body = JSON.stringify(current.doc);
      await this.blob(ARCHIVE, id).upload(body, Buffer.byteLength(body), { metadata: metadata(current.doc) });
      try {
        await this.blob(HOT, id).delete({ conditions: { ifMatch: current.etag } });
        moved += 1;
      } catch (e) {
        if (status(e) !== 412 && status(e) !== 404) throw e;
      }
    }
    for await (const b of this.blobs.client.listBlobsFlat({ prefix: DELIVERIES })) {
      if (b.properties.lastModified && b.properties.lastModified.toISOString() < before)
        await this.blobs.client.deleteBlob(b.name).catch(() => undefined);
    }
    return moved;
  }

  async firstDelivery(activityId: string): Promise<boolean> {
    await this.blobs.ready();
    try {
      await this.blobs.client
        .getBlockBlobClient(`${DELIVERIES}${encodeURIComponent(activityId)}`)
        .upload('', 0, { conditions: { ifNoneMatch: '*' } });
      return true;
    } catch (e) {
      if (status(e) === 409 || status(e) === 412) return false;
      throw e;
    }
  }

  async close(): Promise<void> {}
}
