/** RS256 JSON Web Tokens for the fake tenant, on node:crypto. */
import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

export type Claims = Record<string, unknown> & { exp?: number; nbf?: number; iat?: number; aud?: string; iss?: string };

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomUUID().replace(/-/g, ''), privateKey, publicKey };
}

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export function signJwt(key: SigningKey, claims: Claims): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: key.kid };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

export function jwk(key: SigningKey): Record<string, unknown> {
  const exported = key.publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kty: 'RSA', use: 'sig', kid: key.kid, n: exported.n, e: exported.e, alg: 'RS256' };
}

export type JwtProblem = 'malformed' | 'unsigned' | 'badSignature' | 'unknownKey';

export type VerifyResult = { ok: true; claims: Claims } | { ok: false; problem: JwtProblem };

/** Checks form and signature only; lifetime and audience are the caller's business. */
export function verifyJwt(token: string, keys: SigningKey[]): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  let header: { alg?: string; kid?: string };
  let claims: Claims;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    return { ok: false, problem: 'malformed' };
  if (!header.alg || header.alg === 'none' || !parts[2]) return { ok: false, problem: 'unsigned' };
  if (header.alg !== 'RS256') return { ok: false, problem: 'badSignature' };
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, problem: 'unknownKey' };
  const good = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    key.publicKey,
    Buffer.from(parts[2], 'base64url'),
  );
  return good ? { ok: true, claims } : { ok: false, problem: 'badSignature' };
}
