/** Loads the Adaptive Card templates in cards/ and expands them with adaptivecards-templating. */
import * as ACData from 'adaptivecards-templating';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CardName = 'request' | 'pick' | 'status' | 'help' | 'error' | 'board';

const cache = new Map<CardName, unknown>();

export function cardsDir(): string {
  // src/views when run from sources, dist/src/views when compiled.
  return join(__dirname, __dirname.includes(join('dist', 'src')) ? '../../../cards' : '../../cards');
}

function template(name: CardName): unknown {
  let t = cache.get(name);
  if (!t) {
    t = JSON.parse(readFileSync(join(cardsDir(), `${name}.json`), 'utf8'));
    cache.set(name, t);
  }
  return t;
}

/**
 * Parsing a template's expressions dominates rendering (an ANTLR parse per string, per card).
 * The strings come from the templates in cards/, a fixed set, and a parsed expression is not
 * changed by evaluation, so each is parsed once per process.
 */
const parsed = new Map<string, unknown>();
const parseOnce = ACData.Template.parseInterpolatedString.bind(ACData.Template);
(ACData.Template as unknown as { parseInterpolatedString: (s: string) => unknown }).parseInterpolatedString = (
  s: string,
) => {
  let e = parsed.get(s);
  if (e === undefined) {
    e = parseOnce(s);
    if (parsed.size < 10_000) parsed.set(s, e);
  }
  return e;
};

// A missing field renders as empty text, not as the literal "${...}".
ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

export function render(name: CardName, data: Record<string, unknown>): Record<string, unknown> {
  const card = new ACData.Template(template(name)).expand({ $root: data }) as Record<string, unknown>;
  delete card.$schema;
  return card;
}
