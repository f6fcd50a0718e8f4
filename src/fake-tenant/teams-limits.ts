/**
 * Teams' own limits on the Bot Connector API, as the local channels enforce them: the rate
 * limits per bot per conversation and per app per tenant (429 `Throttled` with Retry-After),
 * and the message size limit (413 `MessageSizeTooBig`).
 *
 * Rates: Microsoft Teams platform, "Optimize your bot with rate limiting in Teams"
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), "Per bot per thread
 * limit": send to conversation and create conversation, 7 operations per 1 s, 8 per 2 s, 60 per
 * 30 s, 1,800 per 3,600 s; "The global limit per app per tenant is 50 Requests Per Second"
 * (older revisions of the page said 30). A conversation is a one-to-one chat, a group chat or a
 * channel in a team, so every thread of a channel counts against the channel.
 *
 * Size: "Format your bot messages" (learn.microsoft.com/microsoftteams/platform/bots/how-to/
 * format-your-bot-messages): the limit is 100 KB of the whole message encoded as UTF-16 (80 KB
 * recommended); above it the bot receives 413 RequestEntityTooLarge with the error code
 * MessageSizeTooBig. Error bodies as "Send and receive messages" lists them: 429 `Throttled`
 * "Too many requests.", 413 `MessageSizeTooBig` "Message size too large.".
 *
 * Only accepted operations count against the windows: a refused one is not delivered.
 */

export interface Window {
  seconds: number;
  max: number;
}

/** Per bot per conversation ("thread"), for posts, replies, updates and created conversations. */
export const CONVERSATION_WINDOWS: readonly Window[] = [
  { seconds: 1, max: 7 },
  { seconds: 2, max: 8 },
  { seconds: 30, max: 60 },
  { seconds: 3600, max: 1800 },
];

/** Per app per tenant, every Bot Connector request. */
export const TENANT_WINDOWS: readonly Window[] = [{ seconds: 1, max: 50 }];

/** The size above which Teams refuses a message: 100 KB of UTF-16. */
export const MESSAGE_SIZE_LIMIT_BYTES = 100 * 1024;

/** A message's size as Teams counts it: its JSON, two bytes per UTF-16 code unit. */
export function teamsMessageBytes(activity: unknown): number {
  return JSON.stringify(activity ?? {}).length * 2;
}

/** The conversation a thread belongs to: a channel's threads share the channel's limits. */
export function conversationKey(conversationId: string): string {
  return conversationId.split(';')[0]!;
}

export type Verdict =
  | { status: 'ok' }
  | { status: 429; retryAfterSeconds: number; scope: 'conversation' | 'tenant' }
  | { status: 413; bytes: number };

export interface LimitSettings {
  conversation: readonly Window[];
  tenant: readonly Window[];
  maxMessageBytes: number;
}

export const TEAMS_LIMITS: LimitSettings = {
  conversation: CONVERSATION_WINDOWS,
  tenant: TENANT_WINDOWS,
  maxMessageBytes: MESSAGE_SIZE_LIMIT_BYTES,
};

/**
 * Sliding windows over accepted operations, per conversation and per tenant. `now` is in
 * milliseconds (a test passes a manual clock).
 */
export class TeamsLimits {
  private readonly byConversation = new Map<string, number[]>();
  private readonly byTenant = new Map<string, number[]>();
  /** What was refused, for tests and the bench to count. */
  readonly refused: Array<{ status: 429 | 413; conversation: string; at: number }> = [];

  constructor(
    private readonly settings: LimitSettings = TEAMS_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits one operation on `conversationId` for `tenantId` (with `activity` when it carries a
   * message) or says why Teams would refuse it. An admitted operation is counted.
   */
  admit(input: { conversationId: string; tenantId: string; activity?: unknown }): Verdict {
    const conversation = conversationKey(input.conversationId);
    const at = this.now();
    if (input.activity !== undefined) {
      const bytes = teamsMessageBytes(input.activity);
      if (bytes > this.settings.maxMessageBytes) {
        this.refused.push({ status: 413, conversation, at });
        return { status: 413, bytes };
      }
    }
    const convTimes = this.times(this.byConversation, conversation, this.settings.conversation, at);
    const tenantTimes = this.times(this.byTenant, input.tenantId, this.settings.tenant, at);
    const waitTenant = waitMs(tenantTimes, this.settings.tenant, at);
    const waitConv = waitMs(convTimes, this.settings.conversation, at);
    if (waitTenant > 0 || waitConv > 0) {
      this.refused.push({ status: 429, conversation, at });
      const wait = Math.max(waitTenant, waitConv);
      return {
        status: 429,
        retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)),
        scope: waitConv >= waitTenant ? 'conversation' : 'tenant',
      };
    }
    convTimes.push(at);
    tenantTimes.push(at);
    return { status: 'ok' };
  }

  /** How many operations were refused with `status`. */
  count(status: 429 | 413): number {
    return this.refused.filter((r) => r.status === status).length;
  }

  /** The accepted times in the longest window still open for `key`, older ones dropped. */
  private times(map: Map<string, number[]>, key: string, windows: readonly Window[], at: number): number[] {
    const longest = Math.max(0, ...windows.map((w) => w.seconds)) * 1000;
    let list = map.get(key);
    if (!list) {
      list = [];
      map.set(key, list);
    }
    let drop = 0;
    while (drop < list.length && list[drop]! <= at - longest) drop++;
    if (drop) list.splice(0, drop);
    return list;
  }
}

/** How long until one more operation fits in every window (0: it fits now). */
function waitMs(times: number[], windows: readonly Window[], at: number): number {
  let wait = 0;
  for (const w of windows) {
    const span = w.seconds * 1000;
    const inWindow = times.filter((t) => t > at - span);
    if (inWindow.length < w.max) continue;
    // The window frees a slot when its oldest counted operation (that keeps it full) leaves.
    const oldest = inWindow[inWindow.length - w.max]!;
    wait = Math.max(wait, oldest + span - at);
  }
  return wait;
}

/** The error bodies Teams answers with. */
export function limitErrorBody(verdict: Exclude<Verdict, { status: 'ok' }>): Record<string, unknown> {
  return verdict.status === 429
    ? { error: { code: 'Throttled', message: 'Too many requests.' } }
    : { error: { code: 'MessageSizeTooBig', message: 'Message size too large.' } };
}
