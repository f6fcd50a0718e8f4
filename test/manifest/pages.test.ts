import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { parseEnvFile } from '../../src/env-file';
import { startBot, type RunningBot } from '../../src/index';
import { silentLogger } from '../../src/ports/logger';
import { fillPlaceholders } from '../../src/tools/package-app';

const root = join(__dirname, '..', '..');
const DOMAIN = 'soa-bot.contoso.example';

describe("Teams app manifest: the website, privacy and terms pages are the bot's own", () => {
  let dir: string;
  let bot: RunningBot;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soa-pages-'));
    const env = {
      BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
      BOT_PASSWORD: 'x',
      BOT_TENANT_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
      OAUTH_CONNECTION_NAME: 'graph',
      STORAGE: 'sqlite',
      STORE_FILE: join(dir, 'r.sqlite'),
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: `https://${DOMAIN}`,
      REQUEST_TTL_HOURS: '48',
      ARCHIVE_AFTER_DAYS: '45',
      EXPORT_LINK_MINUTES: '10',
    };
    bot = await startBot(loadConfig(env, dir), { logger: silentLogger });
  });
  after(async () => {
    await bot?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The manifest's developer URLs, filled the way `npm run package` fills them. */
  function developerUrls(): Record<'websiteUrl' | 'privacyUrl' | 'termsOfUseUrl', URL> {
    const { text, missing } = fillPlaceholders(readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8'), {
      TEAMS_APP_ID: '3f2a8c10-6b1d-4e2f-9a3b-5c4d6e7f8a90',
      BOT_ID: '7b9e2d41-0c3f-4a5b-8d6e-1f2a3b4c5d6e',
      BOT_DOMAIN: DOMAIN,
      BOT_ENDPOINT: `https://${DOMAIN}`,
      APP_NAME_SUFFIX: '',
    });
    assert.deepEqual(missing, []);
    const d = (JSON.parse(text) as { developer: Record<string, string> }).developer;
    return {
      websiteUrl: new URL(d.websiteUrl!),
      privacyUrl: new URL(d.privacyUrl!),
      termsOfUseUrl: new URL(d.termsOfUseUrl!),
    };
  }

  it("each URL is the bot's https address, and the bot answers it with a page", async () => {
    for (const [name, url] of Object.entries(developerUrls())) {
      assert.equal(url.origin, `https://${DOMAIN}`, `${name} is not the bot's address`);
      const res = await fetch(`${bot.http.url}${url.pathname}`);
      assert.equal(res.status, 200, `${name}: GET ${url.pathname}`);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(await res.text(), /^<!doctype html>[\s\S]*<h1>SOA Bot/);
    }
  });

  it('the privacy page says what is stored, for whom, and for how long under these settings', async () => {
    const html = await (await fetch(`${bot.http.url}${developerUrls().privacyUrl.pathname}`)).text();
    for (const said of [
      /the requester and the approver \(names, Entra object ids, Teams user ids\)/,
      /matched Entra audit record \(its id/,
      /does not store sign-in tokens/,
      /expires after 48 hours/,
      /leave the working set after 45 days/,
      /expires after 10 minutes/,
    ])
      assert.match(html, said);
    const terms = await (await fetch(`${bot.http.url}${developerUrls().termsOfUseUrl.pathname}`)).text();
    assert.match(terms, /approver's own identity/);
  });

  it('the placeholders the URLs use are set by every environment that packages the app', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest', 'manifest.json'), 'utf8')) as {
      developer: Record<string, string>;
    };
    const developer = Object.values(manifest.developer).join(' ');
    const used = [...developer.matchAll(/\$\{\{([A-Z_]+)\}\}/g)].map((m) => m[1]!);
    assert.ok(used.length > 0);
    for (const name of ['dev', 'local']) {
      const values = parseEnvFile(readFileSync(join(root, 'env', `.env.${name}`), 'utf8'));
      for (const key of used) assert.ok(key in values, `env/.env.${name} has no ${key}`);
    }
  });
});
