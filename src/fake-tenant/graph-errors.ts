/** Graph-shaped responses and errors. */
import { randomUUID } from 'node:crypto';

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  requestId: string = randomUUID(),
  headers: Record<string, string> = {},
): GraphResponse {
  const date = new Date().toISOString().replace(/\.\d+Z$/, '');
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, 'request-id': requestId, 'client-request-id': requestId, ...headers },
    body: { error: { code, message, innerError: { date, 'request-id': requestId, 'client-request-id': requestId } } },
  };
}

export const fail = {
  badRequest: (message: string) => new GraphFailure(400, 'BadRequest', message),
  requestBadRequest: (message: string) => new GraphFailure(400, 'Request_BadRequest', message),
  unsupportedQuery: (message: string) => new GraphFailure(400, 'Request_UnsupportedQuery', message),
  notFound: (id: string) =>
    new GraphFailure(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  invalidId: (id: string) => new GraphFailure(400, 'Request_BadRequest', `Invalid object identifier '${id}'.`),
  denied: () =>
    new GraphFailure(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  methodNotAllowed: () =>
    new GraphFailure(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  segment: (seg: string) => new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${seg}'.`),
  badJson: () =>
    new GraphFailure(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
};
