/** A bot as its own process (src/local.ts without the Playground), for scale-out and crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from './ports';

const root = join(__dirname, '..', '..');

export interface BotProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(root, 'src', 'local.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      NO_PLAYGROUND: '1',
      WORKER_POLL_MS: '50',
      LEASE_SECONDS: '1',
      JOB_VISIBILITY_SECONDS: '2',
      AUDIT_POLL_FIRST_DELAY_MS: '100',
      AUDIT_POLL_MAX_DELAY_MS: '300',
      SYNC_WATCH_INTERVAL_MS: '200',
      ALLOW_SELF_APPROVAL: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bot process exited (${code}):\n${out}`)));
    lines.on('line', (l) => {
      out += `${l}\n`;
      const m = /Bot:\s+(http:\/\/\S+)\/api\/messages/.exec(l);
      if (m) resolve(m[1]!);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    child,
    output: () => out,
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill(signal);
      await gone;
    },
  };
}
