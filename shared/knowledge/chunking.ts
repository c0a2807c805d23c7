import type { Faq, KbEntryDoc, Profile, Service } from './schemas.js';

/** A retrievable passage. Its id names the entry and version it came from, for reply lineage. */
export interface Chunk {
  id: string;
  entryId: string;
  entryVersion: number;
  kind: 'profile' | 'service' | 'faq' | 'document';
  /** Short label: a service name, an FAQ question, a document file name. */
  title: string;
  text: string;
}

const DOC_CHUNK_CHARS = 900;

function formatPrice(s: Service): string | undefined {
  if (s.price) return `${s.price.amount} ${s.price.currency}`;
  return s.priceNote;
}

/** Each profile fact is its own passage, so "what are your hours" finds the hours alone. */
function profileChunks(entry: KbEntryDoc & { kind: 'profile' }, p: Profile): Chunk[] {
  const make = (key: string, title: string, text: string | undefined): Chunk[] =>
    text ? [{ id: `${entry.id}#${key}`, entryId: entry.id, entryVersion: entry.version, kind: 'profile', title, text }] : [];
  return [
    ...make('contact', 'Address, location and contact / Adresă și contact', [p.name, p.address && `Address, where we are located / Adresa: ${p.address}`, p.phone && `Phone / Telefon: ${p.phone}`].filter(Boolean).join('. ')),
    ...make('hours', 'Opening hours / Program', p.openingHours && `Opening hours / Program: ${p.openingHours}`),
    ...make('booking', 'Booking / Programări', p.bookingLink && `Book online / Programări online: ${p.bookingLink}`),
    ...make('policies', 'Policies', p.policies),
  ];
}

/** A service stays in one piece: name, price, duration and description together. */
function serviceChunk(entry: KbEntryDoc, s: Service): Chunk {
  const facts = [formatPrice(s) && `Price: ${formatPrice(s)}`, s.durationMinutes && `Duration: ${s.durationMinutes} min`].filter(Boolean).join(', ');
  return { id: entry.id, entryId: entry.id, entryVersion: entry.version, kind: 'service', title: s.name, text: [`${s.name}${facts ? ` — ${facts}` : ''}.`, s.description].filter(Boolean).join(' ') };
}

/** An FAQ answer stays with its question. */
function faqChunk(entry: KbEntryDoc, f: Faq): Chunk {
  return { id: entry.id, entryId: entry.id, entryVersion: entry.version, kind: 'faq', title: f.question, text: f.answer };
}

/** Splits document text on paragraphs into passages of about DOC_CHUNK_CHARS, never mid-paragraph unless one is huge. */
export function documentChunks(entryId: string, version: number, title: string, text: string): Chunk[] {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter(Boolean);
  const pieces: string[] = [];
  let current = '';
  for (const paragraph of paragraphs) {
    const parts = paragraph.length > DOC_CHUNK_CHARS ? (paragraph.match(new RegExp(`.{1,${DOC_CHUNK_CHARS}}(\\s|$)`, 'g')) ?? [paragraph]) : [paragraph];
    for (const part of parts) {
      if (current && current.length + part.length + 1 > DOC_CHUNK_CHARS) {
        pieces.push(current);
        current = '';
      }
      current = current ? `${current}\n${part.trim()}` : part.trim();
    }
  }
  if (current) pieces.push(current);
  return pieces.map((piece, i) => ({ id: `${entryId}#${i}`, entryId, entryVersion: version, kind: 'document' as const, title, text: piece }));
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
