import { type Lang, type OpeningHours, parseOpeningHours, renderWeek } from './hours.js';
import { lexicon } from './lexicon.js';
import type { Faq, KbEntryDoc, Profile, Service } from './schemas.js';
import { detectLanguage, guessLanguage, sentencesOf } from './text.js';
import { valueTopics } from './value-topics.js';

/** The structured fact behind a passage, so a reply can render it in the customer's language. */
export type Fact =
  | {
      type: 'service';
      name: string;
      price?: { amount: number; currency: string };
      priceNote?: string;
      durationMinutes?: number;
      description?: string;
    }
  | { type: 'faq'; question: string; answer: string }
  | { type: 'policy'; text: string }
  | { type: 'address'; value: string }
  | { type: 'phone'; value: string }
  | { type: 'email'; value: string }
  | { type: 'website'; value: string }
  | { type: 'booking'; value: string }
  | { type: 'hours'; hours?: OpeningHours; text?: string };

/** A retrievable passage. Its id names the entry and version it came from, for reply lineage. */
export interface Chunk {
  id: string;
  entryId: string;
  entryVersion: number;
  kind: 'profile' | 'service' | 'faq' | 'document';
  /** Short label: a service name, an FAQ question, a document file name. */
  title: string;
  text: string;
  /** The language the owner wrote it in. */
  lang?: 'en' | 'ro';
  /** Lexicon concepts the passage is about even when its words do not say so (an address is a "location"). */
  topics?: string[];
  fact?: Fact;
}

const DOC_CHUNK_CHARS = 900;

/** Labels of passage text, in the language the passage was written in (the model reads these). */
const LABEL = {
  en: {
    price: 'Price',
    duration: 'Duration',
    address: 'Address',
    phone: 'Phone',
    email: 'E-mail',
    website: 'Website',
    booking: 'Book or order online',
    hours: 'Opening hours',
    policy: 'Policy',
  },
  ro: {
    price: 'Preț',
    duration: 'Durată',
    address: 'Adresă',
    phone: 'Telefon',
    email: 'E-mail',
    website: 'Site',
    booking: 'Programări și comenzi online',
    hours: 'Program',
    policy: 'Regulă',
  },
} as const;

/** Pure: the policies field as single policies: one per line or bullet, else one per sentence. */
export function splitPolicies(text: string): string[] {
  const lines = text
    .split(/\n+/)
    .map((l) => l.replace(/^\s*(?:[-*•–]|\d+[.)])\s*/, '').trim())
    .filter(Boolean);
  if (lines.length > 1) return lines;
  return sentencesOf(text, /(?<=[.!?])\s+(?=\p{Lu})/u)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Pure: the opening hours a profile states: the structured ones, else derived from the text when it reads whole. */
export function profileHours(p: Profile): { hours?: OpeningHours; status: 'set' | 'derived' | 'needs_owner' | 'none' } {
  if (p.hours) return { hours: p.hours, status: 'set' };
  if (!p.openingHours) return { status: 'none' };
  const derived = parseOpeningHours(p.openingHours);
  return derived ? { hours: derived, status: 'derived' } : { status: 'needs_owner' };
}

/** Each profile fact is its own passage, so "where are you" finds the address alone and "parking?" one policy. */
function profileChunks(entry: KbEntryDoc & { kind: 'profile' }, p: Profile): Chunk[] {
  const base = { entryId: entry.id, entryVersion: entry.version, kind: 'profile' as const };
  const chunks: Chunk[] = [];
  const add = (key: string, lang: Lang | undefined, title: string, text: string, fact: Fact, topics: string[]) =>
    chunks.push({ ...base, id: `${entry.id}#${key}`, title, text, ...(lang ? { lang } : {}), fact, topics });
  const home = detectLanguage([p.name, p.address, p.openingHours, p.policies].filter(Boolean).join(' '));
  // Each way to reach the business is a fact of its own: "what's your e-mail?" gets the e-mail alone.
  const contact = (field: 'address' | 'phone' | 'email' | 'website', value: string | undefined, topics: string[]) => {
    if (value) add(field, home, LABEL[home][field], `${LABEL[home][field]}: ${value}`, { type: field, value }, topics);
  };
  contact('address', p.address, ['location', 'where']);
  contact('phone', p.phone, ['phone']);
  contact('email', p.email, ['email']);
  contact('website', p.website, ['website']);
  const { hours } = profileHours(p);
  if (hours || p.openingHours) {
    const lang = (p.openingHours && guessLanguage(p.openingHours)) || home;
    const text = hours ? renderWeek(hours, lang) : (p.openingHours as string);
    // The hours fact answers for every weekday and every named holiday, whatever words its text uses.
    const topics = [
      'hours',
      'which-days',
      'clock',
      'today',
      'tomorrow',
      ...[0, 1, 2, 3, 4, 5, 6].map((d) => `day:${d}`),
      ...Object.keys(lexicon.data.weekdayGroups).map((g) => `days:${g}`),
      ...(hours?.exceptions ?? []).flatMap((e) => lexicon.holidaysIn(e.label ?? '').map((h) => `holiday:${h}`)),
      // Any special day answers "the holiday hours?" ("programul de sărbători").
      ...(hours?.exceptions?.length ? ['holiday:holiday'] : []),
    ];
    add(
      'hours',
      lang,
      LABEL[lang].hours,
      `${LABEL[lang].hours}: ${text}`,
      { type: 'hours', ...(hours ? { hours } : {}), ...(p.openingHours ? { text: p.openingHours } : {}) },
      [...new Set(topics)],
    );
  }
  if (p.bookingLink)
    add(
      'booking',
      home,
      LABEL[home].booking,
      `${LABEL[home].booking}: ${p.bookingLink}`,
      { type: 'booking', value: p.bookingLink },
      // Without a website of its own, the booking link is where a customer books, or orders online from a shop.
      ['booking', 'how-to-order', ...(p.website ? [] : ['website'])],
    );
  for (const [i, policy] of splitPolicies(p.policies ?? '').entries()) {
    const lang = guessLanguage(policy);
    add(
      `policy-${i + 1}`,
      lang,
      LABEL[lang ?? home].policy,
      policy,
      { type: 'policy', text: policy },
      valueTopics(policy),
    );
  }
  return chunks;
}

