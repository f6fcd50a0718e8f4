/** Azurite (the Azure Storage emulator) started by the tests themselves, on free ports. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './ports';

const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  connectionString: string;
  /** Stops the emulator but keeps its data and ports: storage is unavailable until `resume`. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

async function spawnAzurite(dir: string, ports: { blob: number; queue: number; table: number }): Promise<ChildProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      require.resolve('azurite/dist/src/azurite.js'),
      '--location',
      dir,
      '--blobPort',
      String(ports.blob),
      '--queuePort',
      String(ports.queue),
      '--tablePort',
      String(ports.table),
      '--blobHost',
      '127.0.0.1',
      '--queueHost',
      '127.0.0.1',
      '--tableHost',
      '127.0.0.1',
      // The storage SDKs may speak a newer API version than this Azurite knows.
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    let up = 0;
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code}): ${output}`)));
    lines.on('line', (l) => {
      output += `${l}\n`;
      if (/successfully listening/.test(l) && ++up === 3) resolve();
    });
  });
  child.removeAllListeners('exit');
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await gone;
}

export async function startAzurite(): Promise<Azurite> {
  const dir = mkdtempSync(join(tmpdir(), 'soa-azurite-'));
  let ports = { blob: 0, queue: 0, table: 0 };
  let child: ChildProcess | undefined;
  // A port taken between the pick and Azurite's bind (by a parallel test): pick again.
  for (let attempt = 1; !child; attempt++) {
    ports = { blob: await freePort(), queue: await freePort(), table: await freePort() };
    child = await spawnAzurite(dir, ports).catch((e: Error) => {
      if (attempt >= 3 || !/EADDRINUSE/.test(e.message)) throw e;
      return undefined;
    });
  }
  let running: ChildProcess = child;
  return {
    connectionString: [
      'DefaultEndpointsProtocol=http',
      'AccountName=devstoreaccount1',
      `AccountKey=${ACCOUNT_KEY}`,
      `BlobEndpoint=http://127.0.0.1:${ports.blob}/devstoreaccount1`,
      `QueueEndpoint=http://127.0.0.1:${ports.queue}/devstoreaccount1;`,
    ].join(';'),
    pause: () => kill(running),
    resume: async () => {
      running = await spawnAzurite(dir, ports);
    },
    stop: async () => {
      await kill(running);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
