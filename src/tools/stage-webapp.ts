/**
 * `npm run stage:webapp`: the folder App Service runs, build/webapp, holding what production
 * needs and nothing else:
 * - the compiled modules that dist/src/main.js reaches through require() (so the fake tenant,
 *   the local launcher and these tools stay out: production never loads them);
 * - the card templates, read from disk at run time;
 * - package.json without scripts or devDependencies, and the lock file;
 * - the installed packages minus those only development needs (`npm ls` with and without
 *   `--omit=dev`), copied as npm resolved them, so the native SQLite binding is the one the
 *   tests ran with and nothing is downloaded or compiled while deploying.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

export interface WebAppPlan {
  /** Files of the app itself, relative to the repository root. */
  appFiles: string[];
  /** Packages the app's modules require by name (their closure comes from npm). */
  requiredPackages: string[];
  /** node_modules folders to copy (each package or scope member, with what is nested in it). */
  packageDirs: string[];
}

const ENTRY = 'dist/src/main.js';
const REQUIRE = /\brequire\("([^"]+)"\)/g;

/** The package a bare specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolveModule(from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.js`, join(base, 'index.js')]) {
    if (existsSync(candidate) && candidate.endsWith('.js')) return candidate;
  }
  throw new Error(`${from} requires ${spec}, which was not compiled (run npm run build)`);
}

/** Every compiled module main.js reaches, and the packages they name. */
function closure(root: string): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [join(root, ENTRY)];
  if (!existsSync(queue[0]!)) throw new Error(`${ENTRY} is missing: run npm run build first`);
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(REQUIRE)) {
      if (spec!.startsWith('.')) queue.push(resolveModule(file, spec!));
      else if (!spec!.startsWith('node:') && !builtinModules.includes(spec!)) packages.add(packageName(spec!));
    }
  }
  return { modules: [...seen].map((f) => relative(root, f)).sort(), packages: [...packages].sort() };
}

/**
 * Every folder `npm ls` lists. Its exit status is not read: botbuilder-dialogs' install script
 * rearranges a few packages, which npm then reports as extraneous or invalid while still
 * listing them, and the tests ran with them as they are.
 */
function listed(root: string, args: string[]): Set<string> {
  const r = spawnSync('npm', ['ls', '--all', '--parseable', ...args], { cwd: root, encoding: 'utf8' });
  const dirs = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && resolve(l) !== resolve(root))
    .map((l) => relative(root, l));
  if (!dirs.length) throw new Error(`npm ls listed nothing: ${r.stderr.slice(0, 300)}`);
  return new Set(dirs);
}

/**
 * The node_modules folders to ship: everything npm installed except what only development
 * needs (listed with devDependencies, not without). Anything npm cannot place stays in.
 */
function productionDirs(root: string): string[] {
  const production = listed(root, ['--omit=dev']);
  const devOnly = [...listed(root, [])].filter((d) => !production.has(d));
  const modules = join(root, 'node_modules');
  const top = readdirSync(modules)
    .filter((e) => !e.startsWith('.'))
    .flatMap((e) => (e.startsWith('@') ? readdirSync(join(modules, e)).map((s) => `${e}/${s}`) : [e]))
    .map((e) => join('node_modules', e));
  return top.filter((d) => !devOnly.includes(d)).sort();
}

export function planWebApp(root: string): WebAppPlan {
  const { modules, packages } = closure(root);
  const cards = readdirSync(join(root, 'cards'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => `cards/${f}`);
  return {
    appFiles: [...modules, ...cards, 'package.json', 'package-lock.json'].sort(),
    requiredPackages: packages,
    packageDirs: productionDirs(root),
  };
}

/**
 * Writes the plan to `out` (emptied first). `link` puts a symbolic link to each installed
 * package instead of a copy: run with `node --preserve-symlinks`, the staged app then resolves
 * every package through the staged folder only, without copying hundreds of megabytes.
 */
export function stageWebApp(root: string, out: string, options: { link?: boolean } = {}): WebAppPlan {
  const plan = planWebApp(root);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of plan.appFiles) {
    if (f === 'package.json') continue;
    mkdirSync(dirname(join(out, f)), { recursive: true });
    cpSync(join(root, f), join(out, f));
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const { name, version, private: isPrivate, description, license, engines, dependencies, overrides } = pkg;
  const runtime = { name, version, private: isPrivate, description, license, engines, dependencies, overrides };
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
  for (const d of plan.packageDirs) {
    mkdirSync(dirname(join(out, d)), { recursive: true });
    if (options.link) symlinkSync(resolve(root, d), join(out, d), 'dir');
    else cpSync(join(root, d), join(out, d), { recursive: true, verbatimSymlinks: true });
  }
  return plan;
}

if (require.main === module) {
  const root = resolve(__dirname, '../../..');
  const plan = stageWebApp(root, join(root, 'build', 'webapp'));
  console.log(`build/webapp: ${plan.appFiles.length} app files, ${plan.packageDirs.length} production package folders`);
}
