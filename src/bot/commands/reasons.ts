/**
 * When a request needs a reason and none was given: the reason card, which carries what to
 * request once the reason is in (read back by clicks/justify.ts, checked there like any input).
 */
import { isObjectId, isRequestId, type Clauses, type SoaAction } from '../../domain/command';
import { MAX_PLAN_GROUPS } from '../../domain/plan';
import type { Turn } from '../deps';
import { sendCard } from '../reply';

/** What the reason card requests: one group, a tree, a name prefix, named groups, or a plan's rollback. */
export type ReasonScope =
  | { kind: 'group'; action: SoaAction; groupId: string }
  | { kind: 'tree'; rootId: string }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'groups'; groupIds: string[] }
  | { kind: 'rollbackPlan'; sourceId: string };

/** Posts the reason card: `requestId` is the id the request will have, `name` what it is about. */
export async function askReason(
  t: Turn,
  requestId: string,
  scope: ReasonScope,
  about: { action: SoaAction; name: string },
  clauses?: Clauses,
): Promise<void> {
  await sendCard(
    t.ctx,
    t.bot.presenter.reasonCard({
      requestId,
      requester: t.who,
      about,
      scope: JSON.stringify(scope),
      ...(clauses?.ticket ? { ticket: clauses.ticket } : {}),
      // The time clause as typed: read again when the reason is in.
      ...(clauses?.when ? { when: clauses.when } : {}),
      ...(clauses?.trial ? { trial: clauses.trial } : {}),
    }),
  );
}

/** The scope a reason card carries, checked: null for anything else. */
export function reasonScopeOf(raw: unknown): ReasonScope | null {
  let v: unknown;
  try {
    v = typeof raw === 'string' ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const id = (x: unknown) => typeof x === 'string' && isObjectId(x);
  switch (o.kind) {
    case 'group':
      return id(o.groupId) && (o.action === 'move' || o.action === 'rollback')
        ? { kind: 'group', action: o.action, groupId: o.groupId as string }
        : null;
    case 'tree':
      return id(o.rootId) ? { kind: 'tree', rootId: o.rootId as string } : null;
    case 'prefix':
      return typeof o.prefix === 'string' && o.prefix.trim() && o.prefix.length <= 256
        ? { kind: 'prefix', prefix: o.prefix }
        : null;
    case 'groups':
      return Array.isArray(o.groupIds) && o.groupIds.length > 0 && o.groupIds.length <= MAX_PLAN_GROUPS
        ? o.groupIds.every(id)
          ? { kind: 'groups', groupIds: o.groupIds as string[] }
          : null
        : null;
    case 'rollbackPlan':
      return typeof o.sourceId === 'string' && isRequestId(o.sourceId)
        ? { kind: 'rollbackPlan', sourceId: o.sourceId.toUpperCase() }
        : null;
    default:
      return null;
  }
}
