/** `npm run fake-tenant`: runs the fake tenant alone until interrupted. */
import { startFakeTenant } from './server';

async function main(): Promise<void> {
  const port = Number(process.env.FAKE_TENANT_PORT ?? 3979);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`FAKE_TENANT_PORT must be a port number, not '${process.env.FAKE_TENANT_PORT}'.`);
    process.exit(2);
  }
  const syncIntervalMs = Number(process.env.FAKE_TENANT_SYNC_INTERVAL_MS ?? 120_000);
  const ft = await startFakeTenant({ port, settings: { syncIntervalMs } });
  console.log(`Fake tenant ${ft.tenantId} listening on ${ft.url}`);
  console.log(`  authority: ${ft.url}/${ft.tenantId}  Graph: ${ft.url}/v1.0  admin: ${ft.url}/_fake/...`);
  console.log(`  CA certificate: ${ft.caCertPath}`);
  console.log(`  sync cycle every ${syncIntervalMs / 1000}s (POST /_fake/sync runs one now)`);
  const stop = () => void ft.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`Fake tenant failed to start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
