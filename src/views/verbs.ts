/**
 * The Action.Execute verbs of the bot's cards. The templates in cards/*.json spell the same
 * names; the bot routes each one (bot/clicks/table.ts).
 */
export const VERB = {
  approve: 'approve',
  reject: 'reject',
  /** Resume a stopped plan at its failed step. */
  resume: 'resume',
  /** Request the rollback of what a move plan switched. */
  rollbackPlan: 'rollbackPlan',
  /** From a check card or a pick list: request the change of that group. */
  request: 'request',
  /** From a pick list: check that group. */
  check: 'check',
  /** Refresh of the board card. */
  board: 'board',
  /** The reason card: give the reason, and the request is made. */
  justify: 'justify',
  /** A trial's reminder: keep the group in the cloud (no rollback), or roll it back now (approvers). */
  trialKeep: 'trialKeep',
  trialRollback: 'trialRollback',
  /** The readiness report: cancel a running scan; export the full list of a finished one (approvers). */
  cancelReadiness: 'cancelReadiness',
  exportReadiness: 'exportReadiness',
} as const;

export type Verb = (typeof VERB)[keyof typeof VERB];
