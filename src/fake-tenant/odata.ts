/**
 * The subset of OData `$filter` that Microsoft Graph accepts on the resources the fake tenant
 * serves, with Graph's strictness: properties and operators outside a resource's list are
 * refused, and "advanced" ones need `ConsistencyLevel: eventual` plus `$count=true`.
 */

export type Literal = string | number | boolean | null | Date;
export type Operand =
  { type: 'path'; path: string[] } | { type: 'lit'; value: Literal } | { type: 'list'; values: Literal[] };
export type Node =
  | { type: 'and' | 'or'; left: Node; right: Node }
  | { type: 'not'; expr: Node }
  | { type: 'cmp'; op: CmpOp; left: Operand; right: Operand }
  | { type: 'func'; name: string; args: Operand[] }
  | { type: 'any'; path: string[]; variable: string; body: Node };
export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'in';

export class ODataSyntaxError extends Error {}

type Token = { kind: 'ident' | 'string' | 'number' | 'datetime' | 'punct'; text: string; pos: number; value?: Literal };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= src.length)
          throw new ODataSyntaxError(`Syntax error: unterminated string literal at position ${i} in '${src}'.`);
        if (src[j] === "'") {
          if (src[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          } // OData escapes ' as ''
          break;
        }
        value += src[j];
        j++;
      }
      out.push({ kind: 'string', text: src.slice(i, j + 1), pos: i, value });
      i = j + 1;
      continue;
    }
    const dt = DATETIME.exec(src.slice(i));
    if (dt) {
      const d = new Date(dt[0]);
      if (Number.isNaN(d.getTime()))
        throw new ODataSyntaxError(`Syntax error: invalid date '${dt[0]}' at position ${i} in '${src}'.`);
      out.push({ kind: 'datetime', text: dt[0], pos: i, value: d });
      i += dt[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && !/[A-Za-z_]/.test(src[i + num[0].length] ?? '')) {
      out.push({ kind: 'number', text: num[0], pos: i, value: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
    if (id) {
      out.push({ kind: 'ident', text: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if ('()/,:'.includes(c)) {
      out.push({ kind: 'punct', text: c, pos: i });
      i++;
      continue;
    }
    throw new ODataSyntaxError(`Syntax error at position ${i} in '${src}'.`);
  }
  return out;
}

const CMP_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'in']);

export function parseFilter(src: string): Node {
  if (!src.trim()) throw new ODataSyntaxError('Syntax error: the filter is empty.');
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const fail = (what: string): never => {
    const t = toks[p];
    throw new ODataSyntaxError(`Syntax error: ${what} at position ${t ? t.pos : src.length} in '${src}'.`);
  };
  const expectPunct = (ch: string) => {
    const t = toks[p];
    if (!t || t.kind !== 'punct' || t.text !== ch) fail(`'${ch}' expected`);
    p++;
  };
  const isKeyword = (t: Token | undefined, kw: string) => t?.kind === 'ident' && t.text.toLowerCase() === kw;

  const parsePath = (): string[] => {
    const t = toks[p];
    if (!t || t.kind !== 'ident') return fail('property expected');
    const path = [t.text];
    p++;
    while (
      peek()?.text === '/' &&
      toks[p + 1]?.kind === 'ident' &&
      !['any', 'all'].includes(toks[p + 1]!.text.toLowerCase())
    ) {
      path.push(toks[p + 1]!.text);
      p += 2;
    }
    return path;
  };

  const parseLiteral = (): Literal => {
    const t = toks[p];
    if (!t) return fail('value expected');
    if (t.kind === 'string' || t.kind === 'number' || t.kind === 'datetime') {
      p++;
      return t.value!;
    }
    if (t.kind === 'ident') {
      const low = t.text.toLowerCase();
      if (low === 'true' || low === 'false') {
        p++;
        return low === 'true';
      }
      if (low === 'null') {
        p++;
        return null;
      }
    }
    return fail('value expected');
  };

  const parseOperand = (): Operand => {
    const t = peek();
    if (t?.kind === 'ident' && !['true', 'false', 'null'].includes(t.text.toLowerCase()))
      return { type: 'path', path: parsePath() };
    if (t?.kind === 'punct' && t.text === '(') {
      p++;
      const values: Literal[] = [parseLiteral()];
      while (peek()?.text === ',') {
        p++;
        values.push(parseLiteral());
      }
      expectPunct(')');
      return { type: 'list', values };
    }
    return { type: 'lit', value: parseLiteral() };
  };

  const parsePrimary = (): Node => {
    const t = peek();
    if (!t) return fail('expression expected');
    if (t.kind === 'punct' && t.text === '(') {
      p++;
      const inner = parseOr();
      expectPunct(')');
      return inner;
    }
    if (isKeyword(t, 'not')) {
      p++;
      return { type: 'not', expr: parsePrimary() };
    }
    if (t.kind === 'ident' && toks[p + 1]?.text === '(') {
      const name = t.text.toLowerCase();
      p += 2;
      const args: Operand[] = [parseOperand()];
      while (peek()?.text === ',') {
        p++;
        args.push(parseOperand());
      }
      expectPunct(')');
      const node: Node = { type: 'func', name, args };
      // A boolean function may still be compared: startswith(x,'a') eq true
      if (peek()?.kind === 'ident' && CMP_OPS.has(peek()!.text.toLowerCase())) {
        const op = peek()!.text.toLowerCase() as CmpOp;
        p++;
        const rhs = parseOperand();
        if (rhs.type === 'lit' && typeof rhs.value === 'boolean' && (op === 'eq' || op === 'ne')) {
          return rhs.value === (op === 'eq') ? node : { type: 'not', expr: node };
        }
        return fail('unsupported comparison of a function');
      }
      return node;
    }
    if (t.kind === 'ident') {
      const path = parsePath();
      if (peek()?.text === '/' && ['any', 'all'].includes(toks[p + 1]?.text.toLowerCase() ?? '')) {
        const fn = toks[p + 1]!.text.toLowerCase();
        if (fn === 'all') return fail("'all' is not supported");
        p += 2;
        expectPunct('(');
        const v = peek();
        if (!v || v.kind !== 'ident') return fail('lambda variable expected');
        p++;
        expectPunct(':');
        const body = parseOr();
        expectPunct(')');
        return { type: 'any', path, variable: v.text, body };
      }
      const opTok = peek();
      if (!opTok || opTok.kind !== 'ident' || !CMP_OPS.has(opTok.text.toLowerCase())) return fail('operator expected');
      const op = opTok.text.toLowerCase() as CmpOp;
      p++;
      const right = parseOperand();
      if (op === 'in' && right.type !== 'list') return fail("a list is expected after 'in'");
      return { type: 'cmp', op, left: { type: 'path', path }, right };
    }
    return fail('expression expected');
  };

  const parseAnd = (): Node => {
    let left = parsePrimary();
    while (isKeyword(peek(), 'and')) {
      p++;
      left = { type: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  function parseOr(): Node {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      p++;
      left = { type: 'or', left, right: parseAnd() };
    }
    return left;
  }
  const tree = parseOr();
  if (p !== toks.length) fail('unexpected token');
  return tree;
}

/** Which property accepts which operators; `advanced` ones need ConsistencyLevel + $count. */
export interface FilterSpec {
  resource: string;
  properties: Record<string, { ops: string[]; advancedOps?: string[] }>;
  /** `not` needs the advanced-query parameters (true for directory objects). */
  notIsAdvanced: boolean;
}

export class UnsupportedFilterError extends Error {
  constructor(
    message: string,
    readonly advancedHint: boolean,
  ) {
    super(message);
  }
}

/** Validates the tree against the spec; throws UnsupportedFilterError. */
export function checkFilter(node: Node, spec: FilterSpec, advanced: boolean): void {
  const refuse = (prop: string): never => {
    throw new UnsupportedFilterError(
      `Unsupported or invalid query filter clause specified for property '${prop}' of resource '${spec.resource}'.`,
      false,
    );
  };
  const needAdvanced = (op: string): never => {
    throw new UnsupportedFilterError(
      `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
      true,
    );
  };
  const allow = (prop: string, op: string) => {
    const rule = spec.properties[prop];
    if (!rule) return refuse(prop);
    if (rule.ops.includes(op)) return;
    if (rule.advancedOps?.includes(op)) {
      if (!advanced) needAdvanced(op);
      return;
    }
    refuse(prop);
  };
  const walk = (n: Node, lambda: { variable: string; prefix: string } | null) => {
    const name = (path: string[]) => {
      if (lambda && path[0] === lambda.variable) return [lambda.prefix, ...path.slice(1)].join('/');
      return path.join('/');
    };
    switch (n.type) {
      case 'and':
      case 'or':
        walk(n.left, lambda);
        walk(n.right, lambda);
        return;
      case 'not':
        if (spec.notIsAdvanced && !advanced) needAdvanced('not');
        walk(n.expr, lambda);
        return;
      case 'cmp': {
        if (n.left.type !== 'path') return refuse('(literal)');
        if (n.right.type === 'path') return refuse(name(n.right.path));
        allow(name(n.left.path), n.op);
        return;
      }
      case 'func': {
        const [a, b] = n.args;
        if (n.args.length !== 2 || a?.type !== 'path' || b?.type !== 'lit' || typeof b.value !== 'string') {
          throw new ODataSyntaxError(`Syntax error: ${n.name}() takes a property and a string.`);
        }
        allow(name(a.path), n.name);
        return;
      }
      case 'any':
        walk(n.body, { variable: n.variable, prefix: name(n.path) });
        return;
    }
  };
  walk(node, null);
}

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
