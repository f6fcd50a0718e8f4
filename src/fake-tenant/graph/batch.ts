/**
 * POST /$batch (JSON batching): up to 20 steps, run concurrently except where `dependsOn`
 * orders them; a step whose dependency failed answers 424 without running.
 */
import { randomUUID } from 'node:crypto';
import type { HttpReply } from '../http';
import { errorResponse, fail } from './errors';
import { ok, parseJsonObject } from './responses';
import type { GraphRequest, Json } from './types';

const MAX_BATCH = 20;

interface Step {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

/** Runs one request of the batch as a Graph call of its own (authentication, faults, log). */
export type StepRunner = (req: GraphRequest) => Promise<HttpReply>;

/** `rest`: the path segments after /$batch (none are allowed). */
export function batch(req: GraphRequest, rest: string[], version: string, run: StepRunner): Promise<HttpReply> {
  if (rest.length) throw fail.segment(rest[0]!);
  if (req.method !== 'POST') throw fail.methodNotAllowed();
  return runBatch(req, version, run);
}

async function runBatch(req: GraphRequest, version: string, run: StepRunner): Promise<HttpReply> {
  const steps = parseSteps(parseJsonObject(req.body));
  const batchId = randomUUID();
  const results = new Map<string, Promise<HttpReply>>();
  for (const s of steps) {
    const runStep = async (): Promise<HttpReply> => {
      const deps = await Promise.all(s.dependsOn.map((d) => results.get(d)!));
      if (deps.some((d) => d.status >= 400)) {
        return errorResponse(
          424,
          'FailedDependency',
          'The request could not be processed because a request it depends on failed.',
        );
      }
      let rel = s.url.startsWith('/') ? s.url : `/${s.url}`;
      // The JS SDK's BatchRequestContent strips only scheme and host from absolute URLs,
      // leaving the version segment in; accept it when it names the batch's own version.
      if (rel.startsWith(`/${version}/`)) rel = rel.slice(version.length + 1);
      const qIndex = rel.indexOf('?');
      const path = `/${version}${qIndex >= 0 ? rel.slice(0, qIndex) : rel}`;
      const query = new URLSearchParams(qIndex >= 0 ? rel.slice(qIndex + 1) : '');
      return run({
        method: s.method,
        path,
        query,
        headers: { ...s.headers, authorization: req.headers.authorization },
        body: s.body === undefined ? undefined : typeof s.body === 'string' ? s.body : JSON.stringify(s.body),
        origin: req.origin,
        batchId,
        batchRequestId: s.id,
      });
    };
    results.set(s.id, runStep());
  }
  const responses = [];
  for (const s of steps) {
    const r = await results.get(s.id)!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers))
      if (!['request-id', 'client-request-id'].includes(k.toLowerCase()) || k === 'request-id') headers[k] = v;
    responses.push({ id: s.id, status: r.status, headers, ...(r.body !== undefined ? { body: r.body } : {}) });
  }
  return ok({ responses });
}

function parseSteps(body: Json): Step[] {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    throw fail.badRequest('Invalid batch payload format: a non-empty "requests" array is required.');
  if (requests.length > MAX_BATCH)
    throw fail.badRequest(`Number of batch request steps exceeds the maximum of ${MAX_BATCH}.`);
  const ids = new Set<string>();
  const steps: Step[] = [];
  for (const raw of requests) {
    if (!raw || typeof raw !== 'object')
      throw fail.badRequest('Invalid batch payload format: each request must be an object.');
    const r = raw as Json;
    const id = r.id;
    if (typeof id !== 'string' || !id)
      throw fail.badRequest('Invalid batch payload format: each request needs a string "id".');
    if (ids.has(id)) throw fail.badRequest(`Batch request contains duplicate request id '${id}'.`);
    ids.add(id);
    if (typeof r.method !== 'string' || !/^(GET|POST|PATCH|PUT|DELETE)$/i.test(r.method))
      throw fail.badRequest(`Invalid or missing method in request '${id}'.`);
    if (typeof r.url !== 'string' || !r.url || /^https?:/i.test(r.url))
      throw fail.badRequest(`Request '${id}' must have a relative "url".`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (!r.headers || typeof r.headers !== 'object' || Array.isArray(r.headers))
        throw fail.badRequest(`Invalid headers in request '${id}'.`);
      for (const [k, v] of Object.entries(r.headers as Json)) headers[k.toLowerCase()] = String(v);
    }
    if (r.body !== undefined && !headers['content-type'])
      throw fail.badRequest(`Write request id : ${id} does not contain Content-Type header or body.`);
    const dependsOn = r.dependsOn === undefined ? [] : r.dependsOn;
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string'))
      throw fail.badRequest(`Invalid dependsOn in request '${id}'.`);
    steps.push({
      id,
      method: r.method.toUpperCase(),
      url: r.url,
      headers,
      body: r.body,
      dependsOn: dependsOn as string[],
    });
  }
  for (const s of steps) {
    for (const d of s.dependsOn) {
      const idx = steps.findIndex((x) => x.id === d);
      if (idx < 0 || idx >= steps.indexOf(s))
        throw fail.badRequest(`Request '${s.id}' depends on '${d}', which does not precede it in the batch.`);
    }
  }
  return steps;
}
