import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = join(__dirname, '..', '..');

describe('fake tenant: `npm run fake-tenant` entry point', () => {
  it('starts on FAKE_TENANT_PORT, serves metadata, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src', 'fake-tenant', 'main.ts')], {
      cwd: root,
      env: { ...process.env, FAKE_TENANT_PORT: '0', FAKE_TENANT_SYNC_INTERVAL_MS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    try {
      const lines = createInterface({ input: child.stdout });
      let url: string | undefined;
      for await (const line of lines) {
        const m = /listening on (https:\/\/localhost:\d+)/.exec(line);
        if (m) {
          url = m[1];
          break;
        }
      }
      assert.ok(url, `no "listening on" line; stderr: ${stderr}`);
      const meta = (await (
        await fetch(`${url}/00000000-0000-0000-0000-0000000000001/v2.0/.well-known/openid-configuration`)
      ).json()) as { issuer: string };
      assert.match(meta.issuer, /\/v2\.0$/);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, stderr);
  });

  it('refuses a bad port with a clear message', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src', 'fake-tenant', 'main.ts')], {
      cwd: root,
      env: { ...process.env, FAKE_TENANT_PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /FAKE_TENANT_PORT must be a port number/);
  });
});
