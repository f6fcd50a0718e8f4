/** The checks only a switch to the cloud has: nesting below and above, extension attributes, later AD edits. Pure. */
import type { GroupFacts, TreeNode } from './group-facts';
import { list, type CheckRow } from './check-row';

/** Bottom-up order for the groups still managed in AD below this one: deepest first. */
export function bottomUpOrder(f: GroupFacts): TreeNode[] {
  return f.descendants
    .filter((d) => d.onPremisesSyncEnabled === true)
    .sort((a, b) => b.depth - a.depth || a.displayName.localeCompare(b.displayName));
}

/**
 * Whether the lowest-first order is known from the facts: depth 2 means "below a direct child",
 * so the order among several such groups is not known without reading the tree level by level.
 */
function chainKnown(order: TreeNode[]): boolean {
  return order.filter((d) => d.depth >= 2).length <= 1;
}

/** "A → B → Group", at most 12 groups before the one asked for. */
function chain(order: TreeNode[], group: string): string {
  const names = order
    .map((g) => g.displayName)
    .slice(0, 12)
    .join(' → ');
  return `${names}${order.length > 12 ? ' → …' : ''} → ${group}`;
}

export function childrenRow(f: GroupFacts): CheckRow {
  const adChildren = f.children.filter((c) => c.onPremisesSyncEnabled === true);
  const order = bottomUpOrder(f);
  if (adChildren.length === 0 && order.length === 0)
    return {
      id: 'children',
      title: 'Nested groups',
      status: 'pass',
      detail: f.children.length ? `Child groups are already cloud-managed: ${list(f.children)}.` : 'No child groups.',
    };
  const name = f.group.displayName;
  const lowestFirst = chainKnown(order) ? `: ${chain(order, name)}` : '';
  return {
    id: 'children',
    title: 'Nested groups stay in AD',
    status: 'warn',
    detail:
      `Only this group switches; ${order.length} nested group(s) stay managed in AD: ${list(order)}. ` +
      `Microsoft recommends switching them one by one, lowest first${lowestFirst}. ` +
      `"move ${name} and its nested groups to cloud" asks for all of them as one plan in that order.`,
  };
}

export function parentsRow(f: GroupFacts): CheckRow {
  const adParents = f.parents.filter((p) => p.onPremisesSyncEnabled === true);
  if (adParents.length === 0)
    return {
      id: 'parents',
      title: 'Parent groups',
      status: 'pass',
      detail: f.parents.length ? 'No parent group is still synced from AD.' : 'Not nested in any group.',
    };
  return {
    id: 'parents',
    title: 'Parent groups still synced from AD',
    status: 'warn',
    detail:
      `Member of ${list(adParents)}, still synced from AD. No dual write: if this group is later provisioned ` +
      'back to AD, its membership in those groups is not synced.',
  };
}

export function depthRow(f: GroupFacts): CheckRow {
  const depth = f.descendants.reduce((m, d) => Math.max(m, d.depth), 0);
  const n = f.descendants.length;
  const nested =
    depth === 0
      ? 'No nested groups'
      : depth === 1
        ? `${n} nested group(s), one level deep`
        : `${n} nested group(s), more than one level deep`;
  const cycle = f.cycle ? '; the AD nesting contains a cycle' : '';
  const truncated = f.truncated
    ? '; the tree is larger than the bot reads for one card, so the list is incomplete'
    : '';
  return {
    id: 'depth',
    title: 'Nesting depth',
    status: f.cycle || f.truncated ? 'warn' : 'pass',
    detail: `${nested}${cycle}${truncated}.`,
  };
}

export function extensionAttributesRow(f: GroupFacts): CheckRow {
  const title = 'Extension attributes 1–15';
  const ext = f.group.extensionAttributes;
  if (ext === null)
    return {
      id: 'extensionAttributes',
      title,
      status: 'unknown',
      detail:
        'Could not read onPremisesExtensionAttributes. Extension attributes 1–15 are not supported after the switch.',
    };
  const set = Object.entries(ext).filter(([, v]) => v !== null && v !== '');
  return set.length
    ? {
        id: 'extensionAttributes',
        title,
        status: 'warn',
        detail: `Not supported after the switch and lost: ${set.map(([k, v]) => `${k} = ${v}`).join(', ')}.`,
      }
    : {
        id: 'extensionAttributes',
        title,
        status: 'pass',
        detail: 'None set (they are not supported after the switch).',
      };
}

export function reconciliationRow(): CheckRow {
  return {
    id: 'reconciliation',
    title: 'Later AD edits',
    status: 'warn',
    detail:
      'No reconciliation: changes made to the AD group after the switch are not carried over to the cloud ' +
      '(the sync client skips it, event 6956).',
  };
}
