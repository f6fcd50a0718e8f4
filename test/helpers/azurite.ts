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
  stop(): Promise<void>;
}

export async function startAzurite(): Promise<Azurite> {
  const dir = mkdtempSync(join(tmpdir(), 'soa-azurite-'));
  const [blob, queue, table] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(process.execPath, [
    require.resolve('azurite/dist/src/azurite.js'),
    '--location', dir, '--blobPort', String(blob), '--queuePort', String(queue), '--tablePort', String(table),
    '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1',
    // The storage SDKs may speak a newer API version than this Azurite knows.
    '--skipApiVersionCheck', '--loose', '--disableTelemetry',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
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
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;`,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
