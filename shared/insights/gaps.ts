import type { MessageDoc } from '../conversations/index.js';
import { searchTerm, words } from '../knowledge/index.js';
import { redactText } from '../platform/redact.js';

/**
 * Pure rules of knowledge gaps: which question a handoff was about, how it is cleaned of personal
 * data, and when two questions are the same topic.
 */

/**
 * Words that mean the same across English and Romanian (and across near-synonyms), so "How much
 * is a keratin treatment?" and "Cât costă tratamentul cu keratină?" meet. Each row is one concept;
 * the first word names it.
 */
const GLOSSARY: string[][] = [
  ['price', 'prices', 'cost', 'costs', 'costa', 'pret', 'preturi', 'pretul', 'tarif', 'tarife', 'much', 'fee'],
  ['treatment', 'treatments', 'tratament', 'tratamentul', 'tratamente'],
  [
    'appointment',
    'appointments',
    'booking',
    'book',
    'reserve',
    'programare',
    'programari',
    'programez',
    'rezervare',
    'rezerv',
  ],
  ['open', 'opening', 'deschis', 'deschideti', 'deschide'],
  ['hours', 'schedule', 'program', 'programul', 'orar'],
  ['parking', 'park', 'parcare', 'parcati'],
  ['pay', 'payment', 'plata', 'platesc', 'plati'],
  ['card', 'cardul'],
  ['cancel', 'cancellation', 'anulare', 'anulez', 'anula'],
  ['gift', 'cadou'],
  ['children', 'kids', 'child', 'copii', 'copil', 'copiii'],
  ['wedding', 'bride', 'nunta', 'mireasa'],
  ['hair', 'par', 'parul'],
  ['nails', 'nail', 'unghii', 'unghiile'],
  ['delivery', 'deliver', 'livrare', 'livrati'],
  ['discount', 'reducere', 'reduceri', 'oferta'],
  ['available', 'availability', 'disponibil', 'disponibilitate', 'liber', 'libera'],
  ['offer', 'offers', 'faceti', 'oferiti', 'aveti', 'provide'],
  ['today', 'azi', 'astazi'],
  ['tomorrow', 'maine'],
  ['weekend', 'saturday', 'sambata', 'sunday', 'duminica'],
  ['long', 'durata', 'dureaza', 'last', 'lasts'],
  ['eyelash', 'eyelashes', 'lash', 'lashes', 'gene', 'genele'],
  ['eyebrow', 'eyebrows', 'brows', 'sprancene'],
  ['massage', 'masaj', 'masaje'],
  ['tattoo', 'tattoos', 'tatuaj', 'tatuaje'],
  ['makeup', 'machiaj'],
  ['extension', 'extensions', 'extensii', 'extensie'],
  ['removal', 'remove', 'epilare', 'indepartare'],
];

const CANONICAL = new Map<string, string>();
for (const row of GLOSSARY) {
  const head = searchTerm(row[0] as string) ?? (row[0] as string);
  for (const w of row) {
    const stem = searchTerm(w);
    if (stem) CANONICAL.set(stem, head);
  }
}

/** Words about getting in touch or greeting: they say nothing about the topic. */
const NOISE = new Set(
  [
    'number',
    'numar',
    'numarul',
    'phone',
    'telefon',
    'telefonul',
    'mail',
    'email',
    'hello',
    'hey',
    'buna',
    'ziua',
    'seara',
    'thanks',
    'multumesc',
    'rog',
    'question',
    'intrebare',
  ]
    .map((w) => searchTerm(w))
    .filter((t): t is string => t !== null),
);

/** The topic terms of a question: folded, stemmed, stop words dropped, synonyms merged. */
export function gapTerms(text: string): string[] {
  const out = new Set<string>();
  // Redaction placeholders ("[phone]") are not words of the question.
  for (const w of words(text.replace(/\[\w+\]/g, ' '))) {
    const stem = searchTerm(w);
    if (!stem || /^\d+$/.test(stem) || NOISE.has(stem)) continue;
    out.add(CANONICAL.get(stem) ?? stem);
  }
  return [...out].sort();
}

/** Dice similarity of two term sets, 0..1. */
export function termSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const shared = b.filter((t) => set.has(t)).length;
  return (2 * shared) / (a.length + b.length);
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

export const LEXICAL_THRESHOLD = 0.6;
export const EMBEDDING_THRESHOLD = 0.85;

export interface GroupCandidate {
  id: string;
  terms: string[];
  vector?: number[];
}

/** The best matching group for a question, if any is close enough (lexically, or by embeddings when both have one). */
export function bestGroup(
  question: { terms: string[]; vector?: number[] },
  groups: GroupCandidate[],
): { id: string; score: number } | undefined {
  let best: { id: string; score: number } | undefined;
  for (const g of groups) {
    const lexical = termSimilarity(question.terms, g.terms);
    const semantic = question.vector && g.vector ? cosine(question.vector, g.vector) : 0;
    const matches = lexical >= LEXICAL_THRESHOLD || semantic >= EMBEDDING_THRESHOLD;
    const score = Math.max(lexical, semantic);
    if (matches && (!best || score > best.score)) best = { id: g.id, score };
  }
  return best;
}

/**
 * The customer's question behind a handoff at `at`: the run of customer messages just before it,
 * after the last message we sent that was not the handoff notice itself.
 */
export function questionBefore(messages: MessageDoc[], at: number): string {
  return questionMessages(messages, at)
    .map((m) => m.text)
    .join('\n')
    .trim();
}

/** The customer messages that make up the question behind a handoff at `at`. */
export function questionMessages(messages: MessageDoc[], at: number): MessageDoc[] {
  const sorted = messages.filter((m) => m.timestamp <= at).sort((a, b) => a.timestamp - b.timestamp);
  const out: MessageDoc[] = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const m = sorted[i] as MessageDoc;
    if (m.direction === 'out') {
      if (typeof m.lineage?.handoffReason === 'string' && out.length === 0) continue;
      break;
    }
    if (m.text) out.unshift(m);
  }
  return out;
}

/** Removes the contact's own name (each word of it), then phone numbers, e-mails and self-given names. */
export function cleanSample(text: string, knownNames: string[] = []): string {
  let out = text;
  for (const name of knownNames) {
    for (const part of words(name)) {
      if (part.length < 2) continue;
      const pattern = new RegExp(
        `(?<![\\p{L}\\p{N}])${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
        'giu',
      );
      out = out.replace(pattern, '[name]');
    }
  }
  return redactText(out).slice(0, 500);
}

/** A short label for a group from its terms, when no sample is left to show. */
export function labelOf(terms: string[]): string {
  return terms.slice(0, 6).join(' · ');
}

/** What a gap is about: its newest sample, or a label from its terms once every sample is gone. */
export function gapTopic(g: { samples: Array<{ text: string; at: string }>; terms: string[] }): string {
  const newest = [...g.samples].sort((a, b) => b.at.localeCompare(a.at));
  return newest[0]?.text ?? (labelOf(g.terms) || '(samples deleted)');
}
