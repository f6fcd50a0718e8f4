/**
 * The help card and the Teams app's command list (manifest/manifest.json `commandLists`) name
 * every command the bot understands, in forms the bot parses; the list keeps the schema's limits.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTE_KEYS } from '../../src/bot/commands/index';
import { routeOf, type RouteKey } from '../../src/bot/commands/routes';
import { parseCommand } from '../../src/domain/command';
import { fillPlaceholders, validateManifest } from '../../src/tools/package-app';
import { HELP_COMMANDS } from '../../src/views/help';

const root = join(__dirname, '..', '..');

/** What a person types: entities as characters, placeholders as a real group and request id. */
const typed = (form: string) =>
  form
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/<group>/g, 'SecGroup1')
    .replace(/<request id>/g, 'R-ABCDEF')
    .trim();

/** The route each form leads to; forms the bot does not understand lead nowhere. */
function routes(forms: string[]): Map<RouteKey, string> {
  const out = new Map<RouteKey, string>();
  for (const f of forms.map(typed).filter(Boolean)) {
    const key = routeOf(parseCommand(f).command).key;
    if (key !== 'unknown' && key !== 'invalid' && !out.has(key)) out.set(key, f);
  }
  return out;
}

/** The commands a person can give (not the answers to what the bot cannot act on). */
const COMMANDS = ROUTE_KEYS.filter((k) => k !== 'unknown' && k !== 'invalid');

function manifest() {
  return JSON.parse(
    fillPlaceholders(readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8'), {
      TEAMS_APP_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
      BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
      BOT_DOMAIN: 'x.example',
      APP_NAME_SUFFIX: '',
    }).text,
  );
}

describe('the help card and the Teams command list', () => {
  it('the help card names every command, each in a form the bot parses', () => {
    assert.ok(COMMANDS.length >= 13, COMMANDS.join(', '));
    const quoted = (s: string) => [...s.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const named = routes(HELP_COMMANDS.flatMap((c) => [c.usage, ...quoted(c.what)]));
    assert.deepEqual(
      COMMANDS.filter((k) => !named.has(k)),
      [],
      `named: ${[...named].map(([k, f]) => `${k} ← ${f}`).join('; ')}`,
    );
    for (const c of HELP_COMMANDS) {
      const key = routeOf(parseCommand(typed(c.usage)).command).key;
      assert.ok(key !== 'unknown' && key !== 'invalid', `"${c.usage}" is understood`);
    }
  });

  it('the command list names every command: a title per command word, every form in a description', () => {
    const commands: Array<{ title: string; description: string }> = manifest().bots[0].commandLists[0].commands;
    const words = [
      ...new Set(HELP_COMMANDS.map((c) => (c.usage.startsWith('sign ') ? c.usage : c.usage.split(' ')[0]!))),
    ];
    assert.deepEqual(
      commands.map((c) => c.title),
      words,
      'the same commands, in the order of the help card',
    );
    const forms = commands.flatMap((c) => c.description.split(/[:;,.()]|\bor\b/));
    const named = routes(forms);
    assert.deepEqual(
      COMMANDS.filter((k) => !named.has(k)),
      [],
      `named: ${[...named].map(([k, f]) => `${k} ← ${f}`).join('; ')}`,
    );
    for (const c of commands) {
      const first = typed(c.description.split(/[:;,.(]/)[0]!);
      assert.equal(routes([first]).size, 1, `${c.title}: its description starts with a form the bot parses`);
    }
  });

  it("keeps the Teams schema's limits: at most 10 commands, titles of 32 characters, descriptions of 128", () => {
    const good = manifest();
    assert.deepEqual(validateManifest(good), []);
    const commands = good.bots[0].commandLists[0].commands as Array<{ title: string; description: string }>;
    assert.ok(commands.length <= 10);
    for (const c of commands) assert.ok(c.title.length <= 32 && c.description.length <= 128, c.title);
    const eleven = structuredClone(good);
    eleven.bots[0].commandLists[0].commands.push({ title: 'more', description: 'one too many' });
    assert.ok(
      validateManifest(eleven).some((l) => /commands/.test(l) && /10/.test(l)),
      'an 11th command is refused',
    );
    const longDescription = structuredClone(good);
    longDescription.bots[0].commandLists[0].commands[0].description = 'x'.repeat(129);
    assert.ok(
      validateManifest(longDescription).some((l) => /128/.test(l)),
      'a 129-character description is refused',
    );
    const longTitle = structuredClone(good);
    longTitle.bots[0].commandLists[0].commands[0].title = 'x'.repeat(33);
    assert.ok(
      validateManifest(longTitle).some((l) => /32/.test(l)),
      'a 33-character title is refused',
    );
  });
});
