import { mkdirSync, rmSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SettingsError } from '../shared/platform/settings.js';
import { seedDemo } from './demo.js';
import { LocalHost } from './host.js';
import { loadLocalSettings } from './local-settings.js';

/**
 * `npm start`: runs the whole platform on this machine and prints where everything is. Data is
 * kept in the local data folder (.local-data/, or ALIAT_LOCAL_DATA) between runs;
 * `npm start -- --fresh` empties it first.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const root = new URL('../', import.meta.url);
  // Compiled code runs from dist/, but the settings files live at the project root.
  const projectRoot = fileURLToPath(root).endsWith('/dist/') ? new URL('../', root) : root;
  const { values, source } = loadLocalSettings(projectRoot);
  const port = Number(process.env.PORT ?? 7071);
  const dataDir = resolve(process.env.ALIAT_LOCAL_DATA ?? fileURLToPath(new URL('.local-data/', projectRoot)));
  const shownDir = relative(process.cwd(), dataDir) || '.';
  if (process.argv.includes('--fresh')) {
    rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write(`--fresh: emptied the local data folder ${shownDir}/\n`);
  }
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`Starting the local host on port ${port} (settings from ${source}, data in ${shownDir}/)…\n`);
  const host = await LocalHost.start({ port, values, runTimers: true, onReady: seedDemo, dataDir });
  const lines = Object.entries(host.describe()).map(([k, v]) => `  ${k.padEnd(12)} ${v}`);
  const kept = `${host.loadedDocuments} Cosmos documents loaded from the last run`;
  process.stdout.write(
    `\nAliat local host is running after ${((Date.now() - started) / 1000).toFixed(1)} s (${kept}).\n${lines.join('\n')}\n  ${'data'.padEnd(12)} ${shownDir}/ (Azurite blobs, Cosmos snapshot, signing key; --fresh to start clean)\nPress Ctrl-C to stop.\n\n`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local host…\n`);
    await host.stop();
    process.stdout.write(`Saved ${host.savedDocuments} Cosmos documents to ${shownDir}/cosmos-snapshot.json.\n`);
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
