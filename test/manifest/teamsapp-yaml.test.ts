import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const schemaDir = join(root, 'test', 'schemas', 'teamsapp');

/** The Toolkit project files at the repository root (teamsapp.yml, teamsapp.local.yml, ...). */
const yamlFiles = readdirSync(root)
  .filter((f) => /^teamsapp(\..+)?\.yml$/.test(f))
  .sort();

const vendored = () =>
  readdirSync(schemaDir)
    .filter((f) => f.endsWith('.yaml.schema.json'))
    .map((f) => f.replace(/\.yaml\.schema\.json$/, ''));

/** A compiled schema plus one validator per lifecycle action (lifeCycleArray's anyOf branches). */
interface Checker {
  version: string;
  validate: ValidateFunction;
  actions: ValidateFunction[];
}

const checkers = new Map<string, Checker>();

/** The checker for a file's `version:`, from the schema kept in test/schemas/teamsapp. */
function checkerFor(version: unknown): Checker {
  assert.equal(typeof version, 'string', '`version:` must be a string such as v1.13');
  const v = version as string;
  const cached = checkers.get(v);
  if (cached) return cached;
  const file = join(schemaDir, `${v}.yaml.schema.json`);
  assert.ok(
    existsSync(file),
    `no Toolkit YAML schema for version '${v}' in test/schemas/teamsapp (have: ${vendored().join(', ')}); ` +
      'add it as SOURCE.md describes',
  );
  const schema = JSON.parse(readFileSync(file, 'utf8')) as {
    $schema?: string;
    definitions?: { lifeCycleArray?: { items?: { anyOf?: unknown[] } } };
  };
  // The Toolkit schemas are draft-07, which the default Ajv class implements.
  assert.match(String(schema.$schema), /draft-07/, `${v}: unexpected $schema ${String(schema.$schema)}`);
  // Strict mode stays on; the schemas use union types (e.g. additionalMetadata.sampleTag), which it refuses
  // unless allowed.
  const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
  ajv.addSchema(schema, v);
  const branches = schema.definitions?.lifeCycleArray?.items?.anyOf ?? [];
  const checker = {
    version: v,
    validate: ajv.getSchema(v)!,
    actions: branches.map((_, i) => ajv.getSchema(`${v}#/definitions/lifeCycleArray/items/anyOf/${i}`)!),
  };
  checkers.set(v, checker);
  return checker;
}

/** Schema errors as "<instancePath> <message> (<params>)", without repeats. */
function errorLines(errors: ErrorObject[] | null | undefined, prefix = ''): string[] {
  const lines = (errors ?? []).map((e) => {
    const params = Object.entries(e.params)
      .map(([k, val]) => `${k}: ${JSON.stringify(val)}`)
      .join(', ');
    return `${prefix + e.instancePath || '/'} ${e.message ?? e.keyword}${params ? ` (${params})` : ''}`;
  });
  return [...new Set(lines)];
}

/**
 * Errors for one lifecycle step. Ajv reports every action of the anyOf for a bad step; only the
 * action named by `uses` matters, or one line when `uses` names no action of this version.
 */
function stepLines(c: Checker, path: string, step: unknown): string[] {
  const results = c.actions.map((a) => (a(step) ? [] : errorLines(a.errors, path)));
  const meant = results.filter((r) => !r.some((l) => l.startsWith(`${path}/uses `)));
  if (meant.length) return [...new Set(meant.flat())];
  return [
    `${path}/uses ${JSON.stringify((step as { uses?: unknown })?.uses)} is not an action of the ${c.version} schema`,
  ];
}

/** Errors for one parsed project file; empty when valid. */
function check(doc: Record<string, unknown>): string[] {
  const c = checkerFor(doc.version);
  if (c.validate(doc)) return [];
  const all = errorLines(c.validate.errors);
  if (!c.actions.length) return all;
  const steps = [
    ...new Set(
      all
        .map((l) => /^\/(\w+)\/(\d+)(?=[/ ])/.exec(l))
        .filter((m): m is RegExpExecArray => !!m && Array.isArray(doc[m[1]]))
        .map((m) => m[0]),
    ),
  ];
  const rest = all.filter((l) => !steps.some((p) => l.startsWith(`${p}/`) || l.startsWith(`${p} `)));
  return [
    ...rest,
    ...steps.flatMap((p) => {
      const [, stage, i] = p.split('/');
      return stepLines(c, p, (doc[stage] as unknown[])[Number(i)]);
    }),
  ];
}

const load = (name: string) => parse(readFileSync(join(root, name), 'utf8')) as Record<string, unknown>;

describe('Toolkit project YAML (teamsapp*.yml)', () => {
  it('every teamsapp*.yml matches the official schema for its version', () => {
    assert.ok(yamlFiles.includes('teamsapp.yml'), `teamsapp.yml not found among ${JSON.stringify(yamlFiles)}`);
    const failures = yamlFiles.flatMap((name) => {
      let problems: string[];
      try {
        const doc = load(name);
        assert.ok(doc && typeof doc === 'object' && !Array.isArray(doc), 'not a YAML mapping');
        problems = check(doc);
      } catch (e) {
        problems = [(e as Error).message];
      }
      return problems.length ? [`${name}:\n  - ${problems.join('\n  - ')}`] : [];
    });
    assert.deepEqual(failures, [], `schema errors:\n${failures.join('\n')}`);
  });

  it('the schema check rejects a misspelled action and a missing required field', () => {
    const good = load('teamsapp.yml') as {
      version: string;
      provision: Array<{ uses: string; with?: Record<string, unknown> }>;
    };
    assert.deepEqual(check(good), []);
    assert.equal(good.provision[0].uses, 'teamsApp/create');

    const typo = structuredClone(good);
    typo.provision[0].uses = 'teamsApp/creat';
    assert.deepEqual(check(typo), [
      `/provision/0/uses "teamsApp/creat" is not an action of the ${good.version} schema`,
    ]);

    const noName = structuredClone(good);
    delete noName.provision[0].with!.name;
    assert.deepEqual(check(noName), [`/provision/0/with must have required property 'name' (missingProperty: "name")`]);

    assert.throws(
      () => check({ ...good, version: 'v0.9' }),
      /no Toolkit YAML schema for version 'v0\.9' in test\/schemas\/teamsapp \(have: v\d/,
    );
  });

  it('the vendored schemas are the published bytes recorded in SOURCE.md', () => {
    const source = readFileSync(join(schemaDir, 'SOURCE.md'), 'utf8');
    for (const v of vendored()) {
      const sha = createHash('sha256')
        .update(readFileSync(join(schemaDir, `${v}.yaml.schema.json`)))
        .digest('hex');
      assert.ok(
        source.includes(`| \`${v}.yaml.schema.json\` |`) && source.includes(sha),
        `${v}.yaml.schema.json: sha256 ${sha} is not in SOURCE.md`,
      );
    }
  });
});
