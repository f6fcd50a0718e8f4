/**
 * Token endpoint answers, errors worded the way Entra ID words them (`error`,
 * `error_description` starting with AADSTSnnnn, `error_codes`, trace and correlation ids).
 */
import { randomUUID } from 'node:crypto';

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

export function aadError(
  status: number,
  error: string,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): TokenResult {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const ts = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description:
        `AADSTS${code}: ${message} ` + `Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${ts}`,
      error_codes: [code],
      timestamp: ts,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...extra,
    },
  };
}
