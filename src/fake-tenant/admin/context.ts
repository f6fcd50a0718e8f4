/** What the admin API (/_fake/...) reads and changes: the server's state, and its argument types. */
import type { ChannelAuthority } from '../channel';
import type { Fault } from '../faults';
import type { RequestLogEntry } from '../graph/request-log';
import { jsonReply, type HttpReply } from '../http';
import type { Identity } from '../identity/identity';
import type { TokenLogEntry } from '../identity/routes';
import type { Seed, Settings } from '../model';
import type { Tenant } from '../tenant';

export interface AdminContext {
  /** The current tenant (replaced by a reset). */
  tenant: () => Tenant;
  /** Replaces the tenant (a fresh default seed without `seed`), forgets faults and Graph requests. */
  reset: (seed?: Seed) => void;
  settings: Settings;
  /** Restarts the automatic sync cycles after a settings change. */
  scheduleSync: () => void;
  faults: Fault[];
  requests: RequestLogEntry[];
  tokenRequests: TokenLogEntry[];
  identity: Identity;
  channel: ChannelAuthority;
}

/** The request body: a JSON object, or null when there was none. */
export type AdminInput = Record<string, unknown> | null;

export function adminError(status: number, message: string): HttpReply {
  return jsonReply(status, { error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } });
}
