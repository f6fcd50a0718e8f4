/**
 * What `teamsapp deploy` uploads to App Service: production code and production dependencies
 * only, and enough of them that the app starts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { planWebApp, stageWebApp, type WebAppPlan } from '../../src/tools/stage-webapp';

const root = resolve(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/**
 * devDependencies that production packages depend on themselves (npm installs them for those
 * packages whatever we declare): type packages botframework and openai list as dependencies,
 * and yaml, which teams-ai reads its prompts with.
 */
const ALSO_PRODUCTION = new Set(['@types/node', 'yaml']);

describe('deployed package: production code and dependencies only', function () {
  this.timeout(60_000);
  let plan: WebAppPlan;

  before(() => {
    plan = planWebApp(root);
  });

  it('holds the compiled modules main.js reaches and the card templates, nothing else of ours', () => {
    for (const f of ['dist/src/main.js', 'dist/src/index.js', 'cards/request.json', 'package.json']) {
      assert.ok(plan.appFiles.includes(f), `${f} is missing`);
    }
    const foreign = plan.appFiles.filter(
      (f) =>
        /^dist\/src\/(fake-tenant|tools)\//.test(f) ||
        f === 'dist/src/local.js' ||
        /^(dist\/(test|bench)|test|bench|src|scripts|infra|env|docs)\//.test(f) ||
        /\.(ts|map)$/.test(f),
    );
    assert.deepEqual(foreign, []);
  });

  it('every package the code requires is a production dependency', () => {
    for (const p of plan.requiredPackages) assert.ok(pkg.dependencies[p], `${p} is required but not a dependency`);
  });

  it('carries no development tool: no devDependency unless a production package needs it', () => {
    const top = new Set(plan.packageDirs.map((d) => d.replace(/^node_modules\//, '')));
    const dev = Object.keys(pkg.devDependencies).filter((d) => top.has(d) && !ALSO_PRODUCTION.has(d));
    assert.deepEqual(dev, []);
    for (const d of Object.keys(pkg.dependencies)) assert.ok(top.has(d), `${d} is not staged`);
  });

  it('the staged app starts on the staged packages alone: with no configuration it names the settings', async () => {
    const out = mkdtempSync(join(tmpdir(), 'soa-webapp-'));
    try {
      // Links to the installed packages, resolved through the staged folder only: a package
      // left out of the plan is missing here, wherever it is installed.
      stageWebApp(root, out, { link: true });
      const staged = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(staged.devDependencies, undefined);
      assert.equal(staged.scripts, undefined);
      const run = promisify(execFile)(process.execPath, ['--preserve-symlinks', 'dist/src/main.js'], {
        cwd: out,
        env: { PATH: '' },
      });
      const failed = await run.then(
        () => assert.fail('the app started without configuration'),
        (e: { code: number; stderr: string }) => e,
      );
      assert.equal(failed.code, 1);
      assert.doesNotMatch(failed.stderr, /Cannot find module|MODULE_NOT_FOUND/);
      assert.match(failed.stderr, /AAD_APP_CLIENT_ID|BOT_ID|setting/i);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('teamsapp.yml deploys the staged folder', () => {
    const yml = parse(readFileSync(join(root, 'teamsapp.yml'), 'utf8')) as {
      deploy: Array<{ uses: string; with: Record<string, string> }>;
    };
    const steps = yml.deploy.map((s) => `${s.uses} ${s.with.args ?? s.with.artifactFolder ?? ''}`.trim());
    assert.deepEqual(steps, [
      'cli/runNpmCommand install',
      'cli/runNpmCommand run stage:webapp',
      'azureAppService/zipDeploy ./build/webapp',
    ]);
  });
});
