/** Parses a `$filter` into its syntax tree: and, or, not, comparisons, functions, any() lambdas. */
import { ODataSyntaxError, type CmpOp, type Literal, type Node, type Operand } from './ast';
import { tokenize, type Token } from './tokenize';

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
