import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const src = join(__dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('architecture: import boundaries', () => {
  it('domain/ imports nothing but domain/', () => {
    for (const f of files(join(src, 'domain'))) {
      for (const i of imports(f)) assert.ok(i.startsWith('./'), `${f} imports ${i}`);
    }
  });

  it('services/ import only domain/ and ports/', () => {
    for (const f of files(join(src, 'services'))) {
      for (const i of imports(f))
        assert.ok(/^\.\.\/(domain|ports)\//.test(i) || i.startsWith('./'), `${f} imports ${i}`);
    }
  });

  it('nothing outside the local launcher imports the fake tenant', () => {
    for (const f of files(src)) {
      if (f.includes(`${join('src', 'fake-tenant')}`) || f.endsWith('local.ts')) continue;
      for (const i of imports(f)) assert.ok(!i.includes('fake-tenant'), `${f} imports ${i}`);
    }
  });

  it('process.env is read only by config and the launchers', () => {
    for (const f of files(src)) {
      if (/(config|local|main|env-file|certs|package-app)\.ts$/.test(f)) continue;
      assert.ok(!/process\.env/.test(readFileSync(f, 'utf8')), `${f} reads process.env`);
    }
  });
});
