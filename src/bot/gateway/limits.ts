/**
 * Teams' documented limits for what a bot sends through the Bot Connector.
 *
 * Source: Microsoft Teams platform documentation, "Optimize your bot with rate limiting in Teams"
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit), "Per bot per thread
 * limit": send to conversation, and create conversation alike, 7 operations per 1 s, 8 per 2 s,
 * 60 per 30 s and 1,800 per 3,600 s in one conversation (a 1:1 chat, a group chat, or a channel);
 * "The global limit per app per tenant is 50 Requests Per Second" (older versions of the page
 * said 30). 429 is retried, and "in addition to error code 429, error codes 412, 502, and 504
 * must also be retried" (the current page adds 503).
 */

/** At most `max` operations in any `ms` milliseconds. */
export interface RateWindow {
  ms: number;
  max: number;
}

export const PER_CONVERSATION: readonly RateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

export const PER_TENANT: readonly RateWindow[] = [{ ms: 1_000, max: 50 }];

/** The answers Teams asks to retry, with backoff. */
export const RETRIED_STATUSES: readonly number[] = [412, 429, 502, 503, 504];

/**
 * Teams' message size: documented as 100 KB, with 80 KB recommended (older pages say 40 KB),
 * counted as UTF-16 (2 bytes per code unit) of the activity's JSON.
 */
export const MAX_ACTIVITY_BYTES = 80 * 1024;

/** The rates with every maximum scaled by `share` (0 < share ≤ 1), at least one operation each. */
export function scaled(windows: readonly RateWindow[], share: number): RateWindow[] {
  return windows.map((w) => ({ ms: w.ms, max: Math.max(1, Math.floor(w.max * share)) }));
}
