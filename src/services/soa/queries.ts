/** Reading: group names resolved, a group checked, requests listed, the user's standing. */
import type { SoaAction, Target } from '../../domain/command';
import { approverStanding, mayApprove, ROLE_LABEL } from '../../domain/policy';
import { evaluate, isBlocked, type CheckRow, type GroupFacts } from '../../domain/prerequisites';
import { approvalBy, isMultiApproval, mayApproveNow } from '../../domain/quorum';
import type { Person, SoaRequest } from '../../domain/request';
import type { GroupMatch } from '../../ports/directory';
import { snapshotCap, type ServicePorts } from './shared';

export interface Resolution {
  resolved: GroupMatch[];
  ambiguous: Array<{ name: string; matches: GroupMatch[] }>;
  missing: Array<{ name: string; suggestions: GroupMatch[] }>;
}

export async function resolve(ports: ServicePorts, targets: Target[], unsplit?: string): Promise<Resolution> {
  const app = ports.directory.app();
  if (unsplit) {
    const whole = (await app.findGroups([unsplit])).get(unsplit) ?? [];
    if (whole.length) return classify([[unsplit, whole]]);
  }
  const names = targets.map((t) => t.name);
  const found = await app.findGroups(names);
  const pairs: Array<[string, GroupMatch[]]> = names.map((n) => [n, found.get(n) ?? []]);
  const res = classify(pairs);
  for (const m of res.missing) m.suggestions = (await app.suggestGroups(m.name)).slice(0, 5);
  return res;
}

function classify(pairs: Array<[string, GroupMatch[]]>): Resolution {
  const res: Resolution = { resolved: [], ambiguous: [], missing: [] };
  for (const [name, matches] of pairs) {
    if (matches.length === 1) {
      if (!res.resolved.some((g) => g.id === matches[0]!.id)) res.resolved.push(matches[0]!);
    } else if (matches.length > 1) res.ambiguous.push({ name, matches });
    else res.missing.push({ name, suggestions: [] });
  }
  return res;
}

export interface CheckResult {
  facts: GroupFacts;
  checks: CheckRow[];
  blocked: boolean;
}

export async function check(ports: ServicePorts, groupId: string, action: SoaAction): Promise<CheckResult> {
  const facts = await ports.directory.app().readFacts(groupId, action);
  const checks = evaluate(facts, action, ports.settings.minimums, snapshotCap(ports));
  return { facts, checks, blocked: isBlocked(checks) };
}

export async function get(ports: ServicePorts, id: string): Promise<SoaRequest | null> {
  return ports.store.get(id.toUpperCase());
}

export async function mine(ports: ServicePorts, userId: string): Promise<SoaRequest[]> {
  return ports.store.list({ requesterId: userId, limit: 20 });
}

export async function forGroup(ports: ServicePorts, groupId: string): Promise<SoaRequest[]> {
  return ports.store.list({ groupId, limit: 10 });
}

export interface Pending {
  requests: SoaRequest[];
  canApprove: boolean;
  reason?: string;
  /** When a waiting request needs several approvals: what waits for you per stage, and what you approved. */
  stages?: { first: SoaRequest[]; second: SoaRequest[]; approvedByYou: SoaRequest[] };
}

/** Requests waiting for a decision that this user may take (roles read with their token). */
export async function pendingFor(ports: ServicePorts, user: Person): Promise<Pending> {
  const { policy } = ports.settings;
  const waiting = await ports.store.list({ states: ['awaiting_approval'], limit: 50 });
  const now = ports.clock.now().toISOString();
  const open = waiting.filter((r) => r.expiresAt > now);
  const me = await ports.directory.forUser(user).whoAmI();
  const verdicts = open.map((r) => ({ r, v: mayApproveNow(policy, r, me) }));
  const allowed = verdicts.filter((x) => x.v.ok).map((x) => x.r);
  const probe = open[0] ? mayApprove(policy, open[0], me) : null;
  const atStage = (stage: number) => verdicts.filter((x) => x.v.ok && x.v.stage === stage).map((x) => x.r);
  return {
    requests: allowed,
    canApprove: allowed.length > 0 || !probe || probe.ok,
    ...(probe && !probe.ok && !allowed.length ? { reason: probe.reason } : {}),
    ...(open.some(isMultiApproval)
      ? { stages: { first: atStage(1), second: atStage(2), approvedByYou: open.filter((r) => approvalBy(r, me.id)) } }
      : {}),
  };
}

export interface Standing {
  name: string;
  roles: string[];
  canApprove: boolean;
  reason?: string;
  /** With a second stage: whether the user is a member of its group (may approve there). */
  secondStage?: boolean;
}

/**
 * Who the user is to Entra ID through the on-behalf-of path (the same one Approve uses), and
 * whether their active roles let them approve: `sign in` answers with this.
 */
export async function standing(ports: ServicePorts, user: Person): Promise<Standing> {
  const me = await ports.directory.forUser(user).whoAmI();
  const verdict = approverStanding(ports.settings.policy, me);
  const board = ports.settings.policy.secondStage?.groupId;
  return {
    ...(board ? { secondStage: me.groupIds.some((g) => g.toLowerCase() === board) } : {}),
    name: me.name,
    roles: me.roles.map((r) => ROLE_LABEL[r] ?? r),
    canApprove: verdict.ok,
    ...(verdict.ok ? {} : { reason: verdict.reason }),
  };
}
