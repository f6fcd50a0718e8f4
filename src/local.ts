/**
 * `npm start`: the embedded local stack. The fake tenant (or one already listening on
 * FAKE_TENANT_PORT), the bot in local mode, and the Microsoft 365 Agents Playground, with the
 * settings in env/.env.playground (variables already set in the environment win).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ConfigError, loadConfig } from './config';
import { loadEnvFile } from './env-file';
import { startFakeTenant, type FakeTenant } from './fake-tenant/server';
import { startTeamsEdge, type TeamsEdge } from './fake-tenant/teams-edge';
import { startBot } from './index';

const root = join(__dirname, __dirname.includes(join('dist', 'src')) ? '../..' : '..');

/** Is a fake tenant for this tenant id already answering on the port? */
async function existingTenant(port: number, tenantId: string): Promise<string | null> {
  const url = `https://localhost:${port}`;
  try {
    const res = await fetch(`${url}/${tenantId}/v2.0/.well-known/openid-configuration`, {
      signal: AbortSignal.timeout(1500),
    });
    return res.ok ? url : null;
  } catch {
    return null;
  }
}

function startPlayground(port: number, appEndpoint: string): Promise<{ child: ChildProcess; url: string }> {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const logDir = join(root, '.local');
  mkdirSync(logDir, { recursive: true });
  const child = spawn(
    process.execPath,
    [cli, 'start', '--app-endpoint', appEndpoint, '--port', String(port), '--disable-telemetry'],
    {
      cwd: root,
      env: {
        ...process.env,
        // The Playground would try to open a browser; browse to it yourself.
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: join(root, '.m365agentsplayground.yml'),
        M365_AGENTS_PLAYGROUND_LOGFILE: join(logDir, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the Playground did not start within 60 s (see .local/playground.log)`)),
      60_000,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Playground exited (code ${code}); see .local/playground.log`));
    });
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /Listening on (\d+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // It silently takes another port when the one asked for is busy: report the real one.
      resolve({ child, url: `http://localhost:${m[1]}` });
    });
    child.stderr!.resume();
  });
}

/** The local stack's settings: env/.env.playground under `projectRoot`, which must exist. */
export function playgroundEnv(projectRoot: string, env: NodeJS.ProcessEnv = process.env) {
  const file = join(projectRoot, 'env', '.env.playground');
  if (!existsSync(file))
    throw new ConfigError(
      `env/.env.playground is missing (${file}): npm start reads the local stack's settings from it. ` +
        'Restore it with `git checkout -- env/.env.playground`.',
    );
  return loadEnvFile(file, env);
}

async function main(): Promise<void> {
  const env = playgroundEnv(root);
  const tenantId = env.AAD_APP_TENANT_ID ?? '00000000-0000-0000-0000-0000000000001';
  const ftPort = Number(env.FAKE_TENANT_PORT ?? 3979);
  const syncIntervalMs = Number(env.FAKE_TENANT_SYNC_INTERVAL_MS ?? 120_000);
  if (!Number.isInteger(ftPort) || ftPort < 1 || ftPort > 65535)
    throw new ConfigError(`FAKE_TENANT_PORT must be a port number, not '${env.FAKE_TENANT_PORT}'.`);
  if (!Number.isFinite(syncIntervalMs) || syncIntervalMs < 0)
    throw new ConfigError(
      `FAKE_TENANT_SYNC_INTERVAL_MS must be a number of milliseconds, not '${env.FAKE_TENANT_SYNC_INTERVAL_MS}'.`,
    );
  if (!process.env.NODE_EXTRA_CA_CERTS) {
    throw new ConfigError(
      'NODE_EXTRA_CA_CERTS is not set, so this process cannot trust the local tenant. Start with `npm start`.',
    );
  }

  let owned: FakeTenant | null = null;
  let tenantUrl = await existingTenant(ftPort, tenantId);
  if (!tenantUrl) {
    owned = await startFakeTenant({ port: ftPort, settings: { syncIntervalMs } });
    tenantUrl = owned.url;
  }
  const config = loadConfig({ ...env, FAKE_TENANT_URL: tenantUrl }, root);
  const bot = await startBot(config);
  let playground: { child: ChildProcess; url: string } | null = null;
  let edge: TeamsEdge | null = null;
  if (!/^(1|true|yes)$/i.test(env.NO_PLAYGROUND ?? '')) {
    const pgPort = Number(env.PLAYGROUND_PORT ?? 56150);
    // Between the Playground and the bot, Teams' rate and size limits, as Teams enforces them.
    const botEndpoint = `http://127.0.0.1:${bot.http.port}/api/messages`;
    if (env.TEAMS_LIMITS !== 'off') edge = await startTeamsEdge({ botUrl: botEndpoint });
    playground = await startPlayground(pgPort, edge?.url ?? botEndpoint);
  }

  console.log('Local stack is up.');
  const tenantNote = owned
    ? `started here; sync cycle every ${Math.round(syncIntervalMs / 1000)} s`
    : 'already running, shared';
  console.log(`  Fake tenant: ${tenantUrl} (${tenantNote})`);
  console.log(`  Bot:         ${bot.http.url}/api/messages (local mode, store ${config.storeFile})`);
  if (playground) {
    console.log(`  Playground:  ${playground.url}  ← open this, then type "help" or "move SecGroup1 to cloud"`);
    console.log(`  Teams edge:  ${edge ? `${edge.url} (Teams' rate and size limits)` : 'off (TEAMS_LIMITS=off)'}`);
  } else console.log('  Playground:  not started (NO_PLAYGROUND)');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    playground?.child.kill('SIGTERM');
    await edge?.close();
    await bot.close();
    await owned?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  playground?.child.once('exit', (code) => {
    if (!stopping) console.error(`The Playground stopped (code ${code}); the bot keeps running.`);
  });
}

// Imported (tests), it only lends playgroundEnv; run, it starts the stack.
if (require.main === module)
  main().catch((e) => {
    console.error(
      e instanceof ConfigError
        ? e.message
        : `Could not start the local stack: ${e instanceof Error ? e.message : String(e)}`,
    );
    process.exit(1);
  });
