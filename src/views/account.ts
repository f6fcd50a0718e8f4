/** Who the user is to the bot: sign-in, sign-out, their standing, and who is turned away. */
import { forMessage } from './text';

/** What `sign in` shows once the user is known (the approver standing from the service). */
export function standingText(s: {
  name: string;
  roles: string[];
  canApprove: boolean;
  reason?: string;
  secondStage?: boolean;
}): string {
  const roles = s.roles.length ? s.roles.join(', ') : 'none active';
  const board = s.secondStage
    ? ' You are a member of the second-stage group: you can approve requests at the second stage.'
    : '';
  return (
    `You are signed in as **${forMessage(s.name)}** (directory roles: ${roles}). ` +
    (s.canApprove
      ? 'You can approve requests; the change runs with this identity.'
      : `You cannot approve requests: ${s.reason}`) +
    board
  );
}

export const SIGN_IN = {
  /** The sign-in card Teams shows when Approve, Reject or `sign in` needs a token. */
  cardTitle: 'Sign in to decide this request',
  cardText: 'The change runs with your own identity, so Entra ID records you and applies your Conditional Access.',
  failed: 'Sign-in did not complete. Type `sign in` to try again; Approve and Reject will also ask you to sign in.',
  signedOut: 'You are signed out. Approve and Reject will ask you to sign in again.',
  /** Local mode: the fake tenant signs everyone in; there is no token to forget. */
  nothingToSignOut: 'There is nothing to sign out of here: the local stack signs you in through its own tenant.',
};

/** Who is turned away before any command runs. */
export const TURNED_AWAY = {
  /** A message with no Entra object id on its sender. */
  unknownSender:
    'I cannot tell who you are in Entra ID (no Azure AD object id on your message), ' +
    'so I cannot take requests from this client.',
  /** An activity from a tenant not on the allow-list. */
  otherTenant: 'This bot serves its own organisation only; your tenant is not on its list.',
};
