import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { installFunctionsCore } from '../local/functions-core.js';
import { configureLog } from '../shared/platform/log.js';
import type { Benchmark, Figure } from './figures.js';

installFunctionsCore();
configureLog({ level: 'error', sink: () => {} });

/** `npm run bench`: runs every `bench/*.bench.js`, prints one table and writes bench/results/latest.json. */
async function main(): Promise<void> {
  const dir = new URL('./', import.meta.url);
  const only = process.argv[2];
  const files = (await readdir(fileURLToPath(dir)))
    .filter((f) => f.endsWith('.bench.js') && (!only || f.includes(only)))
    .sort();
  const figures: Array<Figure & { benchmark: string }> = [];
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`);
    const mod = (await import(new URL(file, dir).href)) as { run: Benchmark };
    const benchmark = file.replace(/\.bench\.js$/, '');
    figures.push(...(await mod.run()).map((f) => ({ benchmark, ...f })));
  }
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.baseline ? `${f.baseline.value} ${f.unit} (${f.baseline.name})` : '-',
    f.ratio ?? '-',
    f.target ?? '',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: unknown[]) => cells.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join(' | ');
  process.stdout.write(
    `${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}\n${rows.map(line).join('\n')}\n`,
  );
  // Results live beside the sources (bench/results), not in dist/.
  const resultsDir = new URL('../../bench/results/', import.meta.url);
  await mkdir(resultsDir, { recursive: true });
  // Running one benchmark (`npm run bench -- messaging`) replaces only its own figures.
  const previous = only
    ? await readFile(new URL('latest.json', resultsDir), 'utf8').then(
        (t) => (JSON.parse(t) as { figures: Array<Figure & { benchmark?: string }> }).figures,
        () => [],
      )
    : [];
  const ran = new Set(figures.map((f) => f.benchmark));
  const merged = [...previous.filter((f) => !ran.has(f.benchmark ?? '')), ...figures];
  await writeFile(
    new URL('latest.json', resultsDir),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: '2 cores, shared; every figure is against a baseline measured in the same run', figures: merged }, null, 2)}\n`,
  );
  process.exit(0);
}

void main();
