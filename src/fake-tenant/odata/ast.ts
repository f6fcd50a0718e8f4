/**
 * The syntax tree of an OData `$filter`: the subset Microsoft Graph accepts on the resources
 * the fake tenant serves.
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

/** An ISO 8601 date and time at the start of a string (a literal in a filter, or a value). */
export const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/;
