import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { fillPlaceholders, packageApp, PackageError, validateManifest } from '../../src/tools/package-app';

const root = join(__dirname, '..', '..');

/** Reads the entries of a ZIP (local headers, deflate or stored). */
function unzip(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let p = 0;
  while (buf.readUInt32LE(p) === 0x04034b50) {
    const method = buf.readUInt16LE(p + 8);
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extra = buf.readUInt16LE(p + 28);
    const name = buf.subarray(p + 30, p + 30 + nameLen).toString('utf8');
    const body = buf.subarray(p + 30 + nameLen + extra, p + 30 + nameLen + extra + size);
    out.set(name, method === 8 ? inflateRawSync(body) : Buffer.from(body));
    p += 30 + nameLen + extra + size;
  }
  return out;
}

const pngSize = (b: Buffer) => [b.readUInt32BE(16), b.readUInt32BE(20)];

describe('Teams app package', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soa-pkg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function env(name: string, text: string) {
    writeFileSync(join(dir, `.env.${name}`), text);
  }

  it(
    'fills placeholders from env/.env.<name> and .user, validates against the Teams 1.17 schema, ' +
      'zips manifest and icons',
    () => {
      env(
        'test',
        'TEAMS_APP_ID=3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90\n' +
          'BOT_DOMAIN=soa-bot.contoso.example\nAPP_NAME_SUFFIX=-test\n',
      );
      env('test.user', 'BOT_ID=7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e\n');
      const { zipPath } = packageApp({ root, envName: 'test', envDir: dir, outDir: dir });
      const entries = unzip(readFileSync(zipPath));
      assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
      const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
      assert.deepEqual(validateManifest(manifest), []);
      assert.equal(manifest.bots[0].botId, '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e');
      assert.equal(manifest.webApplicationInfo.resource, 'api://botid-7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e');
      assert.deepEqual(manifest.bots[0].scopes, ['personal', 'team', 'groupChat']);
      assert.deepEqual(
        manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title),
        ['move', 'rollback', 'check', 'status', 'board', 'export', 'readiness', 'cancel', 'sign in', 'help'],
      );
      assert.ok(!JSON.stringify(manifest).includes('${{'), 'every placeholder resolved');
      assert.deepEqual(pngSize(entries.get('color.png')!), [192, 192]);
      assert.deepEqual(pngSize(entries.get('outline.png')!), [32, 32]);
    },
  );

  it('names the placeholders an environment does not give', () => {
    env('dev', 'TEAMS_APP_ID=\n');
    assert.throws(
      () => packageApp({ root, envName: 'dev', envDir: dir, outDir: dir }),
      (e) => e instanceof PackageError && /: APP_NAME_SUFFIX, BOT_DOMAIN, BOT_ID\.$/.test(e.message),
    );
    env('empty', 'TEAMS_APP_ID=\nBOT_ID=\nBOT_DOMAIN=\nAPP_NAME_SUFFIX=\n');
    assert.throws(
      () => packageApp({ root, envName: 'empty', envDir: dir, outDir: dir }),
      (e) => e instanceof PackageError && /does not match the Teams schema/.test(e.message),
      'empty ids fail the schema',
    );
    assert.deepEqual(fillPlaceholders('${{A}}-${{ B }}', { A: '1', B: '2' }), { text: '1-2', missing: [] });
  });

  it('the schema check catches what Teams would refuse', () => {
    const good = JSON.parse(
      fillPlaceholders(readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8'), {
        TEAMS_APP_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
        BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
        BOT_DOMAIN: 'x.example',
        APP_NAME_SUFFIX: '',
      }).text,
    );
    assert.deepEqual(validateManifest(good), []);
    assert.ok(
      validateManifest({ ...good, packageName: 'com.example' }).some((l) => /packageName/.test(l)),
      '1.17 has no packageName',
    );
    const badScope = structuredClone(good);
    badScope.bots[0].scopes = ['personal', 'groupchat '];
    assert.notDeepEqual(validateManifest(badScope), []);
    const longCommand = structuredClone(good);
    longCommand.bots[0].commandLists[0].commands[0].title = 'x'.repeat(40);
    assert.notDeepEqual(validateManifest(longCommand), []);
  });
});
