/**
 * Signed, expiring download links. The query string carries the payload (base64url JSON), the
 * expiry (unix seconds) and an HMAC-SHA256 over both; the server keeps no state per link, so
 * any instance that derives the same key can serve it.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export type LinkCheck =
  { ok: true; payload: Record<string, string> } | { ok: false; reason: 'expired' | 'bad-signature' | 'malformed' };

const INFO = 'soa-bot export links';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

/**
 * The 32-byte signing key, derived (HKDF-SHA256) from configuration every instance shares, such
 * as the bot's client secret: same input, same key, on every instance and after restarts.
 */
export function linkKey(secretMaterial: string): Buffer {
  if (!secretMaterial) throw new Error('Export links need secret material to derive their key from.');
  return Buffer.from(hkdfSync('sha256', secretMaterial, Buffer.alloc(0), INFO, 32));
}

function mac(key: Buffer, p: string, exp: string): Buffer {
  // The dot cannot occur in either part, so (p, exp) pairs cannot be confused.
  return createHmac('sha256', key).update(`${p}.${exp}`).digest();
}

export function signLink(key: Buffer, payload: Record<string, string>, expiresAt: Date): string {
  const p = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  const exp = String(Math.floor(expiresAt.getTime() / 1000));
  const sig = mac(key, p, exp).toString('base64url');
  return new URLSearchParams({ p, exp, sig }).toString();
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')
  );
}

/**
 * Checks a link's query (the raw query string or its parsed fields). The signature is checked
 * before the expiry, so only links this service issued are ever reported as expired.
 */
export function verifyLink(key: Buffer, query: string | Record<string, string | undefined>, now: Date): LinkCheck {
  const q = typeof query === 'string' ? Object.fromEntries(new URLSearchParams(query.replace(/^\?/, ''))) : query;
  const { p, exp, sig } = q;
  if (!p || !exp || !sig || !BASE64URL.test(p) || !UNIX_SECONDS.test(exp) || !BASE64URL.test(sig))
    return { ok: false, reason: 'malformed' };
  const given = Buffer.from(sig, 'base64url');
  const expected = mac(key, p, exp);
  // Only the canonical spelling counts (base64url decoding ignores stray trailing bits), and
  // timingSafeEqual needs equal lengths; neither check compares against the secret MAC.
  if (given.toString('base64url') !== sig || given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad-signature' };
  if (now.getTime() >= Number(exp) * 1000) return { ok: false, reason: 'expired' };
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  return isStringRecord(payload) ? { ok: true, payload } : { ok: false, reason: 'malformed' };
}
