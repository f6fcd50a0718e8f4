/** The pick list shown when a name matches several groups: one button per group. */
import type { SoaAction } from '../domain/command';
import { kindLabel } from '../domain/prerequisites';
import type { GroupMatch } from '../ports/directory';
import type { Card } from './labels';
import { render } from './templates';
import { forCard } from './text';
import { VERB } from './verbs';

function detail(m: GroupMatch): string {
  const synced = m.onPremisesSyncEnabled === true ? 'synced from AD' : 'not synced from AD';
  const sam = m.onPremisesSamAccountName ? ` · ${forCard(m.onPremisesSamAccountName)}` : '';
  const description = m.description ? ` · ${forCard(m.description)}` : '';
  return `${kindLabel(m.kind)} · ${synced}${sam}${description} · ${m.id}`;
}

export function pickCard(name: string, matches: GroupMatch[], action: SoaAction, mode: 'request' | 'check'): Card {
  return render('pick', {
    title: `${matches.length} groups are named "${forCard(name)}"`,
    choices: matches.map((m) => ({
      id: m.id,
      displayName: forCard(m.displayName),
      detail: detail(m),
      verb: mode === 'request' ? VERB.request : VERB.check,
      buttonTitle:
        mode === 'request'
          ? action === 'move'
            ? 'Request the move of this one'
            : 'Request the rollback of this one'
          : 'Check this one',
      action,
    })),
  });
}
