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

// A missing field renders as empty text, not as the literal "${...}".
ACData.GlobalSettings.getUndefinedFieldValueSubstitutionString = () => '';

export function render(name: CardName, data: Record<string, unknown>): Record<string, unknown> {
  const card = new ACData.Template(template(name)).expand({ $root: data }) as Record<string, unknown>;
  delete card.$schema;
  return card;
}
