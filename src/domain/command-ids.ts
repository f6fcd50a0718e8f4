/** What the ids a user or a card gives look like. */

const REQUEST_ID = /^R-[0-9A-Z]{6}$/i;
const SCAN_ID = /^S-[0-9A-Z]{6}$/i;
// The last part takes 13 digits as well: the local tenant's documented user ids have 13.
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** An Entra object, app or tenant id (a GUID): safe to put into a Graph URL path. */
export function isObjectId(s: string): boolean {
  return OBJECT_ID.test(s);
}

export function isRequestId(s: string): boolean {
  return REQUEST_ID.test(s.trim());
}

/** A readiness scan's id: S- and six characters, like request ids. */
export function isScanId(s: string): boolean {
  return SCAN_ID.test(s.trim());
}
