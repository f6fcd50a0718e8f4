/** Evaluates a `$filter` tree against a JSON-shaped object, with the directory's comparison rules. */
import { DATETIME, type CmpOp, type Literal, type Node, type Operand } from './ast';

function resolve(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    const key = Object.keys(rec).find((k) => k.toLowerCase() === seg.toLowerCase());
    cur = key === undefined ? undefined : rec[key];
  }
  return cur;
}

function norm(v: unknown): unknown {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'string') {
    if (DATETIME.test(v)) return new Date(v).getTime();
    return v.toLowerCase(); // directory string comparisons are case-insensitive
  }
  return v;
}

function compare(op: CmpOp, a: unknown, b: unknown): boolean {
  const x = norm(a);
  const y = norm(b);
  switch (op) {
    case 'eq':
      return (x ?? null) === (y ?? null);
    case 'ne':
      return (x ?? null) !== (y ?? null);
    case 'gt':
      return x !== null && y !== null && (x as number) > (y as number);
    case 'ge':
      return x !== null && y !== null && (x as number) >= (y as number);
    case 'lt':
      return x !== null && y !== null && (x as number) < (y as number);
    case 'le':
      return x !== null && y !== null && (x as number) <= (y as number);
    default:
      return false;
  }
}

/** Evaluates the tree against a JSON-shaped object. */
export function evaluate(node: Node, obj: unknown, scope: Record<string, unknown> = {}): boolean {
  const value = (o: Operand): unknown => {
    if (o.type === 'lit') return o.value;
    if (o.type === 'list') return o.values;
    const [head, ...rest] = o.path;
    if (head !== undefined && head in scope) return resolve(scope[head], rest);
    return resolve(obj, o.path);
  };
  switch (node.type) {
    case 'and':
      return evaluate(node.left, obj, scope) && evaluate(node.right, obj, scope);
    case 'or':
      return evaluate(node.left, obj, scope) || evaluate(node.right, obj, scope);
    case 'not':
      return !evaluate(node.expr, obj, scope);
    case 'cmp': {
      const left = value(node.left);
      if (node.op === 'in') return (value(node.right) as Literal[]).some((v) => compare('eq', left, v));
      return compare(node.op, left, value(node.right));
    }
    case 'func': {
      const subject = value(node.args[0]!);
      const arg = String(value(node.args[1]!)).toLowerCase();
      if (typeof subject !== 'string') return false;
      const s = subject.toLowerCase();
      if (node.name === 'startswith') return s.startsWith(arg);
      if (node.name === 'endswith') return s.endsWith(arg);
      return false;
    }
    case 'any': {
      const coll = resolve(obj, node.path);
      if (!Array.isArray(coll)) return false;
      return coll.some((item) => evaluate(node.body, obj, { ...scope, [node.variable]: item }));
    }
  }
}
