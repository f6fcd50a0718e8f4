import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { LOCAL_BOT_SECRET } from '../../src/fake-tenant/seed';
import { pinoLogger } from '../../src/infra/logging';
import { ssoToken, startTestTenant } from '../support/fake-tenant';
import { startBotProcess } from '../support/bot-process';
import { admin } from '../support/fake-tenant';
import { TestChannel, cardOf, cardText, actions } from '../support/connector';
import { people } from '../support/stack';
import type { FakeTenant } from '../../src/fake-tenant/server';

const TOKEN_SHAPED = /eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*|Bearer\s+[\w.~+/=-]{8,}/;

function capture(): { stream: Writable; lines: () => Array<Record<string, unknown>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c, _e, cb) {
      chunks.push(String(c));
      cb();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('logs: structured, and never carrying a credential', () => {
  let ft: FakeTenant;
  before(async () => {
    ft = await startTestTenant();
  });
  after(async () => {
    await ft.close();
  });

  it('censors credential fields, token-shaped text anywhere, and the configured secrets', async () => {
    const out = capture();
    const log = pinoLogger({ secrets: ['s3cr3t-client-value'], destination: out.stream });
    const jwt = await ssoToken(ft, people.megan.aadObjectId);
    log.error(`exchange failed for ${jwt} with s3cr3t-client-value`, {
      token: jwt,
      nested: { authorization: `Bearer ${jwt}`, note: `assertion was ${jwt}` },
      error: new Error(`AADSTS50013: assertion ${jwt} rejected; secret s3cr3t-client-value`),
      list: [jwt, 'plain'],
      requestId: 'R-ABCDEF',
    });
    const text = out.text();
    assert.doesNotMatch(text, TOKEN_SHAPED, text);
    assert.ok(!text.includes('s3cr3t-client-value'), text);
    const [line] = out.lines();
    assert.equal(line!.level, 'error');
    assert.equal(line!.token, '[redacted]');
    assert.deepEqual((line!.nested as Record<string, unknown>).authorization, '[redacted]');
    assert.equal((line!.nested as Record<string, unknown>).note, 'assertion was [token]');
    assert.match(
      String((line!.error as Record<string, unknown>).message),
      /^AADSTS50013: assertion \[token\] rejected; secret \[secret\]$/,
    );
    assert.deepEqual(line!.list, ['[token]', 'plain']);
    assert.equal(line!.requestId, 'R-ABCDEF', 'ordinary fields are kept');
    assert.match(String(line!.msg), /^exchange failed for \[token\] with \[secret\]$/);
  });

  it(
    'a whole run of the bot process (request, approval, switch, audit, a consent failure) ' +
      'writes no token-shaped string and not its secret',
    async function () {
      this.timeout(60_000);
      const dir = mkdtempSync(join(tmpdir(), 'soa-log-'));
      const bot = await startBotProcess({
        FAKE_TENANT_PORT: new URL(ft.url).port,
        STORE_FILE: join(dir, 'requests.sqlite'),
      });
      const channel = await new TestChannel(bot.url).start();
      try {
        await channel.say(people.alex, 'move SecGroup2 to cloud', { kind: 'channel' });
        const card = await channel.waitFor((o) => /waiting for approval/.test(cardText(cardOf(o))), 20_000);
        const data = { ...actions(cardOf(card)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
        await channel.click(people.megan, card.id, 'approve', data, { kind: 'channel' });
        await channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 20_000);
        // Consent withdrawn: the on-behalf-of exchange fails and the failure is logged.
        await admin(ft, 'PATCH', '/_fake/apps/6d7e1c52-9a3b-4f0e-8c21-5b4a3f2e1d90', { delegatedScopes: [] });
        await channel.say(people.alex, 'move SecGroup1 to cloud', { kind: 'channel' });
        const second = await channel.waitFor(
          (o) =>
            /Move to cloud: SecGroup1/.test(cardText(cardOf(o))) && /waiting for approval/.test(cardText(cardOf(o))),
          20_000,
        );
        const d2 = { ...actions(cardOf(second)).find((a) => a.verb === 'approve')!.data, ackSyncVersions: 'true' };
        await channel.click(people.megan, second.id, 'approve', d2, { kind: 'channel' });
        await channel.say(people.megan, 'who am I', { kind: 'personal' });
      } finally {
        await channel.stop();
        await bot.kill();
        rmSync(dir, { recursive: true, force: true });
      }
      const output = bot.output();
      assert.match(output, /"level":"info"/, 'the run logged');
      assert.doesNotMatch(output, TOKEN_SHAPED);
      assert.ok(!output.includes(LOCAL_BOT_SECRET), 'the client secret is never printed');
    },
  );
});
