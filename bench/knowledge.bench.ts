import { execFileSync } from 'node:child_process';
import { encode } from 'gpt-tokenizer';
import { readSampleKb, sampleEntries } from '../local/sample-kb.js';
import { businesses, loadBusiness } from '../scripts/eval-harness.js';
import { defaultBotSettings } from '../shared/accounts/bot-settings.js';
import type { TenantDoc } from '../shared/accounts/tenants.js';
import { type Chunk, chunkEntries } from '../shared/knowledge/chunking.js';
import { SearchIndex } from '../shared/knowledge/search-index.js';
import { languageScores } from '../shared/knowledge/text.js';
import { buildPrompt, passagesTokens, promptTokens } from '../shared/replies/prompt.js';
import { type Figure, percentile, round } from './figures.js';

const SERVICES = [
  'balayage',
  'tuns',
  'vopsit',
  'manichiură',
  'pedichiură',
  'keratină',
  'coafură',
  'masaj',
  'epilare',
  'machiaj',
  'extensii',
  'permanent',
  'decolorare',
  'tratament',
  'barbă',
];
const WORDS =
  'price duration appointment stylist colour cut wash blow dry nails gel polish care treatment smooth hair scalp salon booking card cash discount student weekend evening morning parking'.split(
    ' ',
  );

/** Synthetic tenant passages: services and FAQs in English and Romanian, deterministic. */
function syntheticChunks(n: number): Chunk[] {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)] as T;
  return Array.from({ length: n }, (_, i) => {
    const name = `${pick(SERVICES)} ${pick(WORDS)} ${i}`;
    const text = `${name} — Price: ${Math.round(rand() * 500)} RON, Duration: ${Math.round(rand() * 180)} min. ${Array.from({ length: 25 }, () => pick(WORDS)).join(' ')}.`;
    return { id: `c${i}`, entryId: `e${i}`, entryVersion: 1, kind: 'service' as const, title: name, text };
  });
}

function timeSearches(index: SearchIndex, queries: string[], rounds: number): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const t0 = performance.now();
      index.search(q, 5);
      samples.push(performance.now() - t0);
    }
  }
  return samples;
}

/** Retrieval latency by index size, index build time, cold load from the stored blob, and prompt size in tokens. */
export async function run(): Promise<Figure[]> {
  const queries = [
    'Cât costă balayage?',
    'how much is a gel manicure',
    'programare sâmbătă dimineața',
    'student discount for a cut',
    'keratina pret',
    'do you have parking',
  ];
  const figures: Figure[] = [];
  let baselineP50 = 0;
  for (const size of [100, 1000, 10_000]) {
    const chunks = syntheticChunks(size);
    const t0 = performance.now();
    const index = SearchIndex.build(1, chunks);
    const buildMs = performance.now() - t0;
    const serialized = JSON.stringify(index.serialize());
    const t1 = performance.now();
    const loaded = SearchIndex.load(JSON.parse(serialized));
    const loadMs = performance.now() - t1;
    timeSearches(loaded, queries, 5);
    const samples = timeSearches(loaded, queries, 50);
    const p50 = percentile(samples, 50);
    if (size === 100) baselineP50 = p50;
    figures.push(
      {
        name: `retrieval p50 at ${size} chunks`,
        value: round(p50, 3),
        unit: 'ms',
        baseline: size === 100 ? null : { name: 'retrieval p50 at 100 chunks', value: round(baselineP50, 3) },
        ...(size === 10_000 ? { target: '< 5 ms' } : {}),
      },
      { name: `retrieval p99 at ${size} chunks`, value: round(percentile(samples, 99), 3), unit: 'ms', baseline: null },
      { name: `index build at ${size} chunks`, value: round(buildMs, 1), unit: 'ms', baseline: null },
      // What a cold instance pays once per tenant and version when the index lives in a blob (vs. on every query if it
      // were not cached).
      {
        name: `index load from blob JSON at ${size} chunks (${Math.round(serialized.length / 1024)} KiB)`,
        value: round(loadMs, 1),
        unit: 'ms',
        baseline: { name: 'cached retrieval p50', value: round(p50, 3) },
        ratio: round(p50 / loadMs, 4),
      },
    );
  }

  const entries = sampleEntries('bench', readSampleKb());
  const index = SearchIndex.build(1, chunkEntries(entries));
  const tenant = {
    id: 'bench',
    tenantId: 'bench',
    type: 'tenant',
    companyName: 'Salon Aurora',
    status: 'active',
    bot: defaultBotSettings(),
    createdAt: '',
  } as TenantDoc;
  const tokens = queries.map((q) =>
    buildPrompt(
      tenant,
      index.search(q, 5).map((h) => h.chunk),
      [],
      q,
    ).reduce((sum, m) => sum + encode(m.content).length + 4, 0),
  );
  figures.push({
    name: 'prompt size per reply, median (o200k tokenizer)',
    value: percentile(tokens, 50),
    unit: 'tokens',
    baseline: null,
    target: '< 1500',
  });
  figures.push(...promptCostFigures());
  figures.push(languageScaling());
  return figures;
}

