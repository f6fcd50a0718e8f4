import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLICKS } from '../../src/bot/clicks/table';
import { cardsDir } from '../../src/views/templates';
import { READINESS_VERB } from '../../src/views/readiness';
import { VERB } from '../../src/views/verbs';

/** The Action.Execute verbs the card templates spell out (a `${…}` verb is filled in by views/). */
function templateVerbs(): string[] {
  const verbs: string[] = [];
  for (const file of readdirSync(cardsDir()).filter((f) => f.endsWith('.json'))) {
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'Action.Execute' && typeof o.verb === 'string' && !o.verb.startsWith('${')) verbs.push(o.verb);
        Object.values(o).forEach(walk);
      }
    };
    walk(JSON.parse(readFileSync(join(cardsDir(), file), 'utf8')));
  }
  return verbs;
}

describe('bot: card verbs', () => {
  it('every verb a card template carries is a VERB constant with a click handler', () => {
    const verbs = templateVerbs();
    assert.ok(verbs.length > 0);
    for (const v of verbs) {
      assert.ok((Object.values(VERB) as string[]).includes(v), `${v} is not in VERB`);
      assert.equal(typeof CLICKS[v as keyof typeof CLICKS], 'function', `${v} has no click handler`);
    }
  });

  it('the verbs views fill in (the readiness card) are VERB constants with a click handler', () => {
    for (const v of Object.values(READINESS_VERB)) {
      assert.ok((Object.values(VERB) as string[]).includes(v), `${v} is not in VERB`);
      assert.equal(typeof CLICKS[v], 'function', `${v} has no click handler`);
    }
  });
});
