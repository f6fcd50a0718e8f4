/**
 * Production source of a user's assertion: the Bot Framework token service behind the Azure
 * Bot's OAuth connection, which Teams single sign-on fills (token exchange, or sign-in with a
 * magic code). The connection's scope is the bot's own API (api://botid-{id}/access_as_user),
 * so the token's audience is the bot and it can be exchanged on behalf of the user. The
 * service keeps the token, so the background worker (any instance) can fetch it again by the
 * user's Teams id, without the bot storing tokens itself.
 */
import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { CodedError } from '../../domain/errors';
import type { Person } from '../../domain/request';
import type { UserTokenSource } from '../../ports/tokens';

export class BotTokenServiceSource implements UserTokenSource {
  private readonly auth: ConfigurationBotFrameworkAuthentication;

  constructor(
    private readonly botAppId: string,
    private readonly connectionName: string,
    authConfig: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory,
  ) {
    this.auth = new ConfigurationBotFrameworkAuthentication(authConfig, credentialsFactory);
  }

  /** A token service client acting as the bot's app. */
  client(): Promise<UserTokenClient> {
    const identity = new ClaimsIdentity(
      [
        { type: AuthenticationConstants.AudienceClaim, value: this.botAppId },
        { type: AuthenticationConstants.AppIdClaim, value: this.botAppId },
      ],
      true,
    );
    return this.auth.createUserTokenClient(identity);
  }

  async assertionFor(user: Person): Promise<string> {
    if (!user.channelUserId)
      throw new CodedError('InteractionRequired', 'I cannot look up your sign-in: click the card button again.');
    const client = await this.client();
    const token = await client.getUserToken(user.channelUserId, this.connectionName, 'msteams', '');
    if (!token?.token)
      throw new CodedError(
        'InteractionRequired',
        'You need to sign in first: click Approve (or Reject) on the card and complete the sign-in, then click again.',
      );
    return token.token;
  }

  /**
   * Signs the user out of the OAuth connection: the token service drops the token it holds, so
   * the next sign-in through the connection is interactive (the user sees Entra ID's sign-in,
   * where Conditional Access asks for multi-factor authentication) instead of reusing it.
   */
  async signOut(user: Person): Promise<void> {
    if (!user.channelUserId) return;
    const client = await this.client();
    await client.signOutUser(user.channelUserId, this.connectionName, 'msteams');
  }
}
