import { fileURLToPath } from 'node:url';
import { SettingsError } from '../shared/platform/settings.js';
import { seedDemo } from './demo.js';
import { LocalHost } from './host.js';
import { loadLocalSettings } from './local-settings.js';

/** `npm start`: runs the whole platform on this machine and prints where everything is. */
async function main(): Promise<void> {
  const root = new URL('../', import.meta.url);
  // Compiled code runs from dist/, but the settings files live at the project root.
  const projectRoot = fileURLToPath(root).endsWith('/dist/') ? new URL('../', root) : root;
  const { values, source } = loadLocalSettings(projectRoot);
  const port = Number(process.env.PORT ?? 7071);
  // The issuer's key lives in the local data folder, so demo tokens survive a restart.
  const authKeyFile = fileURLToPath(new URL('.local-data/auth-signing-key.json', projectRoot));
  const host = await LocalHost.start({ port, values, runTimers: true, onReady: seedDemo, authKeyFile });
  const lines = Object.entries(host.describe()).map(([k, v]) => `  ${k.padEnd(12)} ${v}`);
  process.stdout.write(`\nAliat local host is running (settings from ${source}).\n${lines.join('\n')}\nPress Ctrl-C to stop.\n\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local host…\n`);
    await host.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`The local host could not start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
