import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { CHANNEL_ISSUER, CHANNEL_METADATA_PATH } from '../../src/fake-tenant/channel';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { startBot, type RunningBot } from '../../src/index';
import type { Logger } from '../../src/ports/logger';
import { admin, startTestTenant } from '../support/fake-tenant';

/**
 * A production-mode bot (BOT_ID set) checks every inbound activity's Bot Framework channel
 * token against the channel's OpenID metadata. The fake tenant serves that metadata and a key
 * set, and mints tokens the way the channel does; the forgeries are made here.
 */
const BOT_ID = '6d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TENANT_ID = '2b7e4c91-3d5a-4f60-8e1b-7a9c0d2e4f63';
const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
  key?: import('node:crypto').KeyObject,
): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return key ? `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}` : `${input}.`;
}
const decode = (t: string) =>
  [
    JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()),
    JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()),
  ] as [Record<string, unknown>, Record<string, unknown>];

function activity(kind: 'click' | 'move'): Record<string, unknown> {
  const base = {
    channelId: 'msteams',
    serviceUrl: SERVICE_URL,
    from: { id: '29:user', name: 'Megan Bowen', aadObjectId: randomUUID() },
    recipient: { id: `28:${BOT_ID}`, name: 'SOA Bot' },
    conversation: { id: '19:inbound@thread.tacv2', conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: {
      tenant: { id: TENANT_ID },
      team: { id: '19:team@thread.tacv2' },
      channel: { id: '19:inbound@thread.tacv2' },
    },
    locale: 'en-US',
    timestamp: new Date().toISOString(),
    id: `act-${randomUUID().slice(0, 8)}`,
  };
  if (kind === 'click')
    return {
      ...base,
      type: 'invoke',
      name: 'adaptiveCard/action',
      replyToId: 'card-1',
      value: { action: { type: 'Action.Execute', verb: 'retired-button', data: {} }, trigger: 'manual' },
    };
  return {
    ...base,
    type: 'message',
    text: '<at>SOA Bot</at> move SecGroup1 to cloud',
    entities: [{ type: 'mention', text: '<at>SOA Bot</at>', mentioned: { id: `28:${BOT_ID}`, name: 'SOA Bot' } }],
  };
}

describe('bot: inbound Bot Framework authentication (production mode)', () => {
  let ft: FakeTenant;
  let bot: RunningBot;
  let dir: string;
  const logs: Array<{ level: string; msg: string; fields?: Record<string, unknown> }> = [];
  const logger: Logger = {
    info: (msg, fields) => logs.push({ level: 'info', msg, ...(fields ? { fields } : {}) }),
    warn: (msg, fields) => logs.push({ level: 'warn', msg, ...(fields ? { fields } : {}) }),
    error: (msg, fields) => logs.push({ level: 'error', msg, ...(fields ? { fields } : {}) }),
  };

  before(async () => {
    ft = await startTestTenant();
    dir = mkdtempSync(join(tmpdir(), 'soa-inbound-'));
    const env = {
      BOT_ID,
      BOT_PASSWORD: randomUUID(),
      BOT_TENANT_ID: TENANT_ID,
      OAUTH_CONNECTION_NAME: 'graph',
      STORAGE: 'sqlite',
      STORE_FILE: join(dir, 'r.sqlite'),
      HOST: '127.0.0.1',
      PORT: '0',
      BOT_OPENID_METADATA_URL: `${ft.url}${CHANNEL_METADATA_PATH}`,
      PUBLIC_URL: 'https://soa-bot.contoso.example',
    };
    bot = await startBot(loadConfig(env, dir), { logger });
  });
  after(async () => {
    await bot?.close();
    await ft?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const channelToken = async (extra: { audience?: string; serviceUrl?: string; lifetimeSeconds?: number } = {}) =>
    (
      await admin<{ token: string }>(ft, 'POST', '/_fake/channel-token', {
        audience: BOT_ID,
        serviceUrl: SERVICE_URL,
        ...extra,
      })
    ).body.token;

  const post = async (body: Record<string, unknown>, authorization?: string) => {
    const res = await fetch(`${bot.http.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  // A click on a button the bot no longer knows: answered in the HTTP response, no outbound call.
  it('accepts a genuine channel token: the click is answered by the bot', async () => {
    const r = await post(activity('click'), `Bearer ${await channelToken()}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /not known to the bot/);
  });

  it(
    'refuses with 401 and no effect: missing, unsigned, forged, expired, wrong audience, wrong ' +
      'issuer, wrong service URL, not a JWT',
    async () => {
      const good = await channelToken();
      const [header, claims] = decode(good);
      const now = Math.floor(Date.now() / 1000);
      const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const cases: Array<[string, string | undefined]> = [
        ['no Authorization header', undefined],
        ['unsigned (alg none)', `Bearer ${jwt({ ...header, alg: 'none' }, claims)}`],
        ['signature of another key under the channel key id', `Bearer ${jwt(header, claims, otherKey)}`],
        ['another key, unknown key id', `Bearer ${jwt({ ...header, kid: 'forged' }, claims, otherKey)}`],
        [
          'claims edited after signing',
          `Bearer ${good.split('.')[0]}.` +
            `${b64({ ...claims, aud: BOT_ID, exp: now + 86_400 * 365 })}.${good.split('.')[2]}`,
        ],
        ['expired (beyond the 5-minute clock tolerance)', `Bearer ${await channelToken({ lifetimeSeconds: -600 })}`],
        ['for another bot', `Bearer ${await channelToken({ audience: randomUUID() })}`],
        ['for another service URL', `Bearer ${await channelToken({ serviceUrl: 'https://attacker.example/' })}`],
        [
          'an Entra token (Emulator-style issuer) signed by another key',
          'Bearer ' +
            jwt(
              { alg: 'RS256', kid: 'x' },
              { iss: `https://sts.windows.net/${TENANT_ID}/`, aud: BOT_ID, appid: BOT_ID, ver: '1.0', exp: now + 600 },
              otherKey,
            ),
        ],
        ['not a JWT', 'Bearer not-a-token'],
        ['Basic scheme', `Basic ${Buffer.from(`${BOT_ID}:x`).toString('base64')}`],
      ];
      for (const [what, authorization] of cases) {
        for (const kind of ['click', 'move'] as const) {
          const r = await post(activity(kind), authorization);
          assert.equal(r.status, 401, `${what} (${kind}): ${r.status} ${r.text}`);
          assert.doesNotMatch(r.text, /not known|SecGroup1/, `${what}: nothing of the bot's answer leaks`);
        }
      }
      // No effect: nothing was requested, and every refusal was logged without the token.
      const db = new Database(join(dir, 'r.sqlite'), { readonly: true });
      try {
        assert.deepEqual(
          db
            .prepare(
              'SELECT (SELECT COUNT(*) FROM requests) AS requests, (SELECT COUNT(*) FROM deliveries) AS deliveries',
            )
            .get(),
          { requests: 0, deliveries: 0 },
        );
      } finally {
        db.close();
      }
      const refusals = logs.filter((l) => l.msg === 'inbound activity refused');
      assert.equal(refusals.length, cases.length * 2);
      assert.doesNotMatch(JSON.stringify(logs), /eyJ[\w-]{10,}\.[\w-]{10,}/, 'no token in the logs');
      assert.ok(
        refusals.some((l) => /issuer/.test(String(l.fields?.reason))),
        'the Entra token is refused for not being a channel token',
      );
    },
  );

  it('the genuine token is still accepted after the refusals (the key set is not poisoned)', async () => {
    const r = await post(activity('click'), `Bearer ${await channelToken()}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /not known to the bot/);
    assert.equal(decode(await channelToken())[1].iss, CHANNEL_ISSUER);
  });
});
