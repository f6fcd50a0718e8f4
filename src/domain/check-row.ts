/** A row of the prerequisite checklist, and the small text helpers the rows share. Pure. */

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'ack';

export interface CheckRow {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
}

export interface SyncMinimums {
  connectSync: string;
  cloudSync: string;
}

/** 2026-11-28T05:59:18.716Z → 2026-11-28 05:59 UTC */
export const when = (iso: string) => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

/** Up to `max` names, then how many more. */
export const list = (gs: Array<{ displayName: string }>, max = 8) =>
  gs.length <= max
    ? gs.map((g) => g.displayName).join(', ')
    : `${gs
        .slice(0, max)
        .map((g) => g.displayName)
        .join(', ')} and ${gs.length - max} more`;
