/** Which Bot Connector failures are worth another try, and how long to wait before it. */
import { RETRIED_STATUSES } from './limits';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** The first backoff; each further one doubles, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

const NETWORK_ERRORS = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

interface Failure {
  statusCode?: unknown;
  status?: unknown;
  code?: unknown;
  response?: { status?: unknown; headers?: unknown };
}

/** The HTTP status of a failed Bot Connector call, if it got an answer. */
export function statusOf(e: unknown): number | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const f = e as Failure;
  for (const s of [f.statusCode, f.status, f.response?.status]) if (typeof s === 'number') return s;
  return undefined;
}

/** Whether another try may succeed: the statuses Teams asks to retry, and a lost connection. */
export function isTransient(e: unknown): boolean {
  const status = statusOf(e);
  if (status !== undefined) return RETRIED_STATUSES.includes(status);
  const code = e && typeof e === 'object' ? (e as Failure).code : undefined;
  return typeof code === 'string' && NETWORK_ERRORS.has(code);
}

/** `Retry-After` of the failed call in milliseconds (seconds or an HTTP date), if it said. */
export function retryAfterMs(e: unknown, now: number): number | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const headers = (e as Failure).response?.headers;
  const raw = headerOf(headers, 'retry-after');
  if (raw === undefined || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: unknown } & Record<string, unknown>;
  if (typeof h.get === 'function') {
    const v: unknown = (h.get as (n: string) => unknown).call(headers, name);
    if (typeof v === 'string') return v;
  }
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name && typeof v === 'string') return v;
  return undefined;
}

/**
 * The wait before try number `attempt + 1` (attempt counts from 1): exponential with full
 * jitter over its upper half, never shorter than the channel's `Retry-After`.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfter?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + (random() * ceiling) / 2;
  if (retryAfter === undefined) return Math.round(jittered);
  // Honour the channel's wait, spread a little so that retries of several lanes do not collide.
  return Math.round(retryAfter + (random() * Math.min(retryAfter, policy.baseDelayMs)) / 4);
}
