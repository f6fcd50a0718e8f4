/** What the Graph handlers are given: the request, and one authorised call as a resource sees it. */
import type { Principal } from '../identity/principal';
import type { Settings } from '../model';
import type { Tenant } from '../tenant';

export interface GraphRequest {
  method: string;
  /** Path with the version segment, e.g. `/v1.0/groups/{id}`. */
  path: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: string | undefined;
  /** `https://localhost:3979`: used for @odata.nextLink and @odata.context. */
  origin: string;
  batchId?: string;
  batchRequestId?: string;
}

/** An authenticated call, handed to the resource its path names. */
export interface Call {
  req: GraphRequest;
  principal: Principal;
  tenant: Tenant;
  settings: Settings;
  /** `https://localhost:3979/v1.0`: the root of @odata.context URLs. */
  base: string;
}

export type Json = Record<string, unknown>;
