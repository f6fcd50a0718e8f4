/** Graph-shaped errors: the `{ error: { code, message, innerError } }` body and the failures handlers throw. */
import { randomUUID } from 'node:crypto';
import { JSON_TYPE, type HttpReply } from '../http';

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
): HttpReply {
  const date = new Date().toISOString().replace(/\.\d+Z$/, '');
  return {
    status,
    headers: { 'Content-Type': JSON_TYPE, 'request-id': requestId, 'client-request-id': requestId, ...headers },
    body: { error: { code, message, innerError: { date, 'request-id': requestId, 'client-request-id': requestId } } },
  };
}

export const fail = {
  badRequest: (message: string) => new GraphFailure(400, 'BadRequest', message),
  /** An expired delta state token: 400 with the code syncStateNotFound (directory resources). */
  syncStateNotFound: () =>
    new GraphFailure(400, 'syncStateNotFound', 'The delta state token has expired: read again from the start.'),
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
      'Unable to read JSON request payload. ' +
        'Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
};
