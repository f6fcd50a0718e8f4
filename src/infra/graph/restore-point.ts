/**
 * A group's restore point with the bot's own identity (Group.Read.All): its properties, owners,
 * direct members, parents and source of authority in one $batch, then the rest of each list page
 * by page. A part that fails is named as unread; the others are kept.
 */
import type { DirectoryRef, RestorePoint, SnapshotPart } from '../../domain/restore-point';
import type { BatchStep, StepResult } from './batch';
import { allPages, ok, type AppGraph, type Page } from './wire';

interface WireRef {
  id: string;
  '@odata.type'?: string;
  displayName?: string;
}
interface WireGroupProps {
  displayName?: string | null;
  description?: string | null;
  mail?: string | null;
  mailEnabled?: boolean | null;
  securityEnabled?: boolean | null;
  proxyAddresses?: string[] | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesExtensionAttributes?: Record<string, string | null> | null;
}

const GROUP_SELECT = 'id,displayName,description,mail,mailEnabled,securityEnabled,proxyAddresses,onPremisesSyncEnabled';
const PAGE = 999;
const eventual = { ConsistencyLevel: 'eventual' };

function steps(groupId: string): BatchStep[] {
  const soa = `id eq '${groupId}' and onPremisesSyncBehavior/isCloudManaged eq true`;
  return [
    { id: 'group', url: `/groups/${groupId}?$select=${GROUP_SELECT}` },
    // Asked separately, as for the card: a failure here must not lose the rest.
    { id: 'ext', url: `/groups/${groupId}?$select=id,onPremisesExtensionAttributes` },
    { id: 'owners', url: `/groups/${groupId}/owners?$select=id&$top=${PAGE}` },
    // $count gives the total in the first page, said when the list is cut.
    { id: 'members', url: `/groups/${groupId}/members?$select=id&$top=${PAGE}&$count=true`, headers: eventual },
    { id: 'parents', url: `/groups/${groupId}/memberOf/microsoft.graph.group?$select=id,displayName&$top=${PAGE}` },
    {
      id: 'soa',
      url: `/groups?$filter=${encodeURIComponent(soa)}&$count=true&$select=id`,
      headers: eventual,
    },
  ];
}

const kindOf = (t: string | undefined): string =>
  (t ?? '#microsoft.graph.directoryObject').replace(/^#?microsoft\.graph\./, '');

/** Every page of a list up to `max` items; null when a page failed. */
async function list(
  graph: AppGraph,
  r: StepResult | undefined,
  max: number,
): Promise<{ items: WireRef[]; truncated: boolean; count: number | null } | null> {
  if (!ok<Page<WireRef> & { '@odata.count'?: number }>(r)) return null;
  try {
    const all = await allPages<WireRef>(graph.client, r.body, max);
    return { ...all, count: typeof r.body['@odata.count'] === 'number' ? r.body['@odata.count'] : null };
  } catch {
    return null;
  }
}

export async function readRestorePoint(
  graph: AppGraph,
  groupId: string,
  maxMembers: number,
  readAt: () => string,
): Promise<RestorePoint> {
  const at = readAt();
  const r = await graph.batch(steps(groupId));
  const unread: SnapshotPart[] = [];
  const group = ok<WireGroupProps>(r.get('group')) ? (r.get('group')!.body as WireGroupProps) : null;
  if (!group) unread.push('group');
  const extBody = ok<WireGroupProps>(r.get('ext')) ? (r.get('ext')!.body as WireGroupProps) : null;
  if (!extBody) unread.push('extensionAttributes');
  const owners = await list(graph, r.get('owners'), maxMembers);
  if (!owners || owners.truncated) unread.push('owners');
  const members = await list(graph, r.get('members'), maxMembers);
  if (!members) unread.push('members');
  const parents = await list(graph, r.get('parents'), maxMembers);
  if (!parents || parents.truncated) unread.push('parents');
  const soa = r.get('soa');
  const soaBody = ok<Page<WireRef>>(soa) ? soa.body : null;
  if (!soaBody) unread.push('sourceOfAuthority');
  const refs = (items: WireRef[] | undefined): DirectoryRef[] =>
    (items ?? []).map((o) => ({ id: o.id, type: kindOf(o['@odata.type']) }));
  const ext: Record<string, string> = {};
  for (const [k, v] of Object.entries(extBody?.onPremisesExtensionAttributes ?? {})) if (v) ext[k] = v;
  return {
    groupId,
    readAt: at,
    displayName: group?.displayName ?? null,
    description: group?.description ?? null,
    mail: group?.mail ?? null,
    mailEnabled: group?.mailEnabled ?? null,
    securityEnabled: group?.securityEnabled ?? null,
    proxyAddresses: group?.proxyAddresses ?? [],
    extensionAttributes: ext,
    owners: refs(owners?.items),
    members: refs(members?.items),
    ...(members?.truncated ? { membersCut: { total: members.count } } : {}),
    parents: (parents?.items ?? []).map((p) => ({ id: p.id, displayName: p.displayName ?? p.id })),
    isCloudManaged: soaBody ? soaBody.value.length > 0 : null,
    onPremisesSyncEnabled: group?.onPremisesSyncEnabled ?? null,
    unread,
  };
}
