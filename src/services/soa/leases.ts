/** How an execution holds its request (a lease) and when it tries again (throttling, outages). */
import type { CodedError } from '../../domain/errors';
import type { SoaRequest } from '../../domain/request';
import type { WriteGuard } from '../../ports/directory';
import type { Outcome, ServicePorts } from './shared';

/**
 * Tries of a switch (or a plan's current step) while Graph throttles or is unavailable; then
 * it fails with the reason.
 */
export const MAX_EXECUTE_TRIES = 5;

/** A lease on a request in execution: owner and expiry, written with the version check. */
export function leased(ports: ServicePorts, req: SoaRequest): SoaRequest {
  const { instanceId, leaseMs } = ports.settings.worker;
  return {
    ...req,
    lease: { owner: instanceId, expiresAt: new Date(ports.clock.now().getTime() + leaseMs).toISOString() },
  };
}

/**
 * The guard of a write under the lease: before each attempt (the first and every retry the
 * Graph client makes) the lease is renewed with the version check, so an instance whose
 * lease ran out while it waited (a slow read, a Retry-After slept through) and whose request
 * another instance took over meanwhile gets StaleVersion and sends nothing; the attempt must
 * end before the renewed lease does. `hold` reads and replaces the request being executed.
 */
export function leaseGuard(ports: ServicePorts, hold: { get(): SoaRequest; set(req: SoaRequest): void }): WriteGuard {
  return async () => {
    const req = hold.get();
    const next = leased(ports, { ...req, version: req.version + 1, updatedAt: ports.clock.now().toISOString() });
    await ports.store.update(next);
    hold.set(next);
    return new Date(next.lease!.expiresAt);
  };
}

/** Throttled or unavailable: when to try again (Graph's Retry-After, else doubling from 1 s, at most a minute). */
export function later(e: CodedError, tries: number): Outcome {
  const asked = Number(e.details.retryAfterSeconds);
  return {
    afterMs: Number.isFinite(asked) && asked > 0 ? asked * 1000 : Math.min(60_000, 1000 * 2 ** Math.max(0, tries - 1)),
  };
}
