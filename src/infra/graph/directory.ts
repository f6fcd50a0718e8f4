/**
 * The directory over Microsoft Graph: the app identity's reads (app-directory.ts) and, per
 * user, the on-behalf-of calls (user-directory.ts), with one Graph client per user assertion.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { createHash } from 'node:crypto';
import type { Person } from '../../domain/request';
import type { Clock } from '../../ports/clock';
import type { AppDirectory, DirectoryFactory, UserDirectory } from '../../ports/directory';
import type { Inventory } from '../../ports/inventory';
import type { UserTokenSource } from '../../ports/tokens';
import { GraphAppDirectory } from './app-directory';
import { assertionExpiry } from './assertion';
import { appCredential, graphClient, oboGraphClient, type GraphEndpoint } from './client';
import { GraphInventory } from './inventory';
import { GraphUserDirectory } from './user-directory';

export class GraphDirectoryFactory implements DirectoryFactory {
  private readonly appDirectory: GraphAppDirectory;
  private readonly groupInventory: GraphInventory;

  constructor(
    private readonly endpoint: GraphEndpoint,
    private readonly tokens: UserTokenSource,
    private readonly clock: Clock,
    private readonly batching = true,
    tenantCacheMs = 0,
  ) {
    const appClient = graphClient(endpoint, appCredential(endpoint));
    this.appDirectory = new GraphAppDirectory(appClient, clock, batching, tenantCacheMs);
    this.groupInventory = new GraphInventory(appClient, clock, batching);
  }

  app(): AppDirectory {
    return this.appDirectory;
  }

  /** Every group of the tenant, page by page, with the app identity (the readiness report). */
  inventory(): Inventory {
    return this.groupInventory;
  }

  /**
   * On-behalf-of clients by assertion (its SHA-256, never the token itself): the credential
   * caches the Graph token it got, so a user's calls reuse one exchange until the assertion
   * changes (Teams renews it before it expires). Evicts expired assertions as it goes.
   */
  private readonly obo = new Map<string, { client: Client; exp: number }>();

  private keyOf(assertion: string): string {
    return createHash('sha256').update(assertion).digest('base64url');
  }

  private clientFor(assertion: string): Client {
    const key = this.keyOf(assertion);
    const now = this.clock.now().getTime();
    const hit = this.obo.get(key);
    if (hit && hit.exp > now) return hit.client;
    for (const [k, v] of this.obo) if (v.exp <= now) this.obo.delete(k);
    // An opaque assertion (no readable exp) is kept for an hour.
    const exp = assertionExpiry(assertion, now + 3_600_000);
    const client = oboGraphClient(this.endpoint, assertion);
    if (this.obo.size < 10_000) this.obo.set(key, { client, exp });
    return client;
  }

  forUser(user: Person): UserDirectory {
    return new GraphUserDirectory(
      this.endpoint,
      this.tokens,
      user,
      this.clock,
      { get: (a) => this.clientFor(a), forget: (a) => void this.obo.delete(this.keyOf(a)) },
      this.batching,
    );
  }
}
