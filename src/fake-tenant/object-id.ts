/** Directory object ids (GUIDs). */

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;

/** Object ids. The Agents Playground's fixed ids carry 13 digits in the last block, so allow it. */
export function isObjectId(s: string): boolean {
  return ID.test(s);
}
