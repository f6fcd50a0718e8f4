import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { startBot } from '../../src/index';
import { playgroundEnv } from '../../src/local';
import { silentLogger } from '../../src/ports/logger';
import { LOCAL_BOT_APP_ID, LOCAL_BOT_SECRET, LOCAL_TENANT_ID } from '../../src/fake-tenant/seed';

const local = {
  AAD_APP_CLIENT_ID: LOCAL_BOT_APP_ID,
  // The fake tenant's local-only client secret (env/.env.playground), not a real one.
  AAD_APP_CLIENT_SECRET: LOCAL_BOT_SECRET,
  AAD_APP_TENANT_ID: LOCAL_TENANT_ID,
};

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env, '/srv/bot');
    return '';
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.message;
  }
};

describe('configuration is validated once, at start, naming each bad setting', () => {
  it('local mode: defaults, loopback only', () => {
    const c = loadConfig(local, '/srv/bot');
    assert.equal(c.mode, 'local');
    assert.equal(c.graph.graphBaseUrl, 'https://localhost:3979');
    assert.equal(c.storage.kind, 'sqlite');
    assert.match(problems({ ...local, HOST: '0.0.0.0' }), /only binds to loopback; HOST is '0.0.0.0'/);
  });

  it('npm start names a missing env/.env.playground instead of the settings it would have held', () => {
    const dir = mkdtempSync(join(tmpdir(), 'soa-root-'));
    try {
      assert.throws(
        () => playgroundEnv(dir, {}),
        (e) => e instanceof ConfigError && /^env\/\.env\.playground is missing \(/.test(e.message),
      );
      mkdirSync(join(dir, 'env'));
      writeFileSync(join(dir, 'env', '.env.playground'), 'PORT=3978\nPLAYGROUND_PORT=56150\n');
      assert.deepEqual(playgroundEnv(dir, { PORT: '4000' }), { PORT: '4000', PLAYGROUND_PORT: '56150' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names missing and malformed settings together', () => {
    const msg = problems({
      AAD_APP_CLIENT_ID: 'not-a-guid',
      PORT: 'eighty',
      ALLOW_SELF_APPROVAL: 'maybe',
      STORAGE: 'cosmos',
      APPROVER_ROLES: 'Chief Approver',
      AUTHORITY_HOST: 'http://insecure',
    });
    for (const re of [
      /AAD_APP_CLIENT_ID must be a GUID/,
      /AAD_APP_TENANT_ID is missing/,
      /AAD_APP_CLIENT_SECRET .* is missing/,
      /PORT must be a number/,
      /ALLOW_SELF_APPROVAL must be true or false/,
      /STORAGE must be sqlite or blob/,
      /unknown role 'Chief Approver'/,
      /AUTHORITY_HOST must be an https URL/,
    ]) {
      assert.match(msg, re);
    }
    assert.match(problems({ ...local, STORAGE: 'blob' }), /STORAGE=blob needs AZURE_STORAGE_CONNECTION_STRING/);
    assert.match(
      problems({ ...local, LEASE_SECONDS: '300' }),
      /LEASE_SECONDS must be shorter than JOB_VISIBILITY_SECONDS/,
    );
  });

  it('production mode (BOT_ID set): names every missing setting', () => {
    const msg = problems({ BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e' });
    for (const re of [
      /BOT_PASSWORD is missing/,
      /BOT_TENANT_ID is missing/,
      /OAUTH_CONNECTION_NAME is missing/,
      /STORAGE is missing/,
      /PUBLIC_URL is missing/,
    ])
      assert.match(msg, re);
    assert.match(
      problems({
        BOT_ID: 'bot',
        BOT_PASSWORD: 'x',
        BOT_TENANT_ID: 'contoso',
        OAUTH_CONNECTION_NAME: 'graph',
        STORAGE: 'sqlite',
      }),
      /BOT_ID must be .*GUID[\s\S]*BOT_TENANT_ID must be a tenant id/,
    );
    const bot = {
      BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
      BOT_PASSWORD: 'x',
      BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
      OAUTH_CONNECTION_NAME: 'graph',
      STORAGE: 'sqlite',
    };
    // Export links and the privacy and terms pages are addressed with it; never the listening address.
    assert.match(problems({ ...bot, PUBLIC_URL: 'http://soa-bot.contoso.example' }), /PUBLIC_URL must be https/);
    assert.match(
      problems({ ...bot, PUBLIC_URL: 'https://soa-bot.contoso.example/bot' }),
      /PUBLIC_URL must be the bot's base URL/,
    );
    assert.match(
      problems({ ...bot, PUBLIC_URL: 'https://soa-bot.contoso.example', EXPORT_LINK_MINUTES: '120' }),
      /EXPORT_LINK_MINUTES must be at most 60/,
    );
    const c = loadConfig(
      {
        BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
        BOT_PASSWORD: 'x',
        BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
        OAUTH_CONNECTION_NAME: 'graph',
        STORAGE: 'sqlite',
        PUBLIC_URL: 'https://soa-bot.contoso.example',
      },
      '/srv/bot',
    );
    assert.equal(c.mode, 'production');
    assert.equal(c.graph.graphBaseUrl, 'https://graph.microsoft.com');
    assert.equal(c.graph.authorityHost, 'https://login.microsoftonline.com');
    assert.equal(c.graph.clientId, '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e', 'the bot app serves SSO and on-behalf-of');
    assert.equal(c.sso?.tokenExchangeUri, 'api://botid-7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e');
    assert.equal(c.host, '0.0.0.0');
  });

  it('production mode starts with all settings and serves /readyz; without one it does not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soa-prod-'));
    try {
      const env = {
        BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
        BOT_PASSWORD: 'x',
        BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
        OAUTH_CONNECTION_NAME: 'graph',
        STORAGE: 'sqlite',
        STORE_FILE: join(dir, 'r.sqlite'),
        HOST: '127.0.0.1',
        PORT: '0',
        PUBLIC_URL: 'https://soa-bot.contoso.example',
      };
      const bot = await startBot(loadConfig(env, dir), { logger: silentLogger });
      try {
        const ready = await fetch(`${bot.http.url}/readyz`);
        assert.equal(ready.status, 200);
        // Bot Framework authentication is on: an unsigned activity is refused.
        const anonymous = await fetch(`${bot.http.url}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            text: 'help',
            channelId: 'msteams',
            serviceUrl: 'http://127.0.0.1:9/',
            from: { id: 'x' },
            conversation: { id: 'c' },
            recipient: { id: 'b' },
          }),
        });
        assert.equal(anonymous.status, 401);
      } finally {
        await bot.close();
      }
      const { OAUTH_CONNECTION_NAME: _dropped, ...missing } = env;
      assert.throws(() => loadConfig(missing, dir), /OAUTH_CONNECTION_NAME is missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'a user-assigned managed identity for Bot Framework: no BOT_PASSWORD; ' + 'a separate Entra app does on-behalf-of',
    async () => {
      const mi = {
        BOT_ID: '5c1f0e2d-8a7b-4c6d-9e0f-1a2b3c4d5e6f',
        BOT_TYPE: 'UserAssignedMSI',
        BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
        OAUTH_CONNECTION_NAME: 'graph',
        STORAGE: 'sqlite',
      };
      assert.match(problems(mi), /AAD_APP_CLIENT_ID is missing: with BOT_TYPE=UserAssignedMSI/);
      assert.match(
        problems({ ...mi, AAD_APP_CLIENT_ID: mi.BOT_ID, AAD_APP_CLIENT_SECRET: 'x' }),
        /must differ from BOT_ID/,
      );
      assert.match(problems({ ...mi, BOT_TYPE: 'MultiTenant' }), /BOT_TYPE must be SingleTenant or UserAssignedMSI/);
      assert.match(
        problems({ ...mi, AAD_APP_CLIENT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e', BOT_PASSWORD: randomUUID() }),
        /AAD_APP_CLIENT_SECRET \(or AAD_APP_CERTIFICATE_PATH\) is missing/,
      );
      const dir = mkdtempSync(join(tmpdir(), 'soa-mi-'));
      try {
        const c = loadConfig(
          {
            ...mi,
            AAD_APP_CLIENT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
            AAD_APP_CLIENT_SECRET: 'x',
            STORE_FILE: join(dir, 'r.sqlite'),
            HOST: '127.0.0.1',
            PORT: '0',
            PUBLIC_URL: 'https://soa-bot.contoso.example',
          },
          dir,
        );
        assert.equal(c.botType, 'UserAssignedMSI');
        assert.equal(
          c.sso?.tokenExchangeUri,
          'api://botid-7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
          'SSO resource is the Entra app, not the identity',
        );
        const bot = await startBot(c, { logger: silentLogger });
        try {
          assert.equal((await fetch(`${bot.http.url}/readyz`)).status, 200);
          const anonymous = await fetch(`${bot.http.url}/api/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({
              type: 'message',
              text: 'help',
              channelId: 'msteams',
              serviceUrl: 'http://127.0.0.1:9/',
              from: { id: 'x' },
              conversation: { id: 'c' },
              recipient: { id: 'b' },
            }),
          });
          assert.equal(anonymous.status, 401);
        } finally {
          await bot.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
