import assert from 'node:assert/strict';
import { UTF8_BOM } from '../../src/domain/csv';

/** A strict RFC 4180 reader: CRLF-terminated records, quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  assert.ok(text.startsWith(UTF8_BOM), 'the file starts with a BOM');
  const s = text.slice(UTF8_BOM.length);
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = '';
    if (s[i] === '"') {
      i += 1;
      for (;;) {
        assert.ok(i < s.length, 'unterminated quoted field');
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += s[i];
        i += 1;
      }
    } else {
      while (i < s.length && s[i] !== ',' && s[i] !== '\r' && s[i] !== '\n') {
        assert.notEqual(s[i], '"', 'a quote inside an unquoted field');
        field += s[i];
        i += 1;
      }
    }
    record.push(field);
    if (s[i] === ',') {
      i += 1;
      continue;
    }
    assert.equal(s.slice(i, i + 2), '\r\n', `a record ends with CRLF (at ${i})`);
    i += 2;
    records.push(record);
    record = [];
  }
  assert.equal(record.length, 0, 'the last record ends with CRLF');
  return records;
}
