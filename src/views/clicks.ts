/** The answers to card clicks (shown to the clicker in place of the card, or as a toast). */

/** A rejection reason is a sentence or two; it is kept with the request and shown on cards. */
export const MAX_REASON_LENGTH = 1000;

export const CLICK = {
  unknownClicker: 'I cannot tell who clicked (no Azure AD object id).',
  notARequest: 'This card does not refer to a request I know. Nothing was changed.',
  otherConversation: (id: string) =>
    `Request ${id} belongs to another conversation; decide it on its own card there. Nothing was changed.`,
  notAGroup: 'This card does not refer to a group I know. Nothing was changed.',
  reasonTooLong: (length: number) =>
    `The reason is ${length.toLocaleString('en-US')} characters long; ` +
    `give at most ${MAX_REASON_LENGTH.toLocaleString('en-US')}. Nothing was changed.`,
  /** The decision took longer than the click budget: its outcome reaches the card and the thread. */
  stillDeciding: 'Checking your sign-in and roles with Entra ID; the card updates in a moment.',
  checkPosted: 'Check posted.',
  requestPosted: 'Request posted.',
  rollbackRequested: (id: string) => `Rollback requested: ${id}.`,
  /** A reason is required: the reason card is posted in the conversation. */
  reasonAsked: 'Requests here need a reason: give it on the card below.',
  unknownVerb: 'This button is not known to the bot any more. Type `help`.',
};
