import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defaultBotSettings } from '../shared/accounts/bot-settings.js';
import type { MessageDoc } from '../shared/conversations/documents.js';
import { type Chunk, chunkEntries, splitPolicies } from '../shared/knowledge/chunking.js';
import type { KbEntryDoc } from '../shared/knowledge/schemas.js';
import { SearchIndex } from '../shared/knowledge/search-index.js';
import type { ReplyResult } from '../shared/replies/generator.js';
import { answerFromKnowledge, type ReplyModel } from '../shared/replies/knowledge-generator.js';
import { type ChatMessage, promptTokens } from '../shared/replies/prompt.js';
import { LABELS, renderPassage } from '../shared/replies/render.js';

/** One eval question (see eval/businesses/README.md). */
export interface Question {
  id: string;
  kind: string;
  lang: 'en' | 'ro';
  turns: string[];
  expect: string[] | null;
  mustInclude?: string[];
  /**
   * tune and heldout: the questions; dev: a second set written later from kb.json only, tuned
   * against; fresh: businesses of other kinds (eval/fresh), never tuned against.
   */
  split: 'tune' | 'heldout' | 'dev' | 'fresh' | 'dev-kinds';
}

interface Kb {
  kind: string;
  timeZone: string;
  profile: Record<string, unknown> & { name: string; policies?: Array<{ key: string; text: string }> };
  services: Array<Record<string, unknown> & { key: string }>;
  faqs: Array<{ key: string; question: string; answer: string }>;
}

export type Mode = 'fallback' | 'scripted';

export interface Outcome {
  business: string;
  question: Question;
  mode: Mode;
  right: boolean;
  answered: boolean;
  languageOk: boolean;
  reply: string;
  cited: string[];
  promptTokens?: number;
  passagesSent?: string;
}

/** A fixed Wednesday, 12:00 in Bucharest, so hours answers do not depend on when the eval runs. */
export const EVAL_NOW = new Date('2026-12-02T10:00:00Z');

export function evalRoot(folder: 'businesses' | 'fresh' | 'dev-kinds' = 'businesses'): URL {
  const here = new URL('../', import.meta.url);
  return new URL(`eval/${folder}/`, here.pathname.endsWith('/dist/') ? new URL('../', here) : here);
}

export function businesses(root = evalRoot()): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

function readJson<T>(business: string, file: string, root = evalRoot()): T {
  return JSON.parse(readFileSync(new URL(`${business}/${file}`, root), 'utf8')) as T;
}

export function questionsOf(business: string, root = evalRoot()): Question[] {
  return readJson<Question[]>(business, 'questions.json', root);
}

/** The development set of a business (dev-questions.json), when it has one. */
export function devQuestionsOf(business: string): Question[] {
  if (!existsSync(new URL(`${business}/dev-questions.json`, evalRoot()))) return [];
  const questions = readJson<Question[]>(business, 'dev-questions.json');
  const stray = questions.filter((q) => q.split !== 'dev').map((q) => q.id);
  if (stray.length)
    throw new Error(`${business}: dev-questions.json holds questions of another split: ${stray.join(', ')}`);
  return questions;
}

/** The split rule the questions were written with: per business and kind, by SHA-256 of the id, alternating. */
export function splitViolations(questions: Question[]): string[] {
  const byKind = new Map<string, Question[]>();
  for (const q of questions) byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), q]);
  const wrong: string[] = [];
  for (const list of byKind.values()) {
    const sorted = [...list].sort((a, b) => sha(a.id).localeCompare(sha(b.id)));
    const fits = (first: 'tune' | 'heldout') =>
      sorted.filter((q, i) => q.split !== (i % 2 === 0 ? first : first === 'tune' ? 'heldout' : 'tune'));
    const a = fits('tune');
    const b = fits('heldout');
    wrong.push(...(a.length <= b.length ? a : b).map((q) => q.id));
  }
  return wrong;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A business's knowledge base as the owner would enter it, and each passage's eval key. */
