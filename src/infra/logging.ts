/**
 * Structured logs (pino, JSON lines) that cannot carry credentials: fields named like a
 * credential are censored by path, and every string value is scrubbed of token-shaped text
 * (JWTs, bearer headers) and of the configured secrets themselves, whatever field holds it.
 */
import pino, { type DestinationStream } from 'pino';
import type { Logger } from '../ports/logger';

const CENSOR = '[redacted]';

/** Field names whose values are credentials wherever they appear (one or two levels deep). */
const SECRET_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'assertion',
  'userAssertionToken',
  'clientSecret',
  'client_secret',
  'password',
  'secret',
  'authorization',
  'Authorization',
  'cookie',
];
const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  'headers.authorization',
  'headers.Authorization',
];

/** A JWT (three base64url parts, the first two JSON), or what follows "Bearer ". */
const TOKEN_SHAPED = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*|\bBearer\s+[\w.~+/=-]{8,}/g;

function scrub(text: string, secrets: string[]): string {
  let out = text.replace(TOKEN_SHAPED, '[token]');
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[secret]');
  return out;
}

function scrubValue(v: unknown, secrets: string[], depth = 0): unknown {
  if (typeof v === 'string') return scrub(v, secrets);
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  if (v instanceof Error) return { name: v.name, message: scrub(v.message, secrets) };
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, secrets, depth + 1));
  return Object.fromEntries(
    Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, scrubValue(x, secrets, depth + 1)]),
  );
}

/**
 * The bot's logger. `secrets`: the configured credentials (client secret, bot password), so a
 * message that quotes one (an SDK error, say) never reaches the log with it.
 */
export function pinoLogger(
  options: { secrets?: string[]; destination?: DestinationStream; level?: string } = {},
): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const base = pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const write = (level: 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => {
    base[level]((fields ? scrubValue(fields, secrets) : {}) as object, scrub(msg, secrets));
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
