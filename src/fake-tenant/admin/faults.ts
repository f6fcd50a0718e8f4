/** /_fake/faults: inject failures or delays into Graph and identity calls, list them, clear them. */
import type { Fault } from '../faults';
import { jsonReply, noContent, type HttpReply } from '../http';
import { adminError, type AdminContext, type AdminInput } from './context';

export function addFault(ctx: AdminContext, input: AdminInput): HttpReply {
  const f = input ?? {};
  if (typeof f.match !== 'string' || !f.match)
    return adminError(400, "'match' (a regular expression on the path) is required.");
  let match: RegExp;
  try {
    match = new RegExp(f.match);
  } catch {
    return adminError(400, `'match' is not a valid regular expression: ${f.match}`);
  }
  const count = f.count === undefined ? 1 : f.count;
  if (!Number.isInteger(count) || (count as number) < 1) return adminError(400, "'count' must be a positive integer.");
  if (
    f.status !== undefined &&
    (!Number.isInteger(f.status) || (f.status as number) < 400 || (f.status as number) > 599)
  )
    return adminError(400, "'status' must be an HTTP error status (400-599).");
  if (f.retryAfter !== undefined && (typeof f.retryAfter !== 'number' || f.retryAfter < 0))
    return adminError(400, "'retryAfter' must be a number of seconds.");
  if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0 || f.delayMs > 120_000))
    return adminError(400, "'delayMs' must be between 0 and 120000.");
  if (f.status === undefined && f.delayMs === undefined) return adminError(400, "Give 'status', 'delayMs' or both.");
  if (f.method !== undefined && typeof f.method !== 'string') return adminError(400, "'method' must be a string.");
  const fault: Fault = {
    match,
    method: f.method as string | undefined,
    status: f.status as number | undefined,
    retryAfter: f.retryAfter as number | undefined,
    delayMs: f.delayMs as number | undefined,
    count: count as number,
  };
  ctx.faults.push(fault);
  return jsonReply(201, {
    match: f.match,
    method: fault.method ?? null,
    status: fault.status ?? null,
    retryAfter: fault.retryAfter ?? null,
    delayMs: fault.delayMs ?? null,
    count: fault.count,
  });
}

export function listFaults(ctx: AdminContext): HttpReply {
  return jsonReply(
    200,
    ctx.faults.map((f) => ({
      match: f.match.source,
      method: f.method ?? null,
      status: f.status ?? null,
      retryAfter: f.retryAfter ?? null,
      delayMs: f.delayMs ?? null,
      remaining: f.count,
    })),
  );
}

export function clearFaults(ctx: AdminContext): HttpReply {
  ctx.faults.length = 0;
  return noContent();
}