export function loadBusiness(
  business: string,
  root = evalRoot(),
): {
  index: SearchIndex;
  keyOf: Map<string, string>;
  timeZone: string;
  name: string;
  chunks: Chunk[];
} {
  const kb = readJson<Kb>(business, 'kb.json', root);
  const now = new Date(0).toISOString();
  const base = {
    tenantId: business,
    type: 'kb-entry' as const,
    version: 1,
    createdAt: now,
    updatedAt: now,
    updatedBy: 'eval',
  };
  const policies = kb.profile.policies ?? [];
  const entries: KbEntryDoc[] = [
    {
      ...base,
      id: 'profile',
      kind: 'profile',
      data: { ...kb.profile, policies: policies.map((p) => p.text).join('\n') } as never,
    },
    ...kb.services.map(({ key, ...data }) => ({ ...base, id: key, kind: 'service' as const, data: data as never })),
    ...kb.faqs.map(({ key, ...data }) => ({ ...base, id: key, kind: 'faq' as const, data })),
  ];
  const chunks = chunkEntries(entries);
  if (splitPolicies(policies.map((p) => p.text).join('\n')).length !== policies.length)
    throw new Error(`${business}: policies did not split one per policy`);
  const keyOf = new Map<string, string>();
  for (const c of chunks) {
    const m = /^profile#(.+)$/.exec(c.id);
    if (!m) keyOf.set(c.id, c.entryId);
    else if (m[1]?.startsWith('policy-')) keyOf.set(c.id, policies[Number(m[1].slice(7)) - 1]?.key ?? c.id);
    else keyOf.set(c.id, `profile:${m[1]}`);
  }
  return { index: SearchIndex.build(1, chunks), keyOf, timeZone: kb.timeZone, name: kb.profile.name, chunks };
}

/**
 * The scripted model: a perfect reader that answers only from the passages it is sent. If a passage
 * that holds the expected fact is among them it says that fact (in the reply language it is asked
 * for) and cites it; otherwise it hands off. Its score is therefore the retrieval ceiling.
 */
export function scriptedModel(
  expect: string[] | null,
  keyOf: Map<string, string>,
  chunks: Chunk[],
  question: string,
  timeZone: string,
  record: (tokens: number) => void,
): ReplyModel {
  return {
    deployment: 'scripted-peer',
    async complete(messages: ChatMessage[]) {
      record(promptTokens(messages));
      const parse = (m: ChatMessage | undefined) =>
        JSON.parse((m?.content ?? '').replace(/^[^\n]*\n/, '') || '{}') as Record<string, unknown>;
      const sent = ((parse(messages[1]).passages ?? []) as Array<{ id: string }>).map((p) => p.id);
      const lang = (parse(messages[2]).reply_language ?? 'en') as 'en' | 'ro';
      const id = sent.find((pid) => expect?.includes(keyOf.get(pid) ?? ''));
      const chunk = chunks.find((c) => c.id === id);
      const usage = { inputTokens: promptTokens(messages), outputTokens: 60 };
      if (!chunk)
        return { reply: { reply: '', passage_ids: [], confidence: 0.1, handoff: true, language: lang }, usage };
      const reply = renderPassage(chunk, { question, lang, now: EVAL_NOW, timeZone });
      return { reply: { reply, passage_ids: [chunk.id], confidence: 0.95, handoff: false, language: lang }, usage };
    },
  };
}

/**
 * Words only the other language's labels use: a Romanian reply must not contain "price:", nor an English one "preț:".
 */
function foreignLabel(text: string, lang: 'en' | 'ro'): boolean {
  const other = LABELS[lang === 'en' ? 'ro' : 'en'];
  return [`${other.price}:`, `${other.duration}:`, other.address, other.phone, other.booking, other.lead].some((l) =>
    text.includes(l),
  );
}

function message(direction: 'in' | 'out', text: string, i: number, lineage?: Record<string, unknown>): MessageDoc {
  return { id: `m${i}`, direction, text, timestamp: i, ...(lineage ? { lineage } : {}) } as MessageDoc;
}

