/**
 * A free loopback port for a server a test starts in another process (Azurite, the bot, the
 * Playground). The port is picked below the kernel's ephemeral range (32768 and up on Linux),
 * at random: a port the kernel hands out with `listen(0)` may be handed again to an outgoing
 * connection of a parallel test before the child process binds it.
 */
import { createServer } from 'node:net';

const LOW = 20_000;
const HIGH = 32_767;

function tryBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (await tryBind(port)) return port;
  }
  throw new Error(`no free loopback port between ${LOW} and ${HIGH} after 100 tries`);
}
