/**
 * Graph's strictness on `$filter`: properties and operators outside a resource's list are
 * refused, and "advanced" ones need `ConsistencyLevel: eventual` plus `$count=true`.
 */
import { ODataSyntaxError, type Node } from './ast';

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
      `Operator '${op}' is not supported because the required parameters might be missing. ` +
        'Try adding $count=true query parameter and ConsistencyLevel:eventual header. ' +
        'Refer to https://aka.ms/graph-docs/advanced-queries for more information',
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
