import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

const fileSchema = z.object({ Values: z.record(z.string(), z.string()) });

/**
 * The setting values for the local host: local.settings.json when it exists, otherwise the
 * committed local.settings.example.json, then the process environment on top (as `func start` does).
 */
export function loadLocalSettings(
  root: URL,
  env: NodeJS.ProcessEnv = process.env,
): { values: Record<string, string>; source: string } {
  const candidates = ['local.settings.json', 'local.settings.example.json'];
  const name = candidates.find((file) => existsSync(new URL(file, root)));
  if (!name) throw new Error('Neither local.settings.json nor local.settings.example.json was found');
  const parsed = fileSchema.parse(JSON.parse(readFileSync(new URL(name, root), 'utf8')));
  const values: Record<string, string> = { ...parsed.Values };
  for (const key of Object.keys(values)) {
    const fromEnv = env[key];
    if (fromEnv !== undefined) values[key] = fromEnv;
  }
  return { values, source: name };
}
