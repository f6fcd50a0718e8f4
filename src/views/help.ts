/** What the bot can do: the help card, and the answers to what it does not understand. */
import type { Command } from '../domain/command';
import { describeApprovers, type ApprovalPolicy } from '../domain/policy';
import { PH, type Card } from './labels';
import { render } from './templates';
import { forMessage } from './text';

const { group: G, requestId: R } = PH;

/** Every command, in the order a newcomer needs them; `usage` is what to type. */
export const HELP_COMMANDS: Array<{ usage: string; what: string }> = [
  {
    usage: `move ${G} to cloud`,
    what:
      `Request the switch to cloud management. Also "switch SOA of ${G} to cloud", "make ${G} cloud-managed"; ` +
      'several groups with commas; names with spaces in quotes. Any request may end with ' +
      '"for CHG0012345" (its ticket), "because …" (its reason) and a time to schedule it: ' +
      '"… on Saturday at 22:00", "… in 2 hours".',
  },
  {
    usage: `move ${G} and its nested groups to cloud`,
    what:
      'A plan: the group and every synced group below it, bottom-up, under one approval. ' +
      `Also "move the tree under ${G} to cloud".`,
  },
  {
    usage: 'move groups starting with "FIN-" to cloud',
    what: 'A wave: every group whose name starts with FIN-, as one plan.',
  },
  { usage: `rollback ${G}`, what: `Request the return to AD management. Also "move ${G} back to AD".` },
  {
    usage: `rollback ${R}`,
    what: 'For a finished or stopped move plan: request the rollback of what it switched, top-down.',
  },
  {
    usage: `check ${G}`,
    what:
      `The prerequisite report alone (dry run). Also "check rollback of ${G}"; "check" in place of "move" ` +
      'gives the dry run of a plan.',
  },
  {
    usage: 'status',
    what:
      `Your requests. "status ${G}" or "status ${R}": where one stands, with its timeline. ` +
      '"pending": the requests waiting for your decision.',
  },
  {
    usage: 'board',
    what: 'Post the tracking card of this channel or chat: every open request here, kept up to date.',
  },
  {
    usage: 'export last 7 days',
    what:
      'Approvers only: the requests created in that range as CSV, behind a link that expires. ' +
      'Also "export" (the last 30 days), "export 2026-11-01 to 2026-11-30".',
  },
  {
    usage: 'readiness',
    what:
      'Approvers only: the readiness report of every group synced from AD: ready, ready with warnings, blocked ' +
      '(and why) or already in the cloud, the nesting depth and the bottom-up waves, with the full list as CSV. ' +
      'For a slice: "readiness FIN-*" or "readiness groups starting with FIN-".',
  },
  {
    usage: `cancel ${R}`,
    what: 'Withdraw your request before it is decided (or a stopped plan, or a scheduled request before it starts).',
  },
  {
    usage: 'sign in',
    what:
      'Who you are to Entra ID and whether your active roles let you approve. Also "who am I"; ' +
      '"sign out" forgets the sign-in.',
  },
  { usage: 'help', what: 'This card. For a message I do not understand, I suggest what you may have meant.' },
];

export function helpCard(policy: ApprovalPolicy): Card {
  return render(
    'help',
    { commands: HELP_COMMANDS, approvers: `Who may approve: ${describeApprovers(policy)}.` },
    'I move Active Directory groups to cloud management and back, after an approval. Commands: move, rollback, ' +
      'check, status, pending, board, export, cancel, sign in, sign out, help, readiness.',
  );
}

/** Answers to a message the bot cannot act on. */
export const NOT_UNDERSTOOD = {
  command: (c: Extract<Command, { kind: 'unknown' }>) =>
    `I did not understand "${forMessage(c.text)}".` +
    `${c.suggestion ? ` Did you mean "${forMessage(c.suggestion)}"?` : ''} Type \`help\` to see what I can do.`,
  /** An Action.Submit from a card of an earlier version of the bot: a value, no text. */
  olderCardButton: 'That card button is from an older version of this bot; type `help` for what I can do now.',
};
