/**
 * What the app-identity reads share: the JSON shapes Graph answers with, the batch runner with
 * its failures mapped, a step's success or failure, and paging.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { CodedError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import { runBatch, type BatchStep, type StepResult } from './batch';
import { mapGraphError } from './errors';

/** A group as Graph sends it: only the properties a read selected are present. */
export interface WireGroup {
  id: string;
  displayName: string;
  description?: string | null;
  mailEnabled?: boolean;
  securityEnabled?: boolean;
  groupTypes?: string[];
  mail?: string | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
  onPremisesDomainName?: string | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
}

/** One page of a collection. */
export interface Page<T> {
  value: T[];
  '@odata.nextLink'?: string;
}

/** The app identity's Graph client and its batch runner: what every app-identity read needs. */
export interface AppGraph {
  client: Client;
  /** Runs the steps as JSON batches (or one by one for the benchmark's baseline). */
  batch(steps: BatchStep[]): Promise<Map<string, StepResult>>;
}

export function appGraph(client: Client, clock: Clock, batching: boolean): AppGraph {
  return {
    client,
    async batch(steps) {
      try {
        return await runBatch(client, steps, clock, batching);
      } catch (e) {
        throw mapGraphError(e);
      }
    },
  };
}

/** A string inside an OData literal: single quotes doubled. */
export const odataString = (s: string) => s.replace(/'/g, "''");

/** A step that succeeded; `B` names what its body then holds. */
export function ok<B>(r: StepResult | undefined): r is StepResult<B> {
  return !!r && r.status >= 200 && r.status < 300;
}

/** A failed step (or a missing answer) as a coded error. */
export function fail(r: StepResult | undefined, groupId?: string): CodedError {
  const body = r?.body as { error?: { code?: string; message?: string } } | undefined;
  return mapGraphError(
    { statusCode: r?.status ?? 0, code: body?.error?.code, message: body?.error?.message, headers: r?.headers },
    { groupId },
  );
}

/** Follows @odata.nextLink until the collection ends or `max` items are in hand. */
export async function allPages<T>(
  client: Client,
  first: Page<T>,
  max: number,
): Promise<{ items: T[]; truncated: boolean }> {
  const items = [...first.value];
  let next = first['@odata.nextLink'];
  while (next && items.length < max) {
    const page = (await client.api(next).get()) as Page<T>;
    items.push(...page.value);
    next = page['@odata.nextLink'];
  }
  return { items: items.slice(0, max), truncated: !!next || items.length > max };
}
