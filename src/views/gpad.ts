/**
 * The words of the Group Provisioning to AD checklist, posted in the thread after a move the
 * approver marked "still needed in AD", and of the card's toggle. What Graph cannot show is
 * asked (☐), never assumed; what the facts show is said with where it came from.
 */
import { GPAD_AGENT_MIN_VERSION, type GpadGroup, type GpadRefusal } from '../domain/gpad';
import type { SoaRequest } from '../domain/request';
import type { Outgoing } from '../ports/notifier';
import { time } from './labels';
import { forMessage } from './text';

/** The toggle's label on the approval card of a move. */
export const STILL_NEEDED_TOGGLE = 'Still needed in AD (file shares or apps that read it on-premises)';

/** The card's line once an approver set it. */
export function stillNeededFact(req: SoaRequest): { label: string; value: string } | null {
  const s = req.stillNeededInAd;
  if (!s) return null;
  return {
    label: 'Still needed in AD',
    value: `yes, said by ${s.by.name} at ${time(s.at)}: GPAD checklist after the switch`,
  };
}

const NOT_APPLICABLE: Record<GpadRefusal, string> = {
  mailEnabled:
    'is a mail-enabled security group: it **cannot be provisioned back** to AD. Group Provisioning to AD ' +
    'writes only security groups that are not mail-enabled; this group is now managed in Exchange Online. ' +
    'Whatever still reads it on-premises needs another group, or to stop depending on it.',
  distribution:
    'is a distribution group: Group Provisioning to AD does not apply. It writes back only security groups; ' +
    'a distribution group is now managed in Exchange Online and is not written to AD.',
  unified:
    'is a Microsoft 365 group: Group Provisioning to AD does not apply. It never provisions Microsoft 365 ' +
    'groups to AD (and they are not synced from AD to begin with).',
};

const COMMON = [
  `☐ A Cloud Sync provisioning agent ${GPAD_AGENT_MIN_VERSION} or later is installed and active in the ` +
    "group's forest (Graph does not show agent versions: look in the Entra admin center or on the agent's server).",
  '☐ The tenant has Microsoft Entra ID P1 (or higher) licences for Group Provisioning to AD.',
  '☐ The Cloud Sync configuration "Provision Microsoft Entra ID to Active Directory" has the group in its ' +
    'scope (selected security groups, or all security groups with a filter), with its nested member groups if ' +
    'their members must be written too.',
];

function groupLines(g: GpadGroup): string[] {
  const name = `**${forMessage(g.groupName)}**`;
  if (g.verdict === 'notApplicable') return [`⛔ ${name} ${NOT_APPLICABLE[g.why]}`];
  if (g.verdict === 'unread')
    return [
      `${name}: its facts could not be read after the switch, so nothing is assumed.`,
      '☐ It is a security group that is not mail-enabled (mail-enabled groups cannot be provisioned back).',
      '☐ Its scope in AD is Universal.',
      '☐ Its members are users synced from AD (cloud-only members are not written to AD); note its SID in AD: ' +
        'the write-back lands on the AD group with that SID.',
    ];
  const sam = g.samAccountName
    ? ` (${forMessage(g.domain ? `${g.domain}\\${g.samAccountName}` : g.samAccountName)})`
    : '';
  const lines = [
    `${name}${sam}: a security group, not mail-enabled — it can be provisioned back.`,
    g.sid
      ? `The write-back lands on the original AD group, matched by its SID **${forMessage(g.sid)}** ` +
        '(keep that group: if it was deleted, restore it from the AD Recycle Bin, never recreate it).'
      : '☐ Graph shows no on-premises SID for it: find the original AD group, or GPAD creates a new one.',
    '☐ Its group scope in AD is **Universal** (Global and Domain local are not provisioned). Graph does not ' +
      'show the AD group scope: check it in AD (Active Directory Users and Computers, or `Get-ADGroup`).',
  ];
  const cloud = g.cloudOnlyMembers;
  if (cloud === null)
    lines.push(
      '☐ Its members are users synced from AD: Graph could not list them, and cloud-only members are not written.',
    );
  else if (cloud.length) {
    const shown = cloud
      .slice(0, 10)
      .map((m) => forMessage(m.displayName))
      .join(', ');
    const more = cloud.length > 10 ? ` and ${cloud.length - 10} more` : '';
    lines.push(
      `⚠️ Cloud-only members are not written to AD: ${shown}${more}. Whatever reads the group on-premises ` +
        'will not see them.',
    );
  } else lines.push('Every member user is synced from AD (Graph shows no cloud-only member).');
  return lines;
}

/** The checklist of the switched groups, in one message. */
export function gpadChecklist(req: SoaRequest, groups: GpadGroup[]): Outgoing {
  const writable = groups.filter((g) => g.verdict !== 'notApplicable');
  const by = req.stillNeededInAd ? ` by ${forMessage(req.stillNeededInAd.by.name)}` : '';
  const intro =
    `Request ${req.id}: marked still needed in AD${by}. After the switch, AD no longer updates ` +
    `${groups.length === 1 ? 'this group' : 'these groups'}; Group Provisioning to AD (Cloud Sync) can write ` +
    `${groups.length === 1 ? 'it' : 'them'} back.`;
  const parts = [intro];
  if (writable.length) parts.push('**Before you rely on it in AD:**', ...COMMON);
  for (const g of groups) parts.push(...groupLines(g));
  return { text: parts.join('\n\n') };
}
