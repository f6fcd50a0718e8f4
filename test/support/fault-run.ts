/**
 * A fault-injection run from start to end, the same for every target: the groups, the driver
 * under the fault plan, the faults cleared, the approved work finished, the verdict.
 */
import type { FakeTenant } from '../../src/fake-tenant/server';
import { admin } from './fake-tenant';
import { drive, type FaultTarget } from './fault-driver';
import { FaultPlan } from './fault-plan';
import { measure, settle, type FaultVerdict } from './fault-invariants';

export interface FaultRunOptions {
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long the approved work may take to finish once the driver is done. */
  settleMs: number;
  /** Awaited after the driver, before the faults are cleared (a restart still under way). */
  afterDrive?: () => Promise<void>;
}

/** The synced groups the run asks for, one request each. */
export async function faultGroups(
  tenant: FakeTenant,
  requests: number,
): Promise<Array<{ id: string; displayName: string }>> {
  const groups = (await admin<Array<{ id: string; displayName: string }>>(tenant, 'GET', '/_fake/groups')).body ?? [];
  return groups.filter((g) => /^BIG-|^FIN-/.test(g.displayName)).slice(0, requests);
}

export async function runFaultInjection(target: FaultTarget, o: FaultRunOptions): Promise<FaultVerdict> {
  const groups = await faultGroups(target.tenant, o.requests);
  if (groups.length !== o.requests) throw new Error(`${groups.length} generated groups for ${o.requests} requests`);
  const plan = new FaultPlan(o.seed, target.tenant, target.channel);
  const started = Date.now();
  const driven = await drive(target, plan, groups, o.concurrency);
  await o.afterDrive?.();
  const driveEnd = Date.now();
  // Graph faults stay armed until used: a throttling storm must end its request as failed.
  target.channel.clearFaults();
  const ids = groups.map((g) => g.id);
  const all = await settle(target, ids, o.settleMs);
  const seconds = {
    drive: Math.round((driveEnd - started) / 1000),
    settle: Math.round((Date.now() - driveEnd) / 1000),
  };
  const verdict = await measure(target, plan, driven, all);
  return { ...verdict, figures: { ...verdict.figures, seconds } };
}
