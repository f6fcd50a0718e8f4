/**
 * What the user reads for every coded error: a card title, the message, and the next step.
 * One entry per code, so a new code without words does not compile. The message is the
 * error's own (written at the edge that raised it, with the facts it knows) unless the entry
 * says it better for the person in front of the card.
 */
import { isCoded, type CodedError, type ErrorCode } from '../domain/errors';
import type { ChangeControlProblem } from '../domain/change-control';
import { changeControlRefusal } from './change-control';
import { signInAgain } from './step-up';

interface ErrorText {
  title: string;
  /** Defaults to the error's own message. */
  message?: (e: CodedError) => string;
  nextStep?: string;
}

const DEFAULT_TITLE = 'That did not work';
const SIGN_IN_AGAIN = 'Sign in again';

const ERROR_TEXT: Record<ErrorCode, ErrorText> = {
  GroupNotFound: { title: 'Group not found', message: () => 'The group no longer exists in Entra ID.' },
  PermissionDenied: {
    title: 'Not allowed',
    message: () =>
      'Microsoft Graph refused the change for the approver: an active Hybrid Identity Administrator ' +
      '(or allowed) role and the Group-OnPremisesSyncBehavior.ReadWrite.All consent are needed.',
  },
  ConsentRequired: {
    title: 'Consent needed',
    message: (e) =>
      `${e.message} The delegated permissions are Group-OnPremisesSyncBehavior.ReadWrite.All and User.Read.`,
    nextStep:
      'An administrator grants admin consent to the bot in Entra ID (Enterprise applications → the bot → ' +
      'Permissions), then try again.',
  },
  InteractionRequired: {
    title: SIGN_IN_AGAIN,
    // Entra ID's own refusal names its code; a missing sign-in (no code) keeps the message it came with.
    message: (e) => (typeof e.details.aadsts === 'number' ? signInAgain(e.details.aadsts) : e.message),
  },
  TokenExpired: { title: SIGN_IN_AGAIN },
  BlockedByConditionalAccess: { title: 'Blocked by Conditional Access' },
  Throttled: {
    title: 'Microsoft Graph is busy',
    message: () =>
      'Microsoft Graph kept throttling the request after retries. Nothing was changed by the failed call; ' +
      'approve a new request later.',
    nextStep: 'Try again in a minute.',
  },
  SyncedObjectReadOnly: { title: DEFAULT_TITLE },
  NotSyncedFromAd: { title: DEFAULT_TITLE },
  BadRequest: { title: DEFAULT_TITLE },
  Unauthorized: { title: DEFAULT_TITLE },
  AppCredentialRejected: {
    title: "The bot's credential was refused",
    nextStep:
      "An administrator renews the client secret or certificate of the bot's Entra app and updates " +
      'AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH.',
  },
  ServiceUnavailable: { title: DEFAULT_TITLE },
  DirectoryError: { title: DEFAULT_TITLE },
  RequestNotFound: { title: DEFAULT_TITLE },
  StaleVersion: { title: DEFAULT_TITLE },
  IllegalTransition: { title: DEFAULT_TITLE },
  NotAllowed: { title: DEFAULT_TITLE },
  Expired: { title: DEFAULT_TITLE },
  InvalidInput: {
    title: DEFAULT_TITLE,
    // A request without its ticket or reason: the change-control words (change-control.ts).
    message: (e) =>
      e.details.changeControl ? changeControlRefusal(e.details.changeControl as ChangeControlProblem) : e.message,
  },
  StorageUnavailable: {
    title: 'The bot cannot reach its storage',
    nextStep:
      "If it lasts, an administrator checks the bot's storage (the SQLite file's disk, or the storage account) " +
      'and /readyz.',
  },
};

/** A failure as a sentence: what happened and what to do. Anything uncoded is a bug, said as one. */
export function explain(e: unknown): string {
  if (!isCoded(e)) return 'An unexpected error stopped the change. Nothing else was attempted; see the bot logs.';
  return ERROR_TEXT[e.code].message?.(e) ?? e.message;
}

export function errorTitle(e: CodedError): string {
  return ERROR_TEXT[e.code].title;
}

export function nextStep(e: CodedError): string | undefined {
  return ERROR_TEXT[e.code].nextStep;
}
