/**
 * Claims of a user assertion (the SSO token handed to the on-behalf-of exchange), read without
 * checking it: Entra checks the token at the exchange.
 */

function claims(assertion: string): { oid?: unknown; exp?: unknown } {
  return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    oid?: unknown;
    exp?: unknown;
  };
}

/** The `oid` claim of a JWT, lower case; null if absent or unreadable. */
export function assertionOid(assertion: string): string | null {
  try {
    const oid = claims(assertion).oid;
    return typeof oid === 'string' ? oid.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** When the assertion expires (ms since the epoch); `fallback` for an opaque assertion. */
export function assertionExpiry(assertion: string, fallback: number): number {
  try {
    return Number(claims(assertion).exp) * 1000 || fallback;
  } catch {
    return fallback;
  }
}
