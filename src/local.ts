/**
 * `npm start`: the embedded local stack. Starts the fake tenant (Microsoft Graph and Entra
 * sign-in on https://localhost:3979) with the settings in env/.env.local.
 */
import { join } from 'node:path';
import { loadEnvFile } from './env-file';
import { startFakeTenant } from './fake-tenant/server';

async function main(): Promise<void> {
  const root = join(__dirname, __dirname.includes(join('dist', 'src')) ? '../..' : '..');
  const env = loadEnvFile(join(root, 'env', '.env.local'));
  const port = Number(env.FAKE_TENANT_PORT ?? 3979);
  const syncIntervalMs = Number(env.FAKE_TENANT_SYNC_INTERVAL_MS ?? 120_000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`FAKE_TENANT_PORT must be a port number, not '${env.FAKE_TENANT_PORT}'.`);
  if (!Number.isFinite(syncIntervalMs) || syncIntervalMs < 0) throw new Error(`FAKE_TENANT_SYNC_INTERVAL_MS must be a number of milliseconds, not '${env.FAKE_TENANT_SYNC_INTERVAL_MS}'.`);
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    console.warn('NODE_EXTRA_CA_CERTS is not set: HTTPS clients in this process will not trust the local tenant. Start with `npm start`.');
  }
  const ft = await startFakeTenant({ port, settings: { syncIntervalMs } });
  console.log(`Local stack is up.`);
  console.log(`  Fake tenant ${ft.tenantId} on ${ft.url} (sync cycle every ${Math.round(syncIntervalMs / 1000)} s)`);
  console.log(`  Sign in as the bot: client id ${env.BOT_ID}, authority ${ft.url}/${ft.tenantId}`);
  console.log(`  Try: curl --cacert ${ft.caCertPath} -X POST ${ft.url}/_fake/sso-token -d '{"oid":"00000000-0000-0000-0000-0000000000020"}'`);
  const stop = () => void ft.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`Could not start the local stack: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
