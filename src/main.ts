/** `npm run serve`: the bot for Azure (or any host), configured from the environment only. */
import { ConfigError, loadConfig } from './config';
import { startBot } from './index';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.cwd());
  const bot = await startBot(config);
  console.log(`SOA bot (${config.mode} mode) listening on ${bot.http.url}/api/messages; store: ${config.storage.kind}`);
  const stop = () => void bot.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(
    e instanceof ConfigError ? e.message : `The bot could not start: ${e instanceof Error ? e.message : String(e)}`,
  );
  process.exit(1);
});
