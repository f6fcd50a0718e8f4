/**
 * Structural checks of the Bicep templates in infra/ (no Bicep compiler here): parameter files
 * match the templates, placeholders are ones provisioning fills, the web app's settings start
 * the bot in production with Blob storage, and the outputs are the env names the yml reads.
 */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const root = resolve(__dirname, '..', '..');
const infra = join(root, 'infra');

/**
 * The source with comments, and unless `keepStrings` the contents of string literals
 * (interpolations included), blanked to spaces at the same offsets: brackets and keywords can
 * then be found by position and read back from the source.
 */
function mask(src: string, keepStrings = false): string {
  const out = src.split('');
  let i = 0;
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  // Skips a string starting at src[start] === "'"; returns the index after its closing quote.
  const skipString = (start: number): number => {
    let j = start + 1;
    while (j < src.length) {
      if (src[j] === '\\') {
        j += 2;
        continue;
      }
      if (src[j] === "'") return j + 1;
      if (src[j] === '$' && src[j + 1] === '{') {
        let depth = 1;
        j += 2;
        while (j < src.length && depth > 0) {
          if (src[j] === "'") {
            j = skipString(j);
            continue;
          }
          if (src[j] === '{') depth++;
          else if (src[j] === '}') depth--;
          j++;
        }
        continue;
      }
      j++;
    }
    throw new Error(`Unterminated string at offset ${start}`);
  };
  while (i < src.length) {
    if (src.startsWith('//', i)) {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i);
      const stop = end === -1 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (src[i] === "'") {
      const stop = skipString(i);
      if (!keepStrings) blank(i + 1, stop - 1);
      i = stop;
    } else {
      i++;
    }
  }
  return out.join('');
}

/** Index just past the bracket that closes the one at `open` (in masked text). */
function closing(masked: string, open: number): number {
  const pairs: Record<string, string> = { '[': ']', '{': '}', '(': ')' };
  const want: string[] = [];
  for (let i = open; i < masked.length; i++) {
    const c = masked[i]!;
    if (pairs[c]) want.push(pairs[c]!);
    else if (c === want[want.length - 1]) {
      want.pop();
      if (!want.length) return i + 1;
    }
  }
  throw new Error(`No closing bracket for offset ${open}`);
}

/** The string value of a literal such as 'blob'; undefined for expressions and interpolations. */
function literal(expr: string): string | undefined {
  const m = /^'([^'\\$]*)'$/.exec(expr.trim());
  return m ? m[1] : undefined;
}

interface Param {
  name: string;
  required: boolean;
  secure: boolean;
}

class Bicep {
  readonly src: string;
  /** Without comments. */
  readonly code: string;
  /** Without comments and string contents. */
  readonly masked: string;
  constructor(readonly path: string) {
    this.src = readFileSync(path, 'utf8');
    this.code = mask(this.src, true);
    this.masked = mask(this.src);
  }

  params(): Map<string, Param> {
    const res = new Map<string, Param>();
    const re = /^param\s+(\w+)\s+[^\n=]*(=)?/gm;
    for (let m; (m = re.exec(this.masked));) {
      // Decorators are the lines just above that start with '@'.
      const before = this.code.slice(0, m.index).split('\n');
      const decorators: string[] = [];
      for (let k = before.length - 2; k >= 0 && before[k]!.trim().startsWith('@'); k--)
        decorators.push(before[k]!.trim());
      res.set(m[1]!, { name: m[1]!, required: !m[2], secure: decorators.includes('@secure()') });
    }
    return res;
  }

  outputs(): string[] {
    return [...this.masked.matchAll(/^output\s+(\w+)\s/gm)].map((m) => m[1]!);
  }

  /** The `[ ... ]` or `{ ... }` that follows `key:` (first occurrence from `from`), as offsets. */
  valueOf(key: string, from = 0): { start: number; end: number } {
    const re = new RegExp(`\\b${key}\\s*:\\s*[\\[{]`, 'g');
    re.lastIndex = from;
    const m = re.exec(this.masked);
    assert.ok(m, `${relative(root, this.path)}: no '${key}:' block`);
    const open = m.index + m[0].length - 1;
    return { start: open, end: closing(this.masked, open) };
  }

  /** Top-level `key: value` pairs of the object literal spanning [start, end); values as written. */
  entries(span: { start: number; end: number }): Map<string, string> {
    const inner = span.start + 1;
    const body = this.masked.slice(inner, span.end - 1);
    const starts: { key: string; at: number; line: number }[] = [];
    let depth = 0;
    let scanned = 0;
    for (const m of body.matchAll(/^[ \t]*(\w+)\s*:/gm)) {
      for (; scanned < m.index; scanned++) {
        const c = body[scanned]!;
        if ('[{('.includes(c)) depth++;
        else if (']})'.includes(c)) depth--;
      }
      if (depth === 0) starts.push({ key: m[1]!, at: m.index + m[0].length, line: m.index });
    }
    const res = new Map<string, string>();
    starts.forEach((s, k) => {
      const stop = k + 1 < starts.length ? starts[k + 1]!.line : body.length;
      res.set(s.key, this.code.slice(inner + s.at, inner + stop).trim());
    });
    return res;
  }

