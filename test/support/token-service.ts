/**
 * A stand-in for the Bot Framework token service (the Azure Bot's OAuth connection), on
 * loopback: GetToken (with magic codes), exchange (Teams SSO), GetSignInResource, SignOut.
 * Tokens are the fake tenant's SSO tokens, so what it hands out goes through the real
 * on-behalf-of path. A sign-in with a magic code is interactive (Entra ID's own sign-in page):
 * Conditional Access asks for multi-factor authentication there, so its token carries it
 * (`amr` with `mfa`), unless the test says the sign-in did not ask for it. A token exchanged
 * from Teams SSO is silent: it carries only what the Teams sign-in had (no MFA here).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { LOCAL_BOT_APP_ID } from '../../src/fake-tenant/seed';
import { ssoToken } from './fake-tenant';

export class FakeTokenService {
  url = '';
  readonly calls: Array<{ op: string; userId: string | null; connectionName: string | null }> = [];
  private readonly tokens = new Map<string, string>();
  private readonly codes = new Map<string, { userId: string; mfa: boolean }>();
  private server!: Server;

  constructor(private readonly tenant: FakeTenant) {}

  async start(): Promise<this> {
    this.server = createServer(
      (req, res) =>
        void this.handle(req, res).catch(() => {
          res.statusCode = 500;
          res.end();
        }),
    );
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /**
   * The user completes a sign-in in the browser; Teams will send this magic code. `mfa: false`:
   * the sign-in did not ask for multi-factor authentication (a Conditional Access policy that
   * does not cover signing in to the bot), so the token lacks it.
   */
  async pendingSignIn(userId: string, code: string, opts: { mfa?: boolean } = {}): Promise<void> {
    this.codes.set(code, { userId, mfa: opts.mfa ?? true });
  }

  /** Whether the service holds a token for this Teams user and connection. */
  holds(userId: string, connectionName: string): boolean {
    return this.tokens.has(`${userId}|${connectionName}`);
  }

  /** The service holds `token` for this Teams user and connection (what a completed sign-in leaves). */
  hold(userId: string, connectionName: string, token: string): void {
    this.tokens.set(`${userId}|${connectionName}`, token);
  }

  private oidOf(userId: string): string {
    return userId.replace(/^29:/, '');
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    // restify in this process patches writeHead: no chaining.
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const q = url.searchParams;
    const userId = q.get('userId');
    const connectionName = q.get('connectionName');
    const key = `${userId}|${connectionName}`;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const tokenResponse = (token: string) => ({
      channelId: q.get('channelId') ?? 'msteams',
      connectionName,
      token,
      expiration: new Date(Date.now() + 3600_000).toISOString(),
    });
    switch (url.pathname) {
      case '/api/usertoken/GetToken': {
        this.calls.push({ op: 'GetToken', userId, connectionName });
        const code = q.get('code');
        const signIn = code ? this.codes.get(code) : undefined;
        if (code && signIn?.userId === userId) {
          this.codes.delete(code);
          this.tokens.set(key, await ssoToken(this.tenant, this.oidOf(userId!), { mfa: signIn.mfa }));
        }
        const token = this.tokens.get(key);
        if (token) return this.send(res, 200, tokenResponse(token));
        // No token: 404 with an empty body (botbuilder treats any parsed body as a token response).
        res.statusCode = 404;
        return void res.end();
      }
      case '/api/usertoken/exchange': {
        this.calls.push({ op: 'exchange', userId, connectionName });
        const presented = String(body?.token ?? '');
        let oid: unknown;
        try {
          oid = JSON.parse(Buffer.from(presented.split('.')[1] ?? '', 'base64url').toString('utf8')).oid;
        } catch {
          oid = undefined;
        }
        if (!userId || oid !== this.oidOf(userId))
          return this.send(res, 400, { error: { code: 'InvalidToken', message: 'The token could not be exchanged.' } });
        // The service exchanges the Teams token for the connection's token (audience: the bot).
        const token = await ssoToken(this.tenant, this.oidOf(userId));
        this.tokens.set(key, token);
        return this.send(res, 200, tokenResponse(token));
      }
      case '/api/botsignin/GetSignInResource': {
        // The sign-in's state names the connection and the conversation with the user signing in.
        let state: { connectionName?: string; conversation?: { user?: { id?: string } } } = {};
        try {
          state = JSON.parse(Buffer.from(q.get('state') ?? '', 'base64').toString('utf8'));
        } catch {
          state = {};
        }
        this.calls.push({
          op: 'GetSignInResource',
          userId: state.conversation?.user?.id ?? null,
          connectionName: state.connectionName ?? null,
        });
        return this.send(res, 200, {
          signInLink: 'https://token.botframework.example/api/oauth/signin?signin=abc',
          tokenExchangeResource: { id: 'ter-1', uri: `api://botid-${LOCAL_BOT_APP_ID}`, providerId: 'aad' },
        });
      }
      case '/api/usertoken/SignOut':
        this.calls.push({ op: 'SignOut', userId, connectionName });
        this.tokens.delete(key);
        return this.send(res, 200, {});
      default:
        return this.send(res, 404, { error: { code: 'NotFound', message: url.pathname } });
    }
  }
}
