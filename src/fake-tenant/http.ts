/** HTTP plumbing shared by the fake tenant's endpoints: replies, reading bodies, writing responses. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A response as the handlers build it; `send` writes it. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Graph's JSON content type, also given to any reply with a body and no content type of its own. */
export const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const MAX_BODY = 4 * 1024 * 1024;

/** A plain JSON reply (identity platform and admin API style, not Graph's OData content type). */
export function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body };
}

/** A fresh object each time: callers may add headers to it. */
export function noContent(): HttpReply {
  return { status: 204, headers: {} };
}

export function send(res: ServerResponse, r: HttpReply): void {
  const payload = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { ...r.headers };
  if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
    headers['Content-Type'] = JSON_TYPE;
  res.writeHead(r.status, headers);
  res.end(payload);
}

/** The request body as text (undefined when empty); rejects past 4 MiB. */
export function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // Past the limit, keep draining (so the client gets its 413) but stop keeping bytes.
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_BODY) reject(new Error('too large'));
      else resolve(chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined);
    });
    req.on('error', reject);
  });
}
