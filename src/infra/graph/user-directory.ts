/** Acting as one user through the on-behalf-of exchange: who they are, their roles, the SOA read and write. */
import type { Client } from '@microsoft/microsoft-graph-client';
import { CodedError, isCoded } from '../../domain/errors';
import type { Decider } from '../../domain/policy';
import type { Person } from '../../domain/request';
import type { Clock } from '../../ports/clock';
import type { UserDirectory, WriteGuard } from '../../ports/directory';
import type { UserTokenSource } from '../../ports/tokens';
import { assertionOid } from './assertion';
import { runBatch } from './batch';
import { AttemptGuard, tokenRefusal, type GraphEndpoint } from './client';
import { mapGraphError, type ErrorContext } from './errors';
import { fail, ok, type Page } from './wire';

/** The client for an assertion: one on-behalf-of credential per assertion, shared. */
export interface OboClients {
  get(assertion: string): Client;
  forget(assertion: string): void;
}

interface MemberOf {
  '@odata.type'?: string;
  id: string;
  roleTemplateId?: string;
}

const IDENTITY_MISMATCH =
  'The sign-in the bot holds for your Teams account belongs to another Entra user, so nothing was done. ' +
  'Type `sign out`, then sign in again as yourself.';

export class GraphUserDirectory implements UserDirectory {
  private client: Promise<Client> | null = null;
  private assertion: string | null = null;
  /** The on-behalf-of client in use, for what Entra ID said when it refused it a token. */
  private current: Client | null = null;

  constructor(
    private readonly endpoint: GraphEndpoint,
    private readonly tokens: UserTokenSource,
    private readonly user: Person,
    private readonly clock: Clock,
    private readonly clients: OboClients,
    private readonly batching = true,
  ) {}

  /** How a failure is mapped: with where consent is granted and Entra ID's own refusal (its claims challenge). */
  private context(groupId?: string): ErrorContext {
    return {
      ...(groupId ? { groupId } : {}),
      consent: this.endpoint,
      refusal: this.current ? tokenRefusal(this.current) : null,
    };
  }

  /**
   * A refused sign-in: forget the cached assertion and client (with its on-behalf-of token), so
   * the next try starts afresh. When Entra ID asks for an interactive sign-in (MFA, a fresh
   * sign-in), the held sign-in is ended too: the next one must be interactive to satisfy it.
   */
  private async failed(e: CodedError): Promise<CodedError> {
    if (
      isCoded(e, 'Unauthorized', 'TokenExpired', 'InteractionRequired', 'BlockedByConditionalAccess', 'ConsentRequired')
    ) {
      this.tokens.forget?.(this.user);
      if (this.assertion) this.clients.forget(this.assertion);
      this.client = null;
      this.current = null;
    }
    if (isCoded(e, 'InteractionRequired') && typeof e.details.aadsts === 'number')
      await this.tokens.signOut?.(this.user).catch(() => undefined);
    return e;
  }

  private graph(): Promise<Client> {
    this.client ??= this.tokens.assertionFor(this.user).then((assertion) => {
      // The acting user is the activity's Entra user; the token must be theirs. Entra checks
      // the token's signature at the exchange, so its oid is the user Graph will act as.
      if (assertionOid(assertion) !== this.user.id.toLowerCase()) {
        this.tokens.forget?.(this.user);
        throw new CodedError('Unauthorized', IDENTITY_MISMATCH, { identityMismatch: true });
      }
      this.assertion = assertion;
      this.current = this.clients.get(assertion);
      return this.current;
    });
    return this.client;
  }

  async whoAmI(): Promise<Decider & { name: string }> {
    try {
      const r = await runBatch(
        await this.graph(),
        [
          { id: 'me', url: '/me?$select=id,displayName' },
          { id: 'of', url: '/me/transitiveMemberOf?$select=id,roleTemplateId&$top=999' },
        ],
        this.clock,
        this.batching,
      );
      const me = r.get('me');
      const of = r.get('of');
      if (!ok<{ id: string; displayName: string }>(me)) throw fail(me);
      if (!ok<Page<MemberOf>>(of)) throw fail(of);
      const items = of.body.value;
      return {
        id: me.body.id,
        name: me.body.displayName,
        roles: items
          .filter((i) => i['@odata.type'] === '#microsoft.graph.directoryRole' && i.roleTemplateId)
          .map((i) => i.roleTemplateId!),
        groupIds: items.filter((i) => i['@odata.type'] === '#microsoft.graph.group').map((i) => i.id),
      };
    } catch (e) {
      throw await this.failed(mapGraphError(e, this.context()));
    }
  }

  async readIsCloudManaged(groupId: string): Promise<boolean> {
    try {
      const body = (await (
        await this.graph()
      )
        .api(`/groups/${groupId}/onPremisesSyncBehavior`)
        .select('isCloudManaged')
        .get()) as { isCloudManaged?: unknown; value?: { isCloudManaged?: unknown } } | null | undefined;
      // One doc example wraps the entity in "value"; accept both shapes.
      const v = body?.isCloudManaged ?? body?.value?.isCloudManaged;
      if (typeof v !== 'boolean')
        throw new CodedError('DirectoryError', 'Microsoft Graph answered without isCloudManaged.');
      return v;
    } catch (e) {
      throw await this.failed(mapGraphError(e, this.context(groupId)));
    }
  }

  async setIsCloudManaged(groupId: string, value: boolean, guard?: WriteGuard): Promise<void> {
    // The guard's refusal reaches the caller as it was thrown (not as a Graph error).
    const refusal: { error?: unknown } = {};
    const before = async () => {
      try {
        return await guard!();
      } catch (e) {
        refusal.error = e;
        throw e;
      }
    };
    try {
      // Docs disagree on the answer (204 No Content now, 200 with the object before): both
      // are success, and the caller reads the value back to verify.
      await (
        await this.graph()
      )
        .api(`/groups/${groupId}/onPremisesSyncBehavior`)
        .middlewareOptions(guard ? [new AttemptGuard(before)] : [])
        .patch({ isCloudManaged: value });
    } catch (e) {
      if ('error' in refusal) throw refusal.error;
      throw await this.failed(mapGraphError(e, this.context(groupId)));
    }
  }
}
