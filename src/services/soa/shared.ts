/**
 * What every use case works with: the ports and settings the service was built with, and the
 * plumbing they share (read or fail, store and announce, work left running after an answer).
 */
import { CodedError } from '../../domain/errors';
import type { ChangeControlRules } from '../../domain/change-control';
import type { ApprovalPolicy } from '../../domain/policy';
import type { SyncMinimums } from '../../domain/prerequisites';
import type { SoaRequest } from '../../domain/request';
import type { ChangeWindows } from '../../domain/windows';
import type { Clock } from '../../ports/clock';
import type { DirectoryFactory } from '../../ports/directory';
import type { Logger } from '../../ports/logger';
import type { Notifier } from '../../ports/notifier';
import type { Presenter } from '../../ports/presenter';
import type { Inventory } from '../../ports/inventory';
import type { WorkQueue } from '../../ports/queue';
import type { ScanStore } from '../../ports/scans';
import type { RequestStore } from '../../ports/store';

export interface ServiceSettings {
  policy: ApprovalPolicy;
  minimums: SyncMinimums;
  requestTtlMs: number;
  audit: { firstDelayMs: number; maxDelayMs: number; timeoutMs: number };
  syncWatch: { intervalMs: number; timeoutMs: number };
  /** Pending approvals get one reminder in their thread after this long. */
  remindAfterMs: number;
  /** `concurrency`: jobs handled at once by this instance (different requests; one job per request at a time). */
  worker: { instanceId: string; leaseMs: number; visibilityMs: number; pollMs: number; concurrency?: number };
  /** Justification and ticket (REQUIRE_JUSTIFICATION, TICKET_PATTERN); none required when absent. */
  changeControl?: ChangeControlRules;
  /** Scheduled switches: the zone times are read in (CHANGE_TIMEZONE), how far ahead (MAX_SCHEDULE_DAYS). */
  schedule?: { zone: string; maxDays: number };
  /** CHANGE_WINDOWS: when set, an approved switch or plan runs only inside them (see soa/windows.ts). */
  windows?: ChangeWindows;
  /** SNAPSHOT_MAX_MEMBERS: the most members a restore point keeps (50,000 when absent). */
  snapshotMaxMembers?: number;
}

/** The ports the use cases work through, and the settings they follow. */
export interface ServicePorts {
  directory: DirectoryFactory;
  store: RequestStore;
  /** Readiness scans; without it (or without `inventory`) `readiness` says it is not available. */
  scans?: ScanStore;
  /** Every group of the tenant, read with the bot's own identity, for the readiness report. */
  inventory?: Inventory;
  queue: WorkQueue;
  notifier: Notifier;
  presenter: Presenter;
  clock: Clock;
  logger: Logger;
  random: (n: number) => Uint8Array;
  settings: ServiceSettings;
  /** Called after every announced state change (the board refresh); must not throw. */
  onChange?: (req: SoaRequest) => Promise<void>;
}

/** A job's outcome: finished, left for its message to reappear, or rescheduled after a delay. */
export type Outcome = 'done' | 'retry' | { afterMs: number };

/** Keeps work a call started without waiting for it (a click's thread line, a board refresh). */
export type Track = (work: Promise<unknown>) => void;

/** Work left running after a call answered; `SoaService.idle()` waits for all of it (tests, stop). */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  readonly track: Track = (work) => {
    const t = work.catch(() => undefined).finally(() => this.running.delete(t));
    this.running.add(t);
  };

  get size(): number {
    return this.running.size;
  }

  all(): Array<Promise<unknown>> {
    return [...this.running];
  }
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function mustGet(ports: ServicePorts, id: string): Promise<SoaRequest> {
  const req = await ports.store.get(id);
  if (!req) throw new CodedError('RequestNotFound', `There is no request ${id}.`);
  return req;
}

export async function save(ports: ServicePorts, req: SoaRequest, announceIt = true): Promise<SoaRequest> {
  await ports.store.update(req);
  if (announceIt) await announce(ports, req);
  return req;
}

/**
 * Updates the card for everyone, posts a line in the thread (naming the requester), and
 * refreshes the conversation's board. Failures are logged, not fatal: the state is stored.
 */
export async function announce(
  ports: ServicePorts,
  req: SoaRequest,
  opts: { card?: boolean; quiet?: boolean } = {},
): Promise<void> {
  if (opts.card !== false) {
    try {
      await ports.notifier.updateCard(req.anchor, ports.presenter.requestCard(req));
    } catch (e) {
      ports.logger.warn('card update failed', { requestId: req.id, error: errorText(e) });
    }
  }
  try {
    const line = opts.quiet ? null : ports.presenter.threadUpdate(req);
    if (line) await ports.notifier.post(req.anchor, line);
  } catch (e) {
    ports.logger.warn('thread post failed', { requestId: req.id, error: errorText(e) });
  }
  await ports.onChange?.(req);
}

/** SNAPSHOT_MAX_MEMBERS when unset. */
export const DEFAULT_SNAPSHOT_MAX_MEMBERS = 50_000;

/** The most direct members a restore point keeps. */
export const snapshotCap = (ports: ServicePorts) => ports.settings.snapshotMaxMembers ?? DEFAULT_SNAPSHOT_MAX_MEMBERS;
