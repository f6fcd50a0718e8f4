/** What the bot can do: the help card, and the answers to what it does not understand. */
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import type { Card } from './labels';
import { render } from './templates';

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
