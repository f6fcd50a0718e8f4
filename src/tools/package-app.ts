/**
 * `npm run package -- --env <name>`: fills the manifest's ${{PLACEHOLDERS}} from
 * env/.env.<name> (and the git-ignored env/.env.<name>.user), validates it against the Teams
 * manifest schema, and zips it with the icons into build/appPackage.<name>.zip.
 */
import Ajv from 'ajv-draft-04';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvFile } from '../env-file';
import { zip } from './zip';

export class PackageError extends Error {}

export interface PackageOptions {
  root: string;
  envName: string;
  envDir?: string;
  outDir?: string;
  /** Values that win over the env files (the process environment from the CLI). */
  overrides?: Record<string, string | undefined>;
}

const PLACEHOLDER = /\$\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}/g;

export function fillPlaceholders(
  text: string,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (_m, key: string) => {
    const v = values[key];
    // Defined but empty is a value (APP_NAME_SUFFIX is empty in production); absent is not.
    if (v === undefined) {
      missing.add(key);
      return '';
    }
    return v;
  });
  return { text: filled, missing: [...missing].sort() };
}

/** The Teams manifest JSON schema of this version, as @microsoft/app-manifest ships it; throws if there is none. */
export function manifestSchema(version: string): object {
  const file = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
  );
  return JSON.parse(readFileSync(file, 'utf8')) as object;
}

/** Schema errors as lines people can act on; empty when valid. */
export function validateManifest(manifest: Record<string, unknown>): string[] {
  const version = String(manifest.manifestVersion ?? '');
  let schema: object;
  try {
    schema = manifestSchema(version);
  } catch {
    return [`manifestVersion '${version}' has no schema in @microsoft/app-manifest`];
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((e) => {
    const extra = e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : '';
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
  });
}

export function packageApp(o: PackageOptions): { zipPath: string; manifest: Record<string, unknown> } {
  const envDir = o.envDir ?? join(o.root, 'env');
  const files = [join(envDir, `.env.${o.envName}`), join(envDir, `.env.${o.envName}.user`)];
  if (!existsSync(files[0]!)) throw new PackageError(`No environment file ${files[0]}.`);
  const values: Record<string, string | undefined> = {};
  for (const f of files) if (existsSync(f)) Object.assign(values, parseEnvFile(readFileSync(f, 'utf8')));
  for (const [k, v] of Object.entries(o.overrides ?? {})) if (v !== undefined) values[k] = v;
  const manifestDir = join(o.root, 'manifest');
  const { text, missing } = fillPlaceholders(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), values);
  if (missing.length)
    throw new PackageError(`These placeholders have no value in env/.env.${o.envName}: ${missing.join(', ')}.`);
  const manifest = JSON.parse(text) as Record<string, unknown> & { icons: { color: string; outline: string } };
  const problems = validateManifest(manifest);
  if (problems.length)
    throw new PackageError(
      `manifest.json does not match the Teams schema ${String(manifest.manifestVersion)}:\n- ${problems.join('\n- ')}`,
    );
  const outDir = o.outDir ?? join(o.root, 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = join(outDir, `appPackage.${o.envName}.zip`);
  writeFileSync(
    zipPath,
    zip([
      { name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) },
      { name: manifest.icons.color, data: readFileSync(join(manifestDir, manifest.icons.color)) },
      { name: manifest.icons.outline, data: readFileSync(join(manifestDir, manifest.icons.outline)) },
    ]),
  );
  return { zipPath, manifest };
}

if (require.main === module) {
  const i = process.argv.indexOf('--env');
  const envName = i > 0 ? process.argv[i + 1] : 'dev';
  const root = join(__dirname, __dirname.includes(join('dist', 'src')) ? '../../..' : '../..');
  try {
    if (!envName || !/^[a-z0-9-]+$/i.test(envName))
      throw new PackageError('Usage: npm run package -- --env <name> (for env/.env.<name>).');
    const { zipPath } = packageApp({ root, envName, overrides: process.env });
    console.log(`Teams app package: ${zipPath}`);
  } catch (e) {
    console.error(
      e instanceof PackageError ? e.message : `Packaging failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  }
}
