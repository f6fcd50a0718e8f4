/** Coded errors. Callers switch on `code`, never on message text. */

export type ErrorCode =
  // directory (Graph edge)
  | 'GroupNotFound'
  | 'PermissionDenied'
  | 'ConsentRequired'
  | 'InteractionRequired'
  | 'BlockedByConditionalAccess'
  | 'TokenExpired'
  | 'Throttled'
  | 'SyncedObjectReadOnly'
  | 'NotSyncedFromAd'
  | 'BadRequest'
  | 'Unauthorized'
  | 'AppCredentialRejected'
  | 'ServiceUnavailable'
  | 'DirectoryError'
  // workflow
  | 'RequestNotFound'
  | 'StaleVersion'
  | 'IllegalTransition'
  | 'NotAllowed'
  | 'Expired'
  | 'InvalidInput'
  // the bot's own storage (requests, work queue, boards)
  | 'StorageUnavailable';

export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export function isCoded(e: unknown, ...codes: ErrorCode[]): e is CodedError {
  return e instanceof CodedError && (codes.length === 0 || codes.includes(e.code));
}
