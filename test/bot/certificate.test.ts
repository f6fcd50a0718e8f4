import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { LOCAL_BOT_APP_ID } from '../../src/fake-tenant/seed';
import type { FakeTenant } from '../../src/fake-tenant/server';
import { cardOf, cardText } from '../support/connector';
import { admin, startTestTenant } from '../support/fake-tenant';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';
import { GROUP } from '../../src/fake-tenant/seed';

/** A self-signed certificate and its key, as one PEM file (what AAD_APP_CERTIFICATE_PATH names). */
function selfSigned(cn: string): { pem: string; certPem: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = '01' + forge.util.bytesToHex(forge.random.getBytesSync(8));
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const attrs = [{ name: 'commonName', value: cn }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  return { pem: forge.pki.privateKeyToPem(keys.privateKey) + certPem, certPem };
}

describe('bot: certificate credential for the Entra app (no client secret)', () => {
  let ft: FakeTenant;
  let s: Stack | undefined;
  let dir: string;
  const registered = selfSigned('soa-bot registered');
  const stranger = selfSigned('soa-bot not registered');
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'soa-cert-'));
    writeFileSync(join(dir, 'registered.pem'), registered.pem);
    writeFileSync(join(dir, 'stranger.pem'), stranger.pem);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => {
    ft = await startTestTenant({ settings: { auditDelayMs: 50 } });
    const r = await admin(ft, 'PATCH', `/_fake/apps/${LOCAL_BOT_APP_ID}`, { certificates: [registered.certPem] });
    assert.equal(r.status, 200);
  });
  afterEach(async () => {
    await s?.stop();
    s = undefined;
    await ft.close();
  });

  it('app-only reads and the on-behalf-of switch both sign a client assertion with the certificate', async () => {
    s = await startStack({ AAD_APP_CLIENT_SECRET: '', AAD_APP_CERTIFICATE_PATH: join(dir, 'registered.pem') }, ft);
    const { msg, data } = await requestCard(s, undefined, undefined, { ackSyncVersions: 'true' });
    const r = await s.channel.click(people.megan, msg.id, 'approve', data);
    assert.match(cardText(r.card), /Approved by Megan Bowen/);
    await s.channel.waitFor((o) => /Audit log:.*initiated by Megan Bowen/.test(o.activity.text ?? ''));
    assert.equal((await soaPatches(s, GROUP.secGroup2)).length, 1);
  });

  it(
    'a certificate the app does not know: the user is told an administrator must renew the ' +
      'credential, and nothing is requested',
    async () => {
      s = await startStack({ AAD_APP_CLIENT_SECRET: '', AAD_APP_CERTIFICATE_PATH: join(dir, 'stranger.pem') }, ft);
      const since = s.channel.outbound.length;
      await s.channel.say(people.alex, 'move SecGroup2 to cloud');
      const reply = await s.channel.waitFor((o) => !!cardOf(o), 10_000, since);
      assert.match(
        cardText(cardOf(reply)),
        /credential was refused[\s\S]*AADSTS700027[\s\S]*renews the client secret or certificate/,
      );
      assert.equal((await s.bot.service.forGroup(GROUP.secGroup2)).length, 0);
    },
  );

  it('configuration names a certificate file that cannot be used', () => {
    writeFileSync(join(dir, 'cert-only.pem'), registered.certPem);
    return assert.rejects(
      startStack({ AAD_APP_CLIENT_SECRET: '', AAD_APP_CERTIFICATE_PATH: join(dir, 'cert-only.pem') }, ft),
      /AAD_APP_CERTIFICATE_PATH: '.*cert-only\.pem' has no PEM private key/,
    );
  });
});
