/**
 * The nesting a plan is built from: a tree read level by level, or a given set of groups, each
 * group with what a single-group card checks (its extension attributes and parent groups).
 */
import {
  MAX_PLAN_GROUPS,
  setExtensionAttributes,
  type GroupGraph,
  type NodeFacts,
  type PlanNode,
} from '../../domain/plan';
import type { BatchStep, StepResult } from './batch';
import { planNode } from './mapping';
import { allPages, fail, ok, type AppGraph, type Page, type WireGroup } from './wire';

const PLAN_SELECT = 'id,displayName,mailEnabled,securityEnabled,groupTypes,onPremisesSyncEnabled';

const PARENT_SELECT = 'id,displayName,onPremisesSyncEnabled';

/** The requests one group adds to a level batch: children, extension attributes, parents. */
function levelSteps(id: string, i: number): BatchStep[] {
  return [
    { id: `k${i}`, url: `/groups/${id}/members/microsoft.graph.group?$select=${PLAN_SELECT}&$top=999` },
    // Asked by itself, as on the single-group card: Graph's support for this property on
    // groups is recent and documented as limited, so a refusal costs only this fact.
    { id: `x${i}`, url: `/groups/${id}?$select=id,onPremisesExtensionAttributes` },
    { id: `p${i}`, url: `/groups/${id}/memberOf/microsoft.graph.group?$select=${PARENT_SELECT}&$top=999` },
  ];
}

/** A failed read becomes null (shown as "could not be read"), never a failed plan. */
function nodeFacts(ext: StepResult | undefined, parents: StepResult | undefined): NodeFacts {
  return {
    extensionAttributes: ok<WireGroup>(ext) ? setExtensionAttributes(ext.body.onPremisesExtensionAttributes) : null,
    // Over 999 direct parents: the first page is what a card can show anyway.
    parents: ok<Page<WireGroup>>(parents)
      ? parents.body.value.map((p) => ({
          id: p.id,
          displayName: p.displayName,
          onPremisesSyncEnabled: p.onPremisesSyncEnabled ?? null,
        }))
      : null,
  };
}

async function childList(graph: AppGraph, x: StepResult | undefined, id: string): Promise<PlanNode[]> {
  if (!ok<Page<WireGroup>>(x)) throw fail(x, id);
  const first = x.body.value.map(planNode);
  const nextLink = x.body['@odata.nextLink'];
  if (!nextLink) return first;
  // Rare (over 999 child groups): the rest comes page by page.
  const rest = await allPages<WireGroup>(graph.client, { value: [], '@odata.nextLink': nextLink }, MAX_PLAN_GROUPS);
  return [...first, ...rest.items.map(planNode)];
}

/**
 * One level of a plan walk: for each id its child groups, its parent groups and its
 * extension attributes (what a single-group card checks), in batches of 20 sent together:
 * one round trip per call.
 */
async function levelOf(
  graph: AppGraph,
  ids: string[],
): Promise<{ kids: Map<string, PlanNode[]>; facts: Map<string, NodeFacts> }> {
  const r = await graph.batch(ids.flatMap((id, i) => levelSteps(id, i)));
  const kids = new Map<string, PlanNode[]>();
  const facts = new Map<string, NodeFacts>();
  for (const [i, id] of ids.entries()) {
    kids.set(id, await childList(graph, r.get(`k${i}`), id));
    facts.set(id, nodeFacts(r.get(`x${i}`), r.get(`p${i}`)));
  }
  return { kids, facts };
}

/** The group and every group nested below it: one batched round trip per level. */
export async function readTree(graph: AppGraph, rootId: string, maxGroups: number): Promise<GroupGraph> {
  // The root, its children and its prerequisites in one round trip; then one round trip per level.
  const first = await graph.batch([
    { id: 'root', url: `/groups/${rootId}?$select=${PLAN_SELECT}` },
    ...levelSteps(rootId, 0),
  ]);
  const root = first.get('root');
  if (!ok<WireGroup>(root)) throw fail(root, rootId);
  const nodes = new Map<string, PlanNode>([[rootId, planNode(root.body)]]);
  const facts = new Map<string, NodeFacts>([[rootId, nodeFacts(first.get('x0'), first.get('p0'))]]);
  const children = new Map<string, string[]>();
  let frontier = [rootId];
  let truncated = false;
  let known: Map<string, PlanNode[]> | null = new Map([[rootId, await childList(graph, first.get('k0'), rootId)]]);
  while (frontier.length) {
    let kids: Map<string, PlanNode[]>;
    if (known) kids = known;
    else {
      const level = await levelOf(graph, frontier);
      kids = level.kids;
      for (const [id, f] of level.facts) facts.set(id, f);
    }
    known = null;
    const next: string[] = [];
    for (const [parent, list] of kids) {
      children.set(
        parent,
        list.map((c) => c.id),
      );
      for (const c of list) {
        if (nodes.has(c.id)) continue;
        if (nodes.size >= maxGroups) {
          truncated = true;
          continue;
        }
        nodes.set(c.id, c);
        next.push(c.id);
      }
    }
    frontier = next;
  }
  return { nodes, children, truncated, facts };
}

/** The given groups and the nesting among them (one batched round of child reads). */
export async function readSet(graph: AppGraph, groupIds: string[], maxGroups: number): Promise<GroupGraph> {
  const ids = [...new Set(groupIds)].slice(0, maxGroups);
  const r = await graph.batch(ids.map((id, i) => ({ id: String(i), url: `/groups/${id}?$select=${PLAN_SELECT}` })));
  const nodes = new Map<string, PlanNode>();
  ids.forEach((id, i) => {
    const x = r.get(String(i));
    if (ok<WireGroup>(x)) nodes.set(id, planNode(x.body));
    else if ((x as StepResult | undefined)?.status !== 404) throw fail(x, id);
  });
  const { kids, facts } = await levelOf(graph, [...nodes.keys()]);
  const children = new Map<string, string[]>();
  for (const [parent, list] of kids)
    children.set(
      parent,
      list.map((c) => c.id).filter((c) => nodes.has(c)),
    );
  return { nodes, children, truncated: groupIds.length > maxGroups, facts };
}
