/**
 * CSV text (RFC 4180) that is safe to open in a spreadsheet. Pure: no I/O.
 *
 * - Records end with CRLF; a field holding a comma, a double quote, CR or LF is quoted, with
 *   embedded quotes doubled.
 * - Formula injection (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`, `@`,
 *   tab or CR is prefixed with a single quote, so a spreadsheet shows it as text instead of
 *   evaluating it. Group names, reasons and error texts come from people and from the
 *   directory, so every text cell is treated as untrusted. A text cell that merely looks like a
 *   number ("-1") is prefixed too: telling a number from a formula such as "-1+cmd|..." would
 *   need a parser that agrees with every spreadsheet's, and a readable `'-1` is a small price.
 *   Values passed as JS numbers are written as they are: they come from our own code, and
 *   `String(n)` of a finite number cannot carry a formula.
 * - The text starts with a UTF-8 byte order mark: Excel reads a CSV without one in the local
 *   ANSI code page and garbles non-ASCII group and person names. A program reading the file
 *   should strip a leading U+FEFF (most CSV libraries do).
 */

export type CsvCell = string | number | null | undefined;

export const UTF8_BOM = '\uFEFF';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, escaped. */
export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // NaN and ±Infinity are not data any spreadsheet can use; leave the cell empty.
    return Number.isFinite(value) ? String(value) : '';
  }
  let text = String(value);
  if (text.length > 0 && FORMULA_START.has(text[0]!)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: BOM, header record, then one record per row, each ending with CRLF. */
export function toCsv(header: string[], rows: CsvCell[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvField).join(','));
  return `${UTF8_BOM}${lines.map((l) => `${l}\r\n`).join('')}`;
}
