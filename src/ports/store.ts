/** Durable request storage with optimistic concurrency. */
import type { RequestState, SoaRequest } from '../domain/request';

export interface RequestQuery {
  states?: RequestState[];
  requesterId?: string;
  groupId?: string;
  /** Created at or after this instant (ISO 8601 UTC, as `Date.toISOString()` writes it). */
  createdFrom?: string;
  /** Created strictly before this instant (same format). */
  createdTo?: string;
  /** Also list archived requests (audit exports); by default only the working set is listed. */
  includeArchived?: boolean;
  /** By creation time; newest first by default. */
  order?: 'newest' | 'oldest';
  /** 50 by default. */
  limit?: number;
}

export interface RequestStore {
  /** Fails with StaleVersion if the id exists. */
  create(req: SoaRequest): Promise<void>;
  get(id: string): Promise<SoaRequest | null>;
  /**
   * Writes `next` only if the stored version is still `next.version - 1`; otherwise throws
   * CodedError('StaleVersion'). Every state change goes through here.
   */
  update(next: SoaRequest): Promise<void>;
  list(q: RequestQuery): Promise<SoaRequest[]>;
  /**
   * Bounded growth: moves finished requests last changed before `before` out of the working
   * set. They stay readable by `get` (status of an old request) and are listed only when a
   * query asks for `includeArchived`.
   */
  archive(before: string): Promise<number>;
  /** Records a Bot Framework activity id; false if it was seen before (a redelivery). */
  firstDelivery(activityId: string): Promise<boolean>;
  close(): Promise<void>;
}