/**
 * The reply language is read from the whole burst, which a customer may make as long as they like:
 * time per character at 2,000,000 characters against 200,000 (1.0 = linear; a reading that went back
 * over the text for every word would fall towards 0.1).
 */
function languageScaling(): Figure {
  const burst = (chars: number) =>
    'Bună ziua, is Strada Smârdan parking free? '.repeat(Math.ceil(chars / 44)).slice(0, chars);
  // The best of five timings, after a warm-up of both sizes: the JIT and the collector make single runs noisy.
  const perChar = (chars: number) => {
    const text = burst(chars);
    const times = Array.from({ length: 5 }, () => {
      const start = performance.now();
      languageScores(text);
      return (performance.now() - start) / chars;
    });
    return Math.min(...times);
  };
  perChar(200_000);
  perChar(2_000_000);
  const small = perChar(200_000);
  const large = perChar(2_000_000);
  return {
    name: 'language of a 2,000,000-character burst, time per character',
    value: round(large * 1e6, 1),
    unit: 'ns',
    baseline: { name: '200,000 characters', value: round(small * 1e6, 1) },
    ratio: round(small / large, 2),
    target: '≥ 0.7 (linear)',
  };
}

/**
 * Assumed list prices of the chat deployment (gpt-4o-mini, USD per million tokens): input, input read
 * from the prompt cache, output. Change them here when the deployment or the price changes.
 */
export const PRICE_PER_MILLION = { input: 0.15, cachedInput: 0.075, output: 0.6 } as const;
const OUTPUT_TOKENS = 80;

/** Prompt tokens and estimated cost per reply when each eval business goes to the model whole. */
export function promptCostFigures(): Figure[] {
  const figures: Figure[] = [];
  for (const business of businesses()) {
    const { index, name } = loadBusiness(business);
    const tenant = {
      id: business,
      tenantId: business,
      type: 'tenant',
      companyName: name,
      status: 'active',
      bot: defaultBotSettings(),
      createdAt: '',
    } as TenantDoc;
    const messages = buildPrompt(tenant, index.chunks, [], 'Cât costă?', 'ro');
    const total = promptTokens(messages);
    // The system prompt and the passages are the same on every reply: the cacheable prefix.
    const prefix = promptTokens(messages.slice(0, 2));
    const cold = (total * PRICE_PER_MILLION.input + OUTPUT_TOKENS * PRICE_PER_MILLION.output) / 1e6;
    const warm =
      ((total - prefix) * PRICE_PER_MILLION.input +
        prefix * PRICE_PER_MILLION.cachedInput +
        OUTPUT_TOKENS * PRICE_PER_MILLION.output) /
      1e6;
    figures.push(
      {
        name: `${business}: prompt tokens per reply, whole knowledge base (${passagesTokens(index.chunks)} in passages)`,
        value: total,
        unit: 'tokens',
        baseline: null,
        target: '< 3000 passages (KB_WHOLE_PROMPT_TOKENS)',
      },
      {
        name: `${business}: estimated cost per reply, prompt cache cold`,
        value: round(cold * 1000, 4),
        unit: 'USD per 1000 replies',
        baseline: null,
      },
      {
        name: `${business}: estimated cost per reply, prompt cache warm (${prefix} prefix tokens)`,
        value: round(warm * 1000, 4),
        unit: 'USD per 1000 replies',
        baseline: { name: 'cold', value: round(cold * 1000, 4) },
      },
    );
  }
  figures.push(...lexiconFirstUse());
  return figures;
}

/**
 * The lexicon stems its phrases on first use. Measured in a fresh Node process (the stem cache of this
 * one is warm), against one question read right after in the same process.
 */
function lexiconFirstUse(): Figure[] {
  const lexiconUrl = new URL('../shared/knowledge/lexicon.js', import.meta.url).href;
  const script = `
    const t0 = performance.now();
    const { lexicon } = await import(${JSON.stringify(lexiconUrl)});
    const t1 = performance.now();
    lexicon.units('hello');
    const t2 = performance.now();
    lexicon.units('Cât costă livrarea în Germania și pot plăti cu cardul?');
    const t3 = performance.now();
    const phrases = lexicon.data.concepts.reduce((n, c) => n + c.en.length + c.ro.length, 0);
    console.log(JSON.stringify({ load: t1 - t0, compile: t2 - t1, question: t3 - t2, phrases }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const m = JSON.parse(out) as { load: number; compile: number; question: number; phrases: number };
  return [
    { name: 'lexicon module load (fresh process)', value: round(m.load, 1), unit: 'ms', baseline: null },
    {
      name: `lexicon compile on first use (${m.phrases} phrases, fresh process)`,
      value: round(m.compile, 1),
      unit: 'ms',
      baseline: { name: 'next question read', value: round(m.question, 3) },
      ratio: round(m.question / m.compile, 5),
    },
  ];
}