/** A service stays in one piece: name, price, duration and description together. */
function serviceChunk(entry: KbEntryDoc, s: Service): Chunk {
  const lang = guessLanguage([s.name, s.description].filter(Boolean).join(' '));
  const label = LABEL[lang ?? 'en'];
  // A note beside a price says what it is for ("per day"): a customer asks by it, so the passage holds it too.
  const price = s.price
    ? `${s.price.amount} ${s.price.currency}${s.priceNote ? ` (${s.priceNote})` : ''}`
    : s.priceNote;
  const facts = [
    price && `${label.price}: ${price}`,
    s.durationMinutes && `${label.duration}: ${s.durationMinutes} min`,
  ]
    .filter(Boolean)
    .join(', ');
  const topics = [
    ...new Set([
      ...(price ? ['price'] : []),
      ...(s.durationMinutes ? ['duration'] : []),
      ...valueTopics(s.description ?? ''),
    ]),
  ];
  return {
    id: entry.id,
    entryId: entry.id,
    entryVersion: entry.version,
    kind: 'service',
    title: s.name,
    text: [`${s.name}${facts ? ` — ${facts}` : ''}.`, s.description].filter(Boolean).join(' '),
    lang,
    topics,
    fact: { type: 'service', ...s },
  };
}

/** An FAQ answer stays with its question. */
function faqChunk(entry: KbEntryDoc, f: Faq): Chunk {
  const lang = guessLanguage(`${f.question} ${f.answer}`);
  return {
    id: entry.id,
    entryId: entry.id,
    entryVersion: entry.version,
    kind: 'faq',
    title: f.question,
    text: f.answer,
    lang,
    topics: valueTopics(f.answer),
    fact: { type: 'faq', ...f },
  };
}

/**
 * Splits document text on paragraphs into passages of about DOC_CHUNK_CHARS, never mid-paragraph unless one is huge.
 */
export function documentChunks(entryId: string, version: number, title: string, text: string): Chunk[] {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const pieces: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    const parts =
      paragraph.length > DOC_CHUNK_CHARS
        ? (paragraph.match(new RegExp(`.{1,${DOC_CHUNK_CHARS}}(\\s|$)`, 'g')) ?? [paragraph])
        : [paragraph];
    for (const part of parts) {
      if (current && current.length + part.length + 1 > DOC_CHUNK_CHARS) {
        pieces.push(current);
        current = '';
      }
      current = current ? `${current}\n${part.trim()}` : part.trim();
    }
  }
  if (current) pieces.push(current);
  return pieces.map((piece, i) => ({
    id: `${entryId}#${i}`,
    entryId,
    entryVersion: version,
    kind: 'document' as const,
    title,
    text: piece,
    lang: guessLanguage(piece),
    topics: valueTopics(piece),
  }));
}

/** Pure: a tenant's entries (and extracted document texts) as passages. */
export function chunkEntries(entries: KbEntryDoc[], documentTexts: Map<string, string> = new Map()): Chunk[] {
  const chunks: Chunk[] = [];
  for (const entry of entries) {
    if (entry.kind === 'profile') chunks.push(...profileChunks(entry, entry.data));
    else if (entry.kind === 'service') chunks.push(serviceChunk(entry, entry.data));
    else if (entry.kind === 'faq') chunks.push(faqChunk(entry, entry.data));
    else if (entry.kind === 'document' && entry.data.status === 'ready') {
      const text = documentTexts.get(entry.id);
      if (text) chunks.push(...documentChunks(entry.id, entry.version, entry.data.fileName, text));
    }
  }
  return chunks;
}
