import assert from 'node:assert/strict';
import { csvField, toCsv, UTF8_BOM } from '../../src/domain/csv';
import { parseCsv } from '../support/csv';

describe('domain: CSV (RFC 4180, formula-safe)', () => {
  it('writes a BOM, CRLF line ends, and quotes only what needs quoting', () => {
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        ['plain', 'x y', 'tab\tinside'],
        [1, null, undefined],
      ],
    );
    assert.equal(csv, `${UTF8_BOM}a,b,c\r\nplain,x y,tab\tinside\r\n1,,\r\n`);
    assert.equal(toCsv(['only'], []), `${UTF8_BOM}only\r\n`);
  });

  it('quotes commas, quotes, CR, LF and CRLF inside a cell', () => {
    assert.equal(csvField('Finance, EMEA'), '"Finance, EMEA"');
    assert.equal(csvField('the "Ops" team'), '"the ""Ops"" team"');
    assert.equal(csvField('"'), '""""');
    assert.equal(csvField('line 1\nline 2'), '"line 1\nline 2"');
    assert.equal(csvField('line 1\rline 2'), '"line 1\rline 2"');
    assert.equal(csvField('line 1\r\nline 2'), '"line 1\r\nline 2"');
    assert.equal(csvField(''), '');
  });

  it('defuses each formula prefix with a leading single quote, then quotes if needed', () => {
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('+1'), "'+1");
    assert.equal(csvField('@SUM(A1:A2)'), "'@SUM(A1:A2)");
    assert.equal(csvField('\tTAB'), "'\tTAB");
    assert.equal(csvField('\rCR'), `"'\rCR"`);
    assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvField('-2+3,cmd'), `"'-2+3,cmd"`);
    // Text that looks like a number is prefixed all the same: "-1" cannot be told apart from
    // "-1+cmd|' /C calc'!A0" without evaluating it, so every text cell is treated alike.
    assert.equal(csvField('-1'), "'-1");
    // Real numbers come from the bot's own code and are written as they are.
    assert.equal(csvField(-1), '-1');
    assert.equal(csvField(3), '3');
    assert.equal(csvField(0.5), '0.5');
    assert.equal(csvField(Number.NaN), '');
    // Only the first character matters.
    assert.equal(csvField('a=b'), 'a=b');
    assert.equal(csvField('R-ABC234'), 'R-ABC234');
  });

  it('round-trips through an RFC 4180 reader (formula cells come back with their quote)', () => {
    const nasty = [
      'Finance, EMEA',
      'say "hi"',
      'a\r\nb',
      'c\nd',
      'e\rf',
      '',
      'ünïcødé ✓',
      '=cmd',
      '+x',
      '-1',
      '@y',
      '\tz',
      '\rw',
      ' lead',
    ];
    const rows = [nasty, nasty.map((_, i) => (i % 2 ? i : null))];
    const parsed = parseCsv(
      toCsv(
        nasty.map((_, i) => `h${i}`),
        rows,
      ),
    );
    assert.equal(parsed.length, 3);
    assert.deepEqual(
      parsed[0],
      nasty.map((_, i) => `h${i}`),
    );
    assert.deepEqual(
      parsed[1],
      nasty.map((v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v)),
    );
    assert.deepEqual(
      parsed[2],
      nasty.map((_, i) => (i % 2 ? String(i) : '')),
    );
  });
});