  /** The web app's app settings: name and value expression, in order. */
  appSettings(): { name: string; value: string }[] {
    const span = this.valueOf('appSettings');
    const res: { name: string; value: string }[] = [];
    for (let i = span.start + 1; i < span.end - 1; i++) {
      if (this.masked[i] !== '{') continue;
      const end = closing(this.masked, i);
      const e = this.entries({ start: i, end });
      const name = literal(e.get('name') ?? '');
      assert.ok(name, `${relative(root, this.path)}: an app setting without a literal name near offset ${i}`);
      res.push({ name, value: e.get('value') ?? '' });
      i = end - 1;
    }
    return res;
  }

  /** module symbol 'path' = { ... }: the path and the names given in `params`. */
  modules(): { path: string; params: Map<string, string> }[] {
    return [...this.code.matchAll(/^module\s+\w+\s+'([^']+)'\s*=\s*\{/gm)].map((m) => {
      const open = m.index! + m[0].length - 1;
      return { path: m[1]!, params: this.entries(this.valueOf('params', open)) };
    });
  }
}

function parameterFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? parameterFiles(join(dir, d.name))
      : d.name.endsWith('.parameters.json')
        ? [join(dir, d.name)]
        : [],
  );
}

/** azure.parameters.json and azurebot.local.parameters.json belong to azure.bicep and azurebot.bicep. */
function templateOf(parametersFile: string): string {
  const base = parametersFile.slice(dirname(parametersFile).length + 1).split('.')[0]!;
  return join(dirname(parametersFile), `${base}.bicep`);
}

/**
 * Env names that exist when arm/deploy runs: the keys of env/.env.dev (written by the provision
 * steps or set by hand), the bot's client secret from env/.env.<name>.user, and the OAuth
 * connection name, which the env files set.
 */
const PROVIDED = new Set([
  'TEAMSFX_ENV',
  'APP_NAME_SUFFIX',
  'AZURE_SUBSCRIPTION_ID',
  'AZURE_RESOURCE_GROUP_NAME',
  'RESOURCE_SUFFIX',
  'TEAMS_APP_ID',
  'TEAMS_APP_TENANT_ID',
  'BOT_ID',
  'BOT_TENANT_ID',
  'BOT_DOMAIN',
  'BOT_ENDPOINT',
  'BOT_AZURE_APP_SERVICE_RESOURCE_ID',
  'SECRET_BOT_PASSWORD',
  'OAUTH_CONNECTION_NAME',
]);

/** Env names teamsapp.yml reads from the Azure deployment. */
const OUTPUTS_READ = ['BOT_AZURE_APP_SERVICE_RESOURCE_ID', 'BOT_DOMAIN', 'BOT_ENDPOINT'];

/** Settings without which the bot does not start in production with Blob storage. */
const REQUIRED_SETTINGS = [
  'BOT_ID',
  'BOT_PASSWORD',
  'BOT_TENANT_ID',
  'OAUTH_CONNECTION_NAME',
  'STORAGE',
  'AZURE_STORAGE_CONNECTION_STRING',
  'PUBLIC_URL',
];

/** Settings App Service itself reads; the bot does not. */
const PLATFORM_SETTINGS = /^(WEBSITE_|SCM_)/;

/** Well-formed stand-ins for settings whose value is an expression in the template. */
const DUMMY: Record<string, string> = {
  PUBLIC_URL: 'https://soabot.azurewebsites.net',
  BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
  AAD_APP_CLIENT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
  BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
  AAD_APP_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
  // Stand-ins made at run time: no credential-like literal in the repository.
  BOT_PASSWORD: randomBytes(12).toString('hex'),
  AAD_APP_CLIENT_SECRET: randomBytes(12).toString('hex'),
  OAUTH_CONNECTION_NAME: 'graph',
  AZURE_STORAGE_CONNECTION_STRING:
    'DefaultEndpointsProtocol=https;AccountName=soabotstore;AccountKey=bm90LWEta2V5;EndpointSuffix=core.windows.net',
  STORAGE_CONTAINER: 'soa-bot-requests',
  STORAGE_QUEUE: 'soa-bot-work',
  APPROVER_ROLES: 'Hybrid Identity Administrator,Global Administrator',
};

let parsed: Bicep | undefined;
const main = (): Bicep => (parsed ??= new Bicep(join(infra, 'azure.bicep')));

/** The web app's environment as the template sets it, with stand-ins for expressions. */
function appEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { name, value } of main().appSettings()) {
    const v = literal(value) ?? DUMMY[name];
    assert.ok(
      v !== undefined,
      `app setting ${name} = ${value}: no stand-in value (a typo, or a new setting to add to DUMMY?)`,
    );
    env[name] = v;
  }
  return env;
}

