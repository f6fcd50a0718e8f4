/**
 * The local stack's Teams edge: it stands between the Agents Playground and the bot and
 * enforces Teams' limits on what the bot sends, which the Playground itself never does.
 *
 * Activities from the Playground reach the bot through it, with their `serviceUrl` pointing
 * here, so every Bot Connector call the bot makes (replies, proactive posts, card updates)
 * comes here first: above Teams' rates it is answered 429 with Retry-After, above the size
 * limit 413 `MessageSizeTooBig` (teams-limits.ts); everything else goes on to the Playground
 * unchanged, and its answer comes back unchanged.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { limitErrorBody, TeamsLimits } from './teams-limits';

export interface TeamsEdge {
  /** Where the Playground sends activities: this edge's /api/messages. */
  url: string;
  port: number;
  /** What the limits refused so far. */
  limits: TeamsLimits;
  close(): Promise<void>;
}

/** Headers that belong to one hop, not to the request forwarded. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * Starts the edge on `port` (0: any free one) in front of the bot at `botUrl` (its
 * /api/messages). The Playground's own address is learnt from the activities it sends.
 */
export async function startTeamsEdge(o: { botUrl: string; port?: number; limits?: TeamsLimits }): Promise<TeamsEdge> {
  const limits = o.limits ?? new TeamsLimits();
  let self = '';
  /** The Playground's Bot Connector address, per conversation, from what it sent last. */
  const upstream = new Map<string, string>();
  let lastUpstream = '';

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.statusCode = 502;
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method === 'POST' && req.url === '/api/messages') {
      const activity = JSON.parse(body.toString('utf8') || '{}') as {
        serviceUrl?: unknown;
        conversation?: { id?: unknown };
      };
      if (typeof activity.serviceUrl === 'string') {
        lastUpstream = activity.serviceUrl.replace(/\/$/, '');
        const conversation = activity.conversation?.id;
        if (typeof conversation === 'string') upstream.set(conversation.split(';')[0]!, lastUpstream);
        activity.serviceUrl = self;
      }
      await forward(req, res, o.botUrl, Buffer.from(JSON.stringify(activity)));
      return;
    }
    const m = /^\/v3\/conversations(?:\/([^/?]+)\/activities(?:\/[^/?]+)?)?/.exec(req.url ?? '');
    const conversationId = m?.[1] ? decodeURIComponent(m[1]) : '';
    const sends = m && (req.method === 'POST' || req.method === 'PUT');
    if (sends) {
      const activity = m[1] && body.length ? (JSON.parse(body.toString('utf8')) as unknown) : undefined;
      // The local stack has one tenant: every call counts against it.
      const verdict = limits.admit({ conversationId: conversationId || 'create', tenantId: 'local', activity });
      if (verdict.status !== 'ok') {
        res.statusCode = verdict.status;
        if (verdict.status === 429) res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(limitErrorBody(verdict)));
        return;
      }
    }
    const base = upstream.get(conversationId.split(';')[0]!) ?? lastUpstream;
    if (!base) {
      res.statusCode = 502;
      res.end();
      return;
    }
    await forward(req, res, `${base}${req.url}`, body);
  }

  await new Promise<void>((r) => server.listen(o.port ?? 0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  self = `http://127.0.0.1:${port}`;
  return {
    url: `${self}/api/messages`,
    port,
    limits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Sends the request on to `url` and its answer back, status, headers and body as they are. */
async function forward(req: IncomingMessage, res: ServerResponse, url: string, body: Buffer): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === 'string' && !HOP_HEADERS.has(k.toLowerCase())) headers[k] = v;
  const answer = await fetch(url, {
    method: req.method ?? 'GET',
    headers,
    ...(body.length && req.method !== 'GET' && req.method !== 'HEAD' ? { body: new Uint8Array(body) } : {}),
  });
  res.statusCode = answer.status;
  answer.headers.forEach((v, k) => {
    if (!HOP_HEADERS.has(k) && k !== 'content-encoding') res.setHeader(k, v);
  });
  res.end(Buffer.from(await answer.arrayBuffer()));
}
