import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BOT_APPLICATION_PERMISSIONS, BOT_DELEGATED_SCOPES, GROUP, LOCAL_BOT_APP_ID } from '../../src/fake-tenant/seed';
import { cardText } from '../support/connector';
import { admin } from '../support/fake-tenant';
import { people, requestCard, soaPatches, startStack, type Stack } from '../support/stack';

const root = join(__dirname, '..', '..');

describe('least privilege: the permissions the bot asks for, and that each is needed', () => {
  it("the Entra manifest, the fake tenant's consent and the README table list the same Graph permissions", () => {
    const manifest = JSON.parse(readFileSync(join(root, 'aad.manifest.json'), 'utf8')) as {
      requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
    };
    const graph = manifest.requiredResourceAccess.find((r) => r.resourceAppId === 'Microsoft Graph')!.resourceAccess;
    assert.deepEqual(
      graph
        .filter((a) => a.type === 'Scope')
        .map((a) => a.id)
        .sort(),
      [...BOT_DELEGATED_SCOPES].sort(),
    );
    assert.deepEqual(
      graph
        .filter((a) => a.type === 'Role')
        .map((a) => a.id)
        .sort(),
      [...BOT_APPLICATION_PERMISSIONS].sort(),
    );
    assert.ok(
      !graph.some((a) => /ReadWrite/.test(a.id) && a.id !== 'Group-OnPremisesSyncBehavior.ReadWrite.All'),
      'no other write permission',
    );
    assert.ok(!graph.some((a) => a.type === 'Role' && /Write/.test(a.id)), 'no application permission that writes');

    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Least privilege'),
      readme.indexOf('**Directory roles of approvers.**'),
    );
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (delegated|application) \|/gm)]
      .map((m) => `${m[2]} ${m[1]}`)
      .sort();
    assert.deepEqual(
      rows,
      [
        ...BOT_DELEGATED_SCOPES.map((p) => `delegated ${p}`),
        ...BOT_APPLICATION_PERMISSIONS.map((p) => `application ${p}`),
      ].sort(),
    );
  });

  describe(
    'each delegated scope is needed: without it the approval is refused with the consent to give, ' +
      'and nothing changes',
    () => {
      let s: Stack;
      afterEach(async () => {
        await s?.stop();
      });
      for (const missing of BOT_DELEGATED_SCOPES) {
        it(`without ${missing}`, async () => {
          s = await startStack();
          const { msg, data } = await requestCard(s, undefined, undefined, { ackSyncVersions: 'true' });
          await admin(s.tenant, 'PATCH', `/_fake/apps/${LOCAL_BOT_APP_ID}`, {
            delegatedScopes: BOT_DELEGATED_SCOPES.filter((p) => p !== missing),
          });
          const r = await s.channel.click(people.megan, msg.id, 'approve', data);
          const text = `${r.message ?? ''} ${r.card ? cardText(r.card) : ''}`;
          if (missing === 'User.Read') assert.match(text, /consent/i);
          else {
            // The roles are read (User.Read is there); the re-check or the write is refused.
            await s.channel.waitFor((o) => /failed:.*consent/i.test(o.activity.text ?? ''), 10_000);
          }
          assert.equal((await soaPatches(s, GROUP.secGroup2)).filter((p) => p.status < 300).length, 0);
        });
      }
      it('with exactly these, the approval runs and is confirmed', async () => {
        s = await startStack();
        const { msg, data } = await requestCard(s, undefined, undefined, { ackSyncVersions: 'true' });
        await admin(s.tenant, 'PATCH', `/_fake/apps/${LOCAL_BOT_APP_ID}`, {
          delegatedScopes: [...BOT_DELEGATED_SCOPES],
          applicationPermissions: [...BOT_APPLICATION_PERMISSIONS],
        });
        await s.channel.click(people.megan, msg.id, 'approve', data);
        await s.channel.waitFor((o) => /Audit log:/.test(o.activity.text ?? ''), 10_000);
      });
    },
  );
});
