/**
 * When Entra ID will not let the bot act for an approver until they sign in again (multi-factor
 * authentication, a fresh sign-in): what it asks for, the sign-in prompt, and what happened
 * when the sign-in did not satisfy it.
 */
import { forMessage } from './text';

/** What each AADSTS code of an interactive sign-in asks the person for. */
const ASKED: Record<number, string> = {
  50076: 'multi-factor authentication',
  50074: 'strong authentication (multi-factor)',
  50079: 'registering for multi-factor authentication',
  50072: 'registering for multi-factor authentication',
  50078: 'multi-factor authentication again (the last one expired)',
  50158: 'an external security check',
  50173: 'a fresh sign-in',
  70043: 'a fresh sign-in (the last one is older than your organisation allows)',
};

/** What Entra ID asks for, with its code: "multi-factor authentication (AADSTS50076)". */
export function askedFor(aadsts?: number): string {
  if (aadsts === undefined) return 'a new sign-in';
  return `${ASKED[aadsts] ?? 'a new interactive sign-in'} (AADSTS${aadsts})`;
}

/** A person named in a thread line; Teams notifies them when the line carries the mention. */
export function mentionOf(name: string): string {
  return `<at>${forMessage(name)}</at>`;
}

export const STEP_UP = {
  /** The button of the sign-in prompt. */
  button: 'Sign in',
  /** The sign-in prompt on the card, for the approver who clicked. */
  prompt: (requestId: string, aadsts?: number) =>
    `Entra ID asks for ${askedFor(aadsts)} before the bot may approve ${requestId} for you. ` +
    'Sign in here; the approval then continues by itself. Nothing has been switched yet.',
  /** The same prompt in the thread, when the click had already been answered. */
  promptInThread: (who: string, requestId: string, aadsts?: number) =>
    `${who}: Entra ID asks for ${askedFor(aadsts)} before your approval of ${requestId} can go ahead. ` +
    'Sign in with the button below; the approval then continues by itself. Nothing has been switched yet.',
  /** The approver signed in again, and Entra ID still refused. */
  stillAsked: (name: string, requestId: string, aadsts?: number) =>
    `${forMessage(name)} signed in again, but Entra ID still asks for ${askedFor(aadsts)} before the bot may ` +
    `act for them, so nothing was done on ${requestId} (it still waits for a decision) and nothing was ` +
    'switched. Click the button again and complete what Entra ID asks for at the sign-in. If the sign-in ' +
    'never asks for it, the Conditional Access policy does not cover signing in to this bot: your identity ' +
    "team can add the bot's app to the policy.",
  /** The approver signed in, and the decision failed for another reason (a block, a role lost, …). */
  failedAfterSignIn: (name: string, requestId: string, reason: string, aadsts?: number) =>
    `${forMessage(name)} signed in, but nothing was done on ${requestId}` +
    `${aadsts !== undefined ? ` (AADSTS${aadsts})` : ''}: ${reason} Nothing was switched.`,
  /** The sign-in was cancelled, or Teams brought a code the token service did not accept. */
  notCompleted: (name: string, requestId: string) =>
    `${forMessage(name)}: the sign-in for ${requestId} did not complete, so it was not approved and nothing ` +
    'was switched; it still waits for approval. Click Approve again to sign in.',
};

/** The words for an InteractionRequired error where no sign-in prompt can be shown. */
export function signInAgain(aadsts?: number): string {
  return (
    `Entra ID wants you to sign in again before the bot may act for you: it asks for ${askedFor(aadsts)}. ` +
    'Nothing was changed. Sign in again, complete what it asks for, then click again.'
  );
}
