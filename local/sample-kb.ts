import { readFileSync } from 'node:fs';
import type { KbEntryDoc } from '../shared/knowledge/triggers.js';

interface SampleKb {
  profile: Record<string, string>;
  services: Array<Record<string, unknown> & { key: string }>;
  faqs: Array<{ key: string; question: string; answer: string }>;
}

/** The shipped sample salon (eval/salon-kb.json). Works from the sources and from dist/. */
export function readSampleKb(): SampleKb {
  const here = new URL('./', import.meta.url);
  const root = here.pathname.includes('/dist/') ? new URL('../../', here) : new URL('../', here);
  return JSON.parse(readFileSync(new URL('eval/salon-kb.json', root), 'utf8')) as SampleKb;
}

/** The sample as knowledge base entries for one tenant, each item's id set to its key. */
export function sampleEntries(tenantId: string, kb: SampleKb = readSampleKb()): KbEntryDoc[] {
  const now = new Date(0).toISOString();
  const base = { tenantId, type: 'kb-entry' as const, version: 1, createdAt: now, updatedAt: now, updatedBy: 'sample' };
  return [
    { ...base, id: 'profile', kind: 'profile', data: kb.profile as never },
    ...kb.services.map(({ key, ...data }) => ({ ...base, id: key, kind: 'service' as const, data: data as never })),
    ...kb.faqs.map(({ key, ...data }) => ({ ...base, id: key, kind: 'faq' as const, data })),
  ];
}
