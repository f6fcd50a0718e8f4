/**
 * A Bot Framework channel for tests: it sends activities to the bot's /api/messages with its
 * own serviceUrl and records what the bot sends back (replies, proactive posts, card updates),
 * the same protocol Teams and the Agents Playground speak.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { limitErrorBody, TeamsLimits } from '../../src/fake-tenant/teams-limits';
import { describe } from './card-query';

export { actions, cardOf, cardText } from './card-query';

export interface Outbound {
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  /** reply: the activity replied to; update: the activity replaced. */
  targetId?: string;
  id: string;
  activity: Record<string, any>;
}

export interface User {
  aadObjectId: string;
  name: string;
}

export type ConversationKind = 'personal' | 'groupChat' | 'channel';

/** What an injected failure can hit: posts, replies, updates, or creating a conversation. */
export type FaultKind = Outbound['kind'] | 'create';

const TENANT = '00000000-0000-0000-0000-0000000000001';

/**
 * Teams' limits (429 above the rates, 413 above the size) are enforced unless switched off:
 * `limits: 'off'`, or TEAMS_LIMITS=off in the environment for a whole run.
 */
export interface ChannelOptions {
  limits?: 'on' | 'off';
}

export class TestChannel {
  readonly outbound: Outbound[] = [];
  private readonly events = new EventEmitter();
  private server!: Server;
  url = '';
  /** Teams' rate and size limits as this channel enforces them (null: switched off). */
  readonly limits: TeamsLimits | null;

