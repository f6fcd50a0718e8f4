/** Requests nobody decided in time: expired by a click on them, by their job, or by the periodic sweep. */
import { isCoded } from '../../domain/errors';
import { transition, type SoaRequest } from '../../domain/request';
import { hopDelay } from '../../domain/schedule';
import { announce, mustGet, type ServicePorts } from './shared';

export async function expire(ports: ServicePorts, req: SoaRequest): Promise<SoaRequest> {
  const next = transition(req, 'expired', ports.clock.now());
  try {
    await ports.store.update(next);
  } catch (e) {
    if (isCoded(e, 'StaleVersion')) return mustGet(ports, req.id);
    throw e;
  }
  await announce(ports, next);
  return next;
}

/** Expires every request past its time; run periodically. */
export async function expireDue(ports: ServicePorts): Promise<number> {
  const now = ports.clock.now().toISOString();
  const due = (await ports.store.list({ states: ['awaiting_approval'], limit: 200 })).filter((r) => r.expiresAt <= now);
  for (const r of due) await expire(ports, r);
  return due.length;
}

/** The expiry job: a request still waiting at its time expires; one woken early waits again. */
export async function expireJob(ports: ServicePorts, id: string): Promise<'done' | 'retry'> {
  const req = await ports.store.get(id);
  if (!req || req.state !== 'awaiting_approval') return 'done';
  const left = new Date(req.expiresAt).getTime() - ports.clock.now().getTime();
  if (left > 0) {
    // A scheduled request may expire further ahead than a queue hides a message: one hop at a time.
    await ports.queue.enqueue({ kind: 'expire', requestId: id }, hopDelay(req.expiresAt, ports.clock.now()));
    return 'done';
  }
  await expire(ports, req);
  return 'done';
}
