/** Splits a `$filter` into tokens: names, string, number and date literals, punctuation. */
import { DATETIME, ODataSyntaxError, type Literal } from './ast';

export type Token = {
  kind: 'ident' | 'string' | 'number' | 'datetime' | 'punct';
  text: string;
  pos: number;
  value?: Literal;
};

export function tokenize(src: string): Token[] {
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
