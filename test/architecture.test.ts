/**
 * The layers' import rules, checked on every module specifier a file names: static imports,
 * `export … from`, dynamic `import()` and `require()` (read with TypeScript's own scanner).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(__dirname, '..');
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Import {
  file: string;
  /** As written. */
  spec: string;
  /** For a relative import: the folder under src/ it reaches (`domain`, `ports`, …, or `.` for src/ itself). */
  layer: string | null;
}

function importsOf(file: string): Import[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map(({ fileName: spec }) => {
    if (!spec.startsWith('.')) return { file, spec, layer: null };
    const target = relative(src, resolve(dirname(file), spec));
    return { file, spec, layer: target.includes(sep) ? target.split(sep)[0]! : '.' };
  });
}

function layerFiles(layer: string): Import[] {
  return files(join(src, layer)).flatMap(importsOf);
}

const show = (i: Import) => `${relative(root, i.file)} imports ${i.spec}`;

/** Packages that speak to Teams or Graph: only bot/, infra/ and the composition root use them. */
const PLATFORM = /^(botbuilder|botframework-|@microsoft\/teams-ai|@microsoft\/microsoft-graph-client|@azure\/)/;

/** Date libraries without I/O: the domain reads times and zones with them. */
const PURE_DATES = /^(luxon|chrono-node)$/;

describe('architecture: import boundaries', () => {
  it('the scanner sees static, re-exported, dynamic and require imports', () => {
    const text = "import a from './a';\nexport { b } from './b';\nconst c = import('./c');\nconst d = require('./d');";
    const seen = ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
    assert.deepEqual(seen.sort(), ['./a', './b', './c', './d']);
  });

  it('domain/ imports nothing but domain/ and the pure date libraries (luxon, chrono-node)', () => {
    for (const i of layerFiles('domain')) {
      if (i.layer === null) assert.ok(PURE_DATES.test(i.spec), show(i));
      else assert.equal(i.layer, 'domain', show(i));
    }
  });

  it('ports/ import only domain/ and ports/', () => {
    for (const i of layerFiles('ports')) assert.ok(i.layer === 'domain' || i.layer === 'ports', show(i));
  });

  it('services/ import only domain/, ports/ and services/ (no Teams, no Graph, no infra)', () => {
    for (const i of layerFiles('services')) {
      assert.ok(i.layer === 'domain' || i.layer === 'ports' || i.layer === 'services', show(i));
    }
  });

  it('views/ import domain/, ports/ and views/, and no Teams or Graph package', () => {
    for (const i of layerFiles('views')) {
      if (i.layer === null) assert.ok(!PLATFORM.test(i.spec), show(i));
      else assert.ok(['domain', 'ports', 'views'].includes(i.layer), show(i));
    }
  });

  it('bot/ does not import infra/ (the composition root wires it in)', () => {
    for (const i of layerFiles('bot')) assert.ok(i.layer !== 'infra' && i.layer !== 'fake-tenant', show(i));
  });

  it('nothing outside the local launcher imports the fake tenant', () => {
    for (const f of files(src)) {
      if (f.startsWith(join(src, 'fake-tenant')) || f === join(src, 'local.ts')) continue;
      for (const i of importsOf(f)) assert.notEqual(i.layer, 'fake-tenant', show(i));
    }
  });

  it('process.env is read only by config and the launchers', () => {
    for (const f of files(src)) {
      if (/(config|local|main|env-file|certs|package-app)\.ts$/.test(f)) continue;
      assert.ok(!/process\.env/.test(readFileSync(f, 'utf8')), `${relative(root, f)} reads process.env`);
    }
  });
});