describe('Azure templates (infra/)', () => {
  it('every parameter file gives only declared parameters, and all required ones', () => {
    const files = parameterFiles(infra);
    assert.ok(
      files.length >= 2,
      `expected the Azure and local bot parameter files, found ${files.map((f) => relative(root, f)).join(', ')}`,
    );
    for (const file of files) {
      const template = templateOf(file);
      assert.ok(existsSync(template), `${relative(root, file)}: no template ${relative(root, template)}`);
      const declared = new Bicep(template).params();
      const given = Object.keys(
        (JSON.parse(readFileSync(file, 'utf8')) as { parameters: Record<string, unknown> }).parameters,
      );
      for (const name of given)
        assert.ok(
          declared.has(name),
          `${relative(root, file)} gives '${name}', which ${relative(root, template)} does not declare`,
        );
      for (const p of declared.values())
        if (p.required)
          assert.ok(given.includes(p.name), `${relative(root, file)} misses required parameter '${p.name}'`);
    }
  });

  it('parameter files use only placeholders that provisioning provides, and secrets go to @secure() parameters', () => {
    for (const file of parameterFiles(infra)) {
      const declared = new Bicep(templateOf(file)).params();
      const { parameters } = JSON.parse(readFileSync(file, 'utf8')) as {
        parameters: Record<string, { value: unknown }>;
      };
      for (const [name, { value }] of Object.entries(parameters)) {
        const text = JSON.stringify(value);
        for (const [, key] of text.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)) {
          assert.ok(
            PROVIDED.has(key!),
            `${relative(root, file)}: ${name} uses \${{${key}}}, which no env file or provision step provides`,
          );
          if (key!.startsWith('SECRET_'))
            assert.ok(
              declared.get(name)?.secure,
              `${relative(root, file)}: ${name} receives ${key} but is not @secure()`,
            );
        }
      }
    }
  });

  it('the bot registration module exists and gets every parameter it requires', () => {
    const mods = main().modules();
    assert.ok(
      mods.some((m) => m.path === './botRegistration/azurebot.bicep'),
      'azure.bicep does not use the bot registration module',
    );
    for (const m of mods) {
      const path = join(dirname(main().path), m.path);
      assert.ok(existsSync(path), `module ${m.path} does not exist`);
      const declared = new Bicep(path).params();
      for (const name of m.params.keys())
        assert.ok(declared.has(name), `module ${m.path}: '${name}' is not one of its parameters`);
      for (const p of declared.values())
        if (p.required) assert.ok(m.params.has(p.name), `module ${m.path}: required '${p.name}' is not passed`);
    }
  });

  it('the web app settings start the bot in production with Blob storage', () => {
    const env = appEnvironment();
    const config = loadConfig(env, '/srv/bot');
    assert.equal(config.mode, 'production');
    assert.equal(config.storage.kind, 'blob');
    assert.ok(config.sso, 'Teams SSO is configured');
    assert.equal(config.sso.tokenExchangeUri, `api://botid-${env.BOT_ID}`);
    assert.equal(config.host, '0.0.0.0', 'App Service reaches the app on all interfaces');
  });

  it('each required setting is really needed, and no setting is one the bot ignores', () => {
    const env = appEnvironment();
    for (const name of REQUIRED_SETTINGS) {
      assert.ok(name in env, `the web app does not set ${name}`);
      const { [name]: _dropped, ...without } = env;
      let config: ReturnType<typeof loadConfig> | undefined;
      try {
        config = loadConfig(without, '/srv/bot');
      } catch (e) {
        assert.ok(e instanceof ConfigError, `without ${name}: ${String(e)}`);
        assert.match(e.message, new RegExp(name), `without ${name}, the error names it`);
        continue;
      }
      // Only BOT_ID is allowed through: without it the bot is a local (loopback) bot.
      assert.equal(name, 'BOT_ID', `without ${name} the bot still starts`);
      assert.equal(config.mode, 'local');
    }
    const configSource = readFileSync(join(root, 'src', 'config.ts'), 'utf8');
    for (const name of Object.keys(env)) {
      if (PLATFORM_SETTINGS.test(name)) continue;
      assert.ok(configSource.includes(`'${name}'`), `app setting ${name} is not read by src/config.ts (a typo?)`);
    }
  });

  it('outputs are the env names the Toolkit yml reads', () => {
    const outputs = main().outputs();
    for (const name of OUTPUTS_READ) assert.ok(outputs.includes(name), `azure.bicep has no output ${name}`);
    // arm/deploy upper-cases output names and changes nothing else, so they are written as they will be read.
    for (const name of outputs) assert.match(name, /^[A-Z][A-Z0-9_]*$/, `output ${name} is not an env variable name`);
  });

  it('the template parser sees what it should (guards the checks above)', () => {
    const names = main()
      .appSettings()
      .map((s) => s.name);
    assert.ok(
      names.length >= REQUIRED_SETTINGS.length && new Set(names).size === names.length,
      `app settings: ${names.join(', ')}`,
    );
    assert.ok(main().params().get('botAadAppClientSecret')?.secure);
    assert.equal(main().params().get('location')?.required, false);
    assert.equal(
      literal(
        main()
          .appSettings()
          .find((s) => s.name === 'STORAGE')!.value,
      ),
      'blob',
    );
  });
});
