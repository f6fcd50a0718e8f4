/** Graph's success responses (one entity, or a page of a collection), JSON request bodies, injected faults. */
import type { Fault } from '../faults';
import { JSON_TYPE, type HttpReply } from '../http';
import { errorResponse, fail } from './errors';
import { isAdvanced, project, selectList } from './query';
import type { GraphRequest, Json } from './types';

export function ok(body: unknown): HttpReply {
  return { status: 200, headers: { 'Content-Type': JSON_TYPE }, body };
}

export function parseJsonObject(body: string | undefined): Json {
  if (body === undefined || body.trim() === '') throw fail.badJson();
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw fail.badJson();
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail.badJson();
  return parsed as Json;
}

const KNOWN_OPTIONS = new Set([
  '$select',
  '$filter',
  '$top',
  '$count',
  '$orderby',
  '$search',
  '$skiptoken',
  '$expand',
  '$skip',
  '$format',
]);

/** One page of a collection: $top, $skiptoken, $count and @odata.nextLink. */
export function page(
  req: GraphRequest,
  items: Json[],
  context: string,
  allowed: string[],
  defaults: string[] | null,
  type: string,
  defaultSize: number,
  maxSize: number,
): HttpReply {
  for (const key of req.query.keys()) {
    if (key.startsWith('$') && !KNOWN_OPTIONS.has(key))
      throw fail.badRequest(`Query option '${key}' is not supported.`);
  }
  if (req.query.has('$expand'))
    throw fail.unsupportedQuery('$expand is not supported by the local tenant on this resource.');
  if (req.query.has('$skip')) throw fail.badRequest("'$skip' is not supported by the service.");
  const countParam = req.query.get('$count');
  if (countParam !== null && countParam !== 'true' && countParam !== 'false')
    throw fail.badRequest(`Invalid value '${countParam}' for $count.`);
  const topRaw = req.query.get('$top');
  let size = defaultSize;
  if (topRaw !== null) {
    const n = Number(topRaw);
    if (!/^\d+$/.test(topRaw) || n < 1 || n > maxSize)
      throw fail.requestBadRequest(
        `Invalid page size specified: '${topRaw}'. Must be between 1 and ${maxSize} inclusive.`,
      );
    size = n;
  }
  let offset = 0;
  const token = req.query.get('$skiptoken');
  if (token !== null) {
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown };
      if (typeof parsed.o !== 'number' || parsed.o < 0 || !Number.isInteger(parsed.o)) throw new Error('bad');
      offset = parsed.o;
    } catch {
      throw fail.requestBadRequest('The specified page token value has expired or is invalid.');
    }
  }
  const selected = selectList(req.query, allowed, type);
  const slice = items.slice(offset, offset + size).map((o) => project(o, req.query, allowed, defaults, type));
  const body: Json = { '@odata.context': selected ? `${context}(${selected.join(',')})` : context };
  if (offset === 0 && isAdvanced(req)) body['@odata.count'] = items.length;
  if (offset + size < items.length) {
    const q = new URLSearchParams(req.query);
    q.delete('$skiptoken');
    q.set('$skiptoken', Buffer.from(JSON.stringify({ o: offset + size })).toString('base64url'));
    body['@odata.nextLink'] = `${req.origin}${req.path}?${q.toString()}`;
  }
  body.value = slice;
  return ok(body);
}

/** The answer to a call hit by an injected fault, worded as Graph words each status. */
export function faultResponse(f: Fault, requestId: string): HttpReply {
  const headers: Record<string, string> = {};
  if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
  const status = f.status!;
  if (status === 429) return errorResponse(429, 'TooManyRequests', 'Please retry again later.', requestId, headers);
  if (status === 503)
    return errorResponse(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable. Please retry later.',
      requestId,
      headers,
    );
  if (status === 504)
    return errorResponse(504, 'gatewayTimeout', 'The gateway did not receive a timely response.', requestId, headers);
  return errorResponse(
    status,
    status >= 500 ? 'generalException' : 'BadRequest',
    `Injected fault (${status}).`,
    requestId,
    headers,
  );
}
