/** How an execution holds its request (a lease) and when it tries again (throttling, outages). */
import type { CodedError } from '../../domain/errors';
import type { SoaRequest } from '../../domain/request';
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

/** Throttled or unavailable: when to try again (Graph's Retry-After, else doubling from 1 s, at most a minute). */
export function later(e: CodedError, tries: number): Outcome {
  const asked = Number(e.details.retryAfterSeconds);
  return {
    afterMs: Number.isFinite(asked) && asked > 0 ? asked * 1000 : Math.min(60_000, 1000 * 2 ** Math.max(0, tries - 1)),
  };
}
