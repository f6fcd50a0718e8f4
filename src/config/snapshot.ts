/** SNAPSHOT_MAX_MEMBERS: the most direct members a restore point keeps per group. */
import type { EnvReader } from './env';

export const SNAPSHOT_MAX_MEMBERS_DEFAULT = 50_000;
/** Beyond this a request's stored restore point would grow past what its storage row holds well. */
const SNAPSHOT_MAX_MEMBERS_LIMIT = 100_000;

export function snapshotMaxMembers(r: EnvReader): number {
  const raw = r.str('SNAPSHOT_MAX_MEMBERS');
  const n = r.num('SNAPSHOT_MAX_MEMBERS', SNAPSHOT_MAX_MEMBERS_DEFAULT, 1);
  if (raw !== undefined && Number.isFinite(Number(raw)) && !Number.isInteger(n)) {
    r.problem(`SNAPSHOT_MAX_MEMBERS must be a whole number, not '${raw}'.`);
    return SNAPSHOT_MAX_MEMBERS_DEFAULT;
  }
  if (n > SNAPSHOT_MAX_MEMBERS_LIMIT) {
    r.problem(`SNAPSHOT_MAX_MEMBERS must be at most ${SNAPSHOT_MAX_MEMBERS_LIMIT}, not '${n}'.`);
    return SNAPSHOT_MAX_MEMBERS_DEFAULT;
  }
  return n;
}
