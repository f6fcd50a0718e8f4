/** What the bot can do: the help card, and the answers to what it does not understand. */
import type { Command } from '../domain/command';
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import type { Card } from './labels';
import { render } from './templates';
import { forMessage } from './text';

export function helpCard(policy: ApprovalPolicy): Card {
  return render('help', {
    commands: [
      {
        usage: 'move <group> to cloud',
        what:
          'Request the switch to cloud management. Also: "switch SOA of <group> to cloud", ' +
          '"make <group> cloud-managed", several groups with commas, names with spaces in quotes.',
      },
      { usage: 'rollback <group>', what: 'Request the return to AD management. Also: "move <group> back to AD".' },
      {
        usage: 'check <group>',
        what: 'The prerequisite report alone (dry run). "check rollback of <group>" for a rollback.',
      },
      { usage: 'status [<group> | <request id>]', what: 'Where a request stands; alone: your requests.' },
      { usage: 'pending', what: 'Requests waiting for your decision.' },
      {
        usage: 'board',
        what: 'Post the tracking card of this channel or chat: every open request here, kept up to date.',
      },
      { usage: 'cancel <request id>', what: 'Withdraw your request before it is decided.' },
      {
        usage: 'sign in',
        what:
          'Who you are to Entra ID and whether your active roles let you approve (also "who am I"); ' +
          '"sign out" to forget the sign-in.',
      },
    ],
    approvers: `Who may approve: ${describeApprovers(policy)}.`,
  });
}

/** Answers to a message the bot cannot act on. */
export const NOT_UNDERSTOOD = {
  command: (c: Extract<Command, { kind: 'unknown' }>) =>
    `I did not understand "${forMessage(c.text)}".` +
    `${c.suggestion ? ` Did you mean \`${c.suggestion}\`?` : ''} Type \`help\` to see what I can do.`,
  /** An Action.Submit from a card of an earlier version of the bot: a value, no text. */
  olderCardButton: 'That card button is from an older version of this bot; type `help` for what I can do now.',
};
