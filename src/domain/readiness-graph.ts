/**
 * Group nesting as a graph of node numbers, for the readiness report: strongly connected
 * components (nesting cycles), nesting depth and bottom-up waves. Pure and iterative: a tenant
 * may nest thousands of groups in one chain, so nothing here recurses.
 */

/** `out[v]`: the child groups of node v (each once; a group may list itself). */
export type Nesting = ReadonlyArray<ReadonlyArray<number>>;

export interface Components {
  /** The component of each node; -1 for a node left out. */
  comp: Int32Array;
  /** Nodes per component. */
  size: number[];
  /**
   * Components are numbered in the order Tarjan's algorithm closes them: every component
   * reachable from component c has a smaller number than c, so walking them from 0 upwards
   * meets the children before their parents.
   */
  count: number;
}

/**
 * Tarjan's strongly connected components over the nodes `keep` accepts (all when omitted),
 * following only edges between kept nodes. Linear in nodes and edges, with explicit stacks.
 */
export function components(out: Nesting, keep: (v: number) => boolean = () => true): Components {
  const n = out.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n).fill(-1);
  const size: number[] = [];
  const stack: number[] = [];
  const calls: number[] = [];
  const next: number[] = [];
  let counter = 0;

  const enter = (v: number) => {
    index[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = 1;
    calls.push(v);
    next.push(0);
  };

  for (let s = 0; s < n; s++) {
    if (index[s] !== -1 || !keep(s)) continue;
    enter(s);
    while (calls.length) {
      const top = calls.length - 1;
      const v = calls[top]!;
      const edges = out[v]!;
      const i = next[top]!;
      if (i < edges.length) {
        next[top] = i + 1;
        const w = edges[i]!;
        if (!keep(w)) continue;
        if (index[w] === -1) enter(w);
        else if (onStack[w]) low[v] = Math.min(low[v]!, index[w]!);
        continue;
      }
      calls.pop();
      next.pop();
      if (calls.length) {
        const u = calls[calls.length - 1]!;
        low[u] = Math.min(low[u]!, low[v]!);
      }
      if (low[v] !== index[v]) continue;
      const c = size.length;
      let members = 0;
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        comp[w] = c;
        members++;
      } while (w !== v);
      size.push(members);
    }
  }
  return { comp, size, count: size.length };
}

/** The nodes of each component. */
function membersOf(c: Components): number[][] {
  const members: number[][] = Array.from({ length: c.count }, () => []);
  c.comp.forEach((k, v) => {
    if (k >= 0) members[k]!.push(v);
  });
  return members;
}

/**
 * For each component, from the children up: `step(child value, child component)` over the
 * edges that leave it, combined with max; components without such edges get `base`.
 */
function upwards(out: Nesting, c: Components, base: number, step: (value: number, child: number) => number): number[] {
  const members = membersOf(c);
  const value: number[] = new Array<number>(c.count).fill(base);
  for (let k = 0; k < c.count; k++) {
    let best = base;
    for (const v of members[k]!)
      for (const w of out[v]!) {
        const d = c.comp[w]!;
        if (d >= 0 && d !== k) best = Math.max(best, step(value[d]!, d));
      }
    value[k] = best;
  }
  return value;
}

/**
 * Levels of groups below each node. A nesting cycle counts each of its groups once: the
 * groups of a cycle are below one another, and a walk down through a cycle meets each of them
 * once before it leaves the cycle. So a node's depth is the other groups of its own cycle plus
 * the deepest walk below the cycle, where entering a component counts all of its groups.
 */
export function depths(out: Nesting, c: Components): Int32Array {
  const below = upwards(out, c, 0, (value, child) => c.size[child]! + value);
  const depth = new Int32Array(out.length);
  c.comp.forEach((k, v) => {
    if (k >= 0) depth[v] = c.size[k]! - 1 + below[k]!;
  });
  return depth;
}

/**
 * The bottom-up wave of each kept node: 1 when no kept child, else 1 + the highest wave of
 * its kept children; a cycle's groups share one wave. 0 for a node left out.
 */
export function waves(out: Nesting, c: Components): Int32Array {
  const wave = upwards(out, c, 1, (value) => value + 1);
  const result = new Int32Array(out.length);
  c.comp.forEach((k, v) => {
    if (k >= 0) result[v] = wave[k]!;
  });
  return result;
}

/** Whether each node is part of a nesting cycle (a component of two or more, or a group in itself). */
export function inCycle(out: Nesting, c: Components): Uint8Array {
  const cyclic = new Uint8Array(out.length);
  out.forEach((edges, v) => {
    const k = c.comp[v]!;
    if (k >= 0 && (c.size[k]! > 1 || edges.includes(v))) cyclic[v] = 1;
  });
  return cyclic;
}