  constructor(
    public botUrl: string,
    opts: ChannelOptions = {},
  ) {
    // Tests wait for many activities at once (a burst of requests): one listener each.
    this.events.setMaxListeners(0);
    const off = (opts.limits ?? (process.env.TEAMS_LIMITS === 'off' ? 'off' : 'on')) === 'off';
    this.limits = off ? null : new TeamsLimits();
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /**
   * Injected Bot Connector failures: the next `count` posts or updates get `status` (and are not
   * recorded); with kind `create`, the next one-to-one conversations the bot asks for.
   */
  private faults: Array<{ count: number; status: number; retryAfter?: number; kinds: FaultKind[] }> = [];
  /** Every failed attempt the channel answered, by kind. */
  readonly failed: Array<{ kind: FaultKind; status: number; at: number }> = [];
  /**
   * What the limits refused (429, 413), as it was sent (the id is not one the bot ever saw), with
   * how many activities had been accepted by then.
   */
  readonly refusedOutbound: Array<Outbound & { status: number; accepted: number }> = [];
  /** The conversations the bot created (Bot Connector createConversation), with what it asked for. */
  readonly created: Array<{ id: string; parameters: Record<string, any> }> = [];

  failNext(count: number, status = 503, opts: { retryAfter?: number; kinds?: FaultKind[] } = {}): void {
    this.faults.push({
      count,
      status,
      kinds: opts.kinds ?? ['send', 'reply', 'update'],
      ...(opts.retryAfter !== undefined ? { retryAfter: opts.retryAfter } : {}),
    });
  }

  clearFaults(): void {
    this.faults = [];
  }

  private async handle(req: IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    if (req.method === 'POST' && req.url === '/v3/conversations') {
      this.createConversation(body, res);
      return;
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    // restify (in the same process) patches ServerResponse.writeHead to return nothing: no chaining.
    if (!m) {
      res.statusCode = 404;
      res.end();
      return;
    }
    const conversationId = decodeURIComponent(m[1]!);
    const target = m[2] ? decodeURIComponent(m[2]) : undefined;
    const kind: Outbound['kind'] = req.method === 'PUT' ? 'update' : target ? 'reply' : 'send';
    if (this.injectedFault(kind, res)) return;
    const id = kind === 'update' ? target! : `act-${randomUUID().slice(0, 8)}`;
    const entry: Outbound = { kind, conversationId, ...(target ? { targetId: target } : {}), id, activity: body };
    if (this.refusedByLimits(conversationId, body, res)) {
      this.refusedOutbound.push({ ...entry, status: res.statusCode, accepted: this.outbound.length });
      return;
    }
    this.outbound.push(entry);
    this.events.emit('outbound', entry);
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ id }));
  }

  /** Answers with the next injected failure for `kind`, if any. */
  private injectedFault(kind: FaultKind, res: import('node:http').ServerResponse): boolean {
    const fault = this.faults.find((f) => f.count > 0 && f.kinds.includes(kind));
    if (!fault) return false;
    fault.count -= 1;
    this.failed.push({ kind, status: fault.status, at: Date.now() });
    res.statusCode = fault.status;
    if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter));
    res.setHeader('Content-Type', 'application/json');
    res.end(
      JSON.stringify({
        error: {
          code: fault.status === 429 ? 'Throttled' : 'ServiceError',
          message: 'Injected Bot Connector failure.',
        },
      }),
    );
    return true;
  }

  /** Answers as Teams does when the operation is over its rate or size limits. */
  private refusedByLimits(
    conversationId: string,
    activity: Record<string, any> | undefined,
    res: import('node:http').ServerResponse,
  ): boolean {
    const verdict = this.limits?.admit({ conversationId, tenantId: TENANT, activity });
    if (!verdict || verdict.status === 'ok') return false;
    res.statusCode = verdict.status;
    if (verdict.status === 429) res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(limitErrorBody(verdict)));
    return true;
  }

  /**
   * POST /v3/conversations as Teams answers it for a one-to-one chat: exactly one member (a
   * Teams user id), the bot, the tenant; the answer is that user's chat with the bot, the same
   * id every time. A group conversation, or one without its member, is a bad request.
   */
  private createConversation(body: Record<string, any>, res: import('node:http').ServerResponse): void {
    if (this.injectedFault('create', res)) return;
    const members = Array.isArray(body.members) ? (body.members as Array<{ id?: unknown }>) : [];
    const member = members[0]?.id;
    const tenant = body.tenantId ?? body.channelData?.tenant?.id;
    res.setHeader('Content-Type', 'application/json');
    if (body.isGroup || members.length !== 1 || typeof member !== 'string' || !member.startsWith('29:') || !body.bot) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { code: 'BadArgument', message: 'One member, a Teams user id, and the bot.' } }));
      return;
    }
    if (tenant !== TENANT) {
      res.statusCode = 403;
      res.end(JSON.stringify({ error: { code: 'Forbidden', message: 'The member is not in this tenant.' } }));
      return;
    }
    const id = `a:1on1-${member.slice(3)}`;
    if (this.refusedByLimits(id, undefined, res)) return;
    this.created.push({ id, parameters: body });
    res.statusCode = 201;
    res.end(JSON.stringify({ id }));
  }

  /** Every activity the bot sent into a conversation (a channel's id covers its threads). */
  sentTo(conversationId: string): Outbound[] {
    const base = conversationId.split(';')[0]!;
    return this.outbound.filter((o) => o.conversationId.split(';')[0] === base);
  }

  /** Resolves with the first outbound activity (already seen after `since`, or future) matching. */
  waitFor(match: (o: Outbound) => boolean, timeoutMs = 10_000, since = 0): Promise<Outbound> {
    const seen = this.outbound.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('outbound', on);
        reject(
          new Error(
            `no matching activity from the bot within ${timeoutMs} ms; saw:\n` +
              this.outbound.slice(since).map(describe).join('\n'),
          ),
        );
      }, timeoutMs);
      const on = (o: Outbound) => {
        if (!match(o)) return;
        clearTimeout(timer);
        this.events.off('outbound', on);
        resolve(o);
      };
      this.events.on('outbound', on);
    });
  }

  conversation(
    kind: ConversationKind,
    key = 'main',
  ): { id: string; conversationType: ConversationKind; isGroup?: boolean } {
    if (kind === 'channel') return { id: `19:${key}@thread.tacv2`, conversationType: 'channel', isGroup: true };
    if (kind === 'groupChat') return { id: `19:${key}@thread.v2`, conversationType: 'groupChat', isGroup: true };
    return { id: `a:personal-${key}`, conversationType: 'personal' };
  }

  private base(user: User, kind: ConversationKind, key: string) {
    const conversation = this.conversation(kind, key);
    return {
      channelId: 'msteams',
      serviceUrl: this.url,
      from: { id: `29:${user.aadObjectId}`, name: user.name, aadObjectId: user.aadObjectId },
      recipient: { id: '28:soa-bot', name: 'SOA Bot' },
      conversation: { ...conversation, tenantId: TENANT },
      channelData: {
        tenant: { id: TENANT },
        ...(kind === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: conversation.id } } : {}),
      },
      locale: 'en-US',
      timestamp: new Date().toISOString(),
    };
  }

  private async post(activity: Record<string, unknown>, botUrl = this.botUrl): Promise<{ status: number; body: any }> {
    const res = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** A user types `text`; in channels and group chats with an @mention of the bot (at `botUrl`, else the channel's). */
  async say(
    user: User,
    text: string,
    opts: { kind?: ConversationKind; key?: string; mention?: boolean; id?: string; botUrl?: string } = {},
  ): Promise<{ id: string; status: number }> {
    const kind = opts.kind ?? 'personal';
    const id = opts.id ?? `msg-${randomUUID().slice(0, 8)}`;
    const mention = opts.mention ?? kind !== 'personal';
    const activity = {
      ...this.base(user, kind, opts.key ?? 'main'),
      type: 'message',
      id,
      text: mention ? `<at>SOA Bot</at> ${text}` : text,
      ...(mention
        ? {
            entities: [{ type: 'mention', text: '<at>SOA Bot</at>', mentioned: { id: '28:soa-bot', name: 'SOA Bot' } }],
          }
        : {}),
    };
    const r = await this.post(activity, opts.botUrl);
    return { id, status: r.status };
  }

  /** An invoke other than a card click (signin/tokenExchange, signin/verifyState, …). */
  async invoke(
    user: User,
    name: string,
    value: Record<string, unknown>,
    opts: { kind?: ConversationKind; key?: string } = {},
  ): Promise<{ status: number; body: any }> {
    return this.post({
      ...this.base(user, opts.kind ?? 'personal', opts.key ?? 'main'),
      type: 'invoke',
      name,
      id: `inv-${randomUUID().slice(0, 8)}`,
      value,
    });
  }

  /** A user clicks an Action.Execute button on the card `cardActivityId`. */
  async click(
    user: User,
    cardActivityId: string,
    verb: string,
    data: Record<string, unknown>,
    opts: {
      kind?: ConversationKind;
      key?: string;
      conversationId?: string;
      botUrl?: string;
      value?: Record<string, unknown>;
    } = {},
  ): Promise<{ status: number; card?: any; message?: string; body: any }> {
    const base = this.base(user, opts.kind ?? 'personal', opts.key ?? 'main');
    if (opts.conversationId) base.conversation = { ...base.conversation, id: opts.conversationId };
    const r = await this.post(
      {
        ...base,
        type: 'invoke',
        name: 'adaptiveCard/action',
        id: `inv-${randomUUID().slice(0, 8)}`,
        replyToId: cardActivityId,
        value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual', ...(opts.value ?? {}) },
      },
      opts.botUrl,
    );
    const v = r.body?.value;
    return {
      status: r.status,
      body: r.body,
      ...(r.body?.type === 'application/vnd.microsoft.card.adaptive' ? { card: v } : {}),
      ...(r.body?.type === 'application/vnd.microsoft.activity.message' ? { message: v } : {}),
    };
  }
}
