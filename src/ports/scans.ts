/** Durable readiness scans: where a scan is, what it has read, and its report once done. */
import type { ReadinessResult, ScanGroup } from '../domain/readiness-types';
import type { ConversationAnchor, Person } from '../domain/request';

export type ScanState = 'reading' | 'done' | 'cancelled' | 'failed';

export interface Scan {
  /** "S-" and six characters, like request ids. */
  id: string;
  /** Optimistic concurrency, as for requests: every update writes version + 1. */
  version: number;
  state: ScanState;
  requestedBy: Person;
  requestedAt: string;
  /** Where the scan's card is (the conversation it was asked in, and the card's activity id once posted). */
  anchor: ConversationAnchor;
  /** The slice: groups whose display name starts with this (case-insensitive). */
  prefix?: string;
  /** The tenant's group count when the scan started, for progress; null when unknown. */
  total: number | null;
  /** Group entries read so far (merged: each group once). */
  groups: ScanGroup[];
  cloudManagedIds: string[];
  tenantSyncEnabled: boolean | null;
  /** Where the next page is read from; null before the first page is read and after the last. */
  cursor: string | null;
  pagesRead: number;
  /** How many times the scan started again from the first page (Graph expired its page token). */
  restarts?: number;
  /** When the scan last went on after the bot restarted (its card says so); unset if it never had to. */
  resumedAt?: string;
  /** Set when done. */
  result?: ReadinessResult;
  finishedAt?: string;
  cancelledBy?: Person;
  /** Why it failed (words from views), when failed. */
  error?: string;
  /** When the scan was last written (each hop writes it): a reading scan not written for long has lost its job. */
  updatedAt?: string;
  /** When the progress card was last updated (it is updated at most every 2 s). */
  cardAt?: string;
  /** How often the scan went on after its process died or a hop failed (`resumedAt`: the last time). */
  resumes?: number;
}

export interface ScanStore {
  /** Fails with CodedError('StaleVersion') if the id exists. */
  create(scan: Scan): Promise<void>;
  get(id: string): Promise<Scan | null>;
  /** Writes only if the stored version is `next.version - 1`; otherwise CodedError('StaleVersion'). */
  update(next: Scan): Promise<void>;
  /** The newest scans first, at most `limit`. */
  recent(limit: number): Promise<Scan[]>;
  close(): Promise<void>;
}
