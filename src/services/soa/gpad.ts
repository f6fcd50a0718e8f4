/**
 * After a move the approver marked "still needed in AD": the Group Provisioning to AD checklist
 * in the thread, once, for every group switched (one group, or each done step of a plan).
 */
import { isCoded } from '../../domain/errors';
import { gpadGroup, gpadTargets, type GpadGroup } from '../../domain/gpad';
import type { GroupFacts } from '../../domain/prerequisites';
import type { SoaRequest } from '../../domain/request';
import { errorText, type ServicePorts } from './shared';

/**
 * Posts the checklist when the request asked for it and it was not posted yet, then records
 * that it was. Each group's facts are read fresh (now cloud-managed, read as for its rollback:
 * with its cloud-only members); a group whose read fails keeps every item as a question.
 * Never fails the switch: a failure is logged.
 */
export async function postGpadChecklist(ports: ServicePorts, req: SoaRequest): Promise<SoaRequest> {
  const targets = gpadTargets(req);
  if (!targets.length) return req;
  const groups: GpadGroup[] = [];
  for (const t of targets) groups.push(gpadGroup(t.groupId, t.groupName, await factsOf(ports, req, t.groupId)));
  try {
    await ports.notifier.post(req.anchor, ports.presenter.gpadChecklist(req, groups));
  } catch (e) {
    ports.logger.warn('GPAD checklist not posted', { requestId: req.id, error: errorText(e) });
    return req;
  }
  const now = ports.clock.now().toISOString();
  const gpadPosted = [...(req.gpadPosted ?? []), ...targets.map((t) => t.groupId)];
  const marked: SoaRequest = { ...req, gpadPosted, version: req.version + 1, updatedAt: now };
  try {
    await ports.store.update(marked);
    return marked;
  } catch (e) {
    if (!isCoded(e, 'StaleVersion')) throw e;
    ports.logger.warn('GPAD checklist posted, not recorded', { requestId: req.id });
    return req;
  }
}

async function factsOf(ports: ServicePorts, req: SoaRequest, groupId: string): Promise<GroupFacts | null> {
  try {
    return await ports.directory.app().readFacts(groupId, 'rollback');
  } catch (e) {
    ports.logger.warn('GPAD facts not read', { requestId: req.id, groupId, code: isCoded(e) ? e.code : 'unexpected' });
    // One group: what was read before the approval still says its kind and SID.
    return req.plan ? null : { ...req.facts, cloudOnlyMembers: null };
  }
}
