import type { KbEntryDoc } from '../../shared/knowledge/schemas.js';

/** A knowledge-base entry (service, FAQ or profile) of tenant "t", as the knowledge base stores it. */
export const kbEntry = (id: string, kind: 'faq' | 'service' | 'profile', data: Record<string, unknown>): KbEntryDoc =>
  ({
    id,
    tenantId: 't',
    type: 'kb-entry',
    version: 1,
    createdAt: '',
    updatedAt: '',
    updatedBy: '',
    kind,
    data,
  }) as never;

/** A priced service entry (RON) with a description, and a price note or a duration if given. */
export const kbService = (
  id: string,
  name: string,
  amount: number,
  description: string,
  more: { priceNote?: string; durationMinutes?: number } = {},
): KbEntryDoc => kbEntry(id, 'service', { name, price: { amount, currency: 'RON' }, description, ...more });

/** A small clinic's instalments and parking FAQs (one English, one Romanian) and two priced services. */
export const smallClinic = (): KbEntryDoc[] => [
  kbEntry('faq-rate', 'faq', {
    question: 'Can I pay in instalments?',
    answer: 'Yes, up to 12 interest-free instalments.',
  }),
  kbEntry('faq-parc', 'faq', { question: 'Aveți parcare?', answer: 'Da, parcarea din curte este gratuită.' }),
  kbEntry('svc-white', 'service', { name: 'Teeth whitening', price: { amount: 1200, currency: 'RON' } }),
  kbEntry('svc-clean', 'service', { name: 'Professional cleaning', price: { amount: 250, currency: 'RON' } }),
];
