/** Loads the Adaptive Card templates in cards/ and expands them with adaptivecards-templating. */
import * as ACData from 'adaptivecards-templating';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CardName =
  | 'request'
  | 'pick'
  | 'status'
  | 'help'
  | 'error'
  | 'board'
  | 'reason'
  | 'readiness'
  | 'readiness-progress'
  | 'readiness-end';

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

/** The texts of a card's visible TextBlocks, in reading order. */
function texts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) texts(n, out);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.isVisible === false) return out;
    if (o.type === 'TextBlock' && typeof o.text === 'string' && o.text.trim()) out.push(o.text.trim());
    for (const [k, v] of Object.entries(o)) if (k !== 'actions' && typeof v === 'object') texts(v, out);
  }
  return out;
}

/** Card Markdown without emphasis marks or backticks. */
const unmarked = (markdown: string) => markdown.replace(/\*\*|`/g, '');

/**
 * fallbackText may be drawn as Markdown with HTML, as messages are: a name from outside that
 * looks like a tag is escaped, and the entities of placeholders show as the characters.
 */
const fallback = (markdown: string) => unmarked(markdown).replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** As read aloud: a placeholder by its name ("move group to cloud"), no markup characters. */
const spoken = (markdown: string) =>
  unmarked(markdown)
    .replace(/&lt;([^&<>]*)&gt;/g, '$1')
    .replace(/&(?:lt|gt|amp|quot);|[<>&]/g, ' ')
    .replace(/ · /g, ', ')
    .replace(/ {2,}/g, ' ');

const sentence = (t: string) => (/[.!?…:]$/.test(t) ? t : `${t}.`);

/** Texts as one run of sentences (for a summary). */
export const sentences = (parts: string[]) => parts.filter(Boolean).map(sentence).join(' ');

/**
 * Fills a template. Every card carries `fallbackText` (shown where a client cannot draw the
 * card) and `speak` (read aloud): `summary` when the view gives one, else the card's first two
 * texts (its title and the line under it).
 */
export function render(name: CardName, data: Record<string, unknown>, summary?: string): Record<string, unknown> {
  const card = new ACData.Template(template(name)).expand({ $root: data }) as Record<string, unknown>;
  delete card.$schema;
  return summarised(card, summary);
}

/** A card with its `fallbackText` and `speak` (see render). */
export function summarised(card: Record<string, unknown>, summary?: string): Record<string, unknown> {
  const about = summary ?? sentences(texts(card.body).slice(0, 2));
  return { ...card, fallbackText: fallback(about), speak: spoken(about) };
}
