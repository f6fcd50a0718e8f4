/** Where a user's assertion for the on-behalf-of exchange comes from. */
import type { Person } from '../domain/request';

export interface UserTokenSource {
  /**
   * A token whose audience is the bot's own app (the Teams SSO token in production; the
   * fake tenant's stand-in locally). Never logged.
   */
  assertionFor(user: Person): Promise<string>;
  /** Drops what is cached for the user after the assertion was refused (expired, revoked). */
  forget?(user: Person): void;
  /**
   * Ends the user's held sign-in, so the next one is interactive: what Entra ID asks for when it
   * wants multi-factor authentication or a fresh sign-in before acting for them.
   */
  signOut?(user: Person): Promise<void>;
}