/** Runs one question through the real reply path, turn by turn; only the last turn is scored. */
export async function runQuestion(
  business: string,
  loaded: ReturnType<typeof loadBusiness>,
  q: Question,
  mode: Mode,
  wholeBudgetTokens = 3000,
): Promise<Outcome> {
  const bot = { ...defaultBotSettings(), timeZone: loaded.timeZone };
  const tenant = { id: business, companyName: loaded.name, bot };
  const history: MessageDoc[] = [];
  let last: ReplyResult | undefined;
  let tokens: number | undefined;
  for (const [i, turn] of q.turns.entries()) {
    const model =
      mode === 'scripted'
        ? scriptedModel(q.expect, loaded.keyOf, loaded.chunks, turn, loaded.timeZone, (t) => (tokens = t))
        : undefined;
    last = await answerFromKnowledge({
      tenant,
      index: loaded.index,
      inbound: [{ text: turn }],
      history: [...history],
      now: EVAL_NOW,
      ...(model ? { model } : {}),
      wholeBudgetTokens,
    });
    history.push(message('in', turn, i * 2), message('out', last.text, i * 2 + 1, { ...last.lineage }));
  }
  const result = last as ReplyResult;
  const cited = result.lineage.passageIds.map((id) => loaded.keyOf.get(id) ?? id);
  const answered = !result.handoff;
  const right = Boolean(
    q.expect &&
      answered &&
      cited.some((k) => q.expect?.includes(k)) &&
      (q.mustInclude ?? []).every((s) => result.text.includes(s)),
  );
  return {
    business,
    question: q,
    mode,
    right,
    answered,
    languageOk: result.lineage.language === q.lang && !foreignLabel(result.text, q.lang),
    reply: result.text,
    cited,
    ...(tokens !== undefined ? { promptTokens: tokens } : {}),
    ...(result.lineage.passagesSent ? { passagesSent: result.lineage.passagesSent } : {}),
  };
}

/** Every business under `root`, the questions `questionsFor` gives, both modes. */
async function runBusinesses(
  root: URL,
  questionsFor: (business: string) => Question[],
  wholeBudgetTokens: number,
): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const business of businesses(root)) {
    const loaded = loadBusiness(business, root);
    for (const q of questionsFor(business))
      for (const mode of ['fallback', 'scripted'] as const)
        out.push(await runQuestion(business, loaded, q, mode, wholeBudgetTokens));
  }
  return out;
}

/** Every business, every question (the dev set too when asked), both modes. */
export function runEval(wholeBudgetTokens = 3000, withDev = false): Promise<Outcome[]> {
  return runBusinesses(
    evalRoot(),
    (b) => [...questionsOf(b), ...(withDev ? devQuestionsOf(b) : [])],
    wholeBudgetTokens,
  );
}

/**
 * The businesses of another folder, both modes: eval/fresh (kinds the lexicon was never tuned on, whose
 * misses are never listed, like the held-out split's) or eval/dev-kinds (other kinds, tuned on).
 */
export function runFresh(wholeBudgetTokens = 3000, folder: 'fresh' | 'dev-kinds' = 'fresh'): Promise<Outcome[]> {
  const root = evalRoot(folder);
  return runBusinesses(root, (b) => questionsOf(b, root), wholeBudgetTokens);
}

export interface Score {
  answerable: number;
  right: number;
  rightRate: number;
  unanswerable: number;
  unanswerableAnswered: number;
  /** Replies that answered with a fact other than the right one, the unanswerable included. */
  wrongAnswers: number;
  languageRate: number;
}

export function score(outcomes: Outcome[]): Score {
  const answerable = outcomes.filter((o) => o.question.expect);
  const unanswerable = outcomes.filter((o) => !o.question.expect);
  const right = answerable.filter((o) => o.right).length;
  return {
    answerable: answerable.length,
    right,
    rightRate: answerable.length ? right / answerable.length : 1,
    unanswerable: unanswerable.length,
    unanswerableAnswered: unanswerable.filter((o) => o.answered).length,
    wrongAnswers: outcomes.filter((o) => o.answered && !o.right).length,
    languageRate: outcomes.length ? outcomes.filter((o) => o.languageOk).length / outcomes.length : 1,
  };
}

/** Held-out targets from the issue. */
export const TARGETS = { fallback: 0.85, scripted: 0.97, unanswerableAnswered: 0, language: 1 } as const;
