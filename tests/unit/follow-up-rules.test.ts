import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalRoot, loadBusiness } from '../../scripts/eval-harness.js';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { chunkEntries } from '../../shared/knowledge/chunking.js';
import { FactMatcher } from '../../shared/knowledge/fact-match.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';
import { kbEntry as entry } from '../helpers/kb-entry.js';

/**
 * Follow-ups on two of the eval's development businesses (eval/dev-kinds), turn by turn as the reply job
 * reads them: the second message with the first as the previous turn and the first answer as the focus.
 */
function conversation(business: string) {
  const { index, keyOf } = loadBusiness(business, evalRoot('dev-kinds'));
  return (first: string, second: string) => {
    const opening = decideFallback(index.facts, first);
    const focus = opening.hit ? [opening.hit.chunk.id] : [];
    const reply = decideFallback(index.facts, second, first, focus);
    return {
      first: opening.hit && keyOf.get(opening.hit.chunk.id),
      second: reply.hit && keyOf.get(reply.hit.chunk.id),
      confidence: reply.confidence,
    };
  };
}

describe('the fallback reads a follow-up with the conversation', () => {
  const tattoo = conversation('tattoo');
  const garage = conversation('garage');

  it('lets the conversation decide between passages the new message names equally', () => {
    // Alone, "sessions" fits the preparation FAQ and the payment policy as well as the laser service.
    expect(tattoo('do you do laser removal?', 'how many sessions will I need?')).toMatchObject({
      first: 'svc-laser',
      second: 'svc-laser',
    });
  });
  it('is as sure as the surer reading when both readings find the same fact', () => {
    const r = garage('faceti diagnoza?', 'daca fac reparatia la voi mai platesc diagnoza?');
    expect(r).toMatchObject({ first: 'svc-diag', second: 'svc-diag' });
    expect(r.confidence).toBeGreaterThanOrEqual(defaultBotSettings().handoffThreshold);
  });
  it('keeps a new message that names something else clearly on its own topic', () => {
    expect(tattoo('do you do laser removal?', 'do you take a deposit?').second).not.toBe('svc-laser');
  });
  it('reads a message that opens as the next part of the last question with it (outside audit AD)', () => {
    const agency = new FactMatcher(
      chunkEntries([
        entry('profile', 'profile', { name: 'Lexis', openingHours: 'Luni–Vineri 09:00–18:00' }),
        entry('urgent', 'service', {
          name: 'Regim de urgență',
          priceNote: '+50% pentru 24 de ore; +100% în aceeași zi',
          description: 'Documente de până la 5 pagini predate până la ora 12:00.',
        }),
      ]),
    );
    const first = 'Cât costă regimul de urgență?';
    expect(decideFallback(agency, first).hit?.chunk.id).toBe('urgent');
    // Alone, "today" is the hours; "and if I want it today?" asks the urgent service's same-day price.
    expect(decideFallback(agency, 'și dacă o vreau chiar azi?', first, ['urgent']).hit?.chunk.id).toBe('urgent');
    expect(decideFallback(agency, 'sunteți deschiși azi?', first, ['urgent']).hit?.chunk.id).toBe('profile#hours');
  });
  it('reads "and on Saturday?" after an FAQ that lists its own days as asking those days (outside audit AG)', () => {
    const clinic = new FactMatcher(
      chunkEntries([
        entry('profile', 'profile', { name: 'Derma', openingHours: 'Luni–Vineri 09:00–19:00, Sâmbătă 09:00–14:00' }),
        entry('kids', 'faq', {
          question: 'Consultați și copii?',
          answer: 'Da, copiii de peste 3 ani, de luni până joi, între 14:00 și 19:00.',
        }),
      ]),
    );
    const first = 'Consultati copii?';
    expect(decideFallback(clinic, first).hit?.chunk.id).toBe('kids');
    // Before, Saturday's opening hours read as a yes for children on Saturday.
    expect(decideFallback(clinic, 'si sambata?', first, ['kids']).hit?.chunk.id).toBe('kids');
    expect(decideFallback(clinic, 'sambata?', first, ['kids']).hit?.chunk.id).toBe('profile#hours');
    expect(decideFallback(clinic, 'și sâmbăta sunteți deschiși?', first, ['kids']).hit?.chunk.id).toBe('profile#hours');
  });
});

describe('a value asked of "the appointment" after a service was answered', () => {
  const services: Array<[string, string, string]> = [
    ['svc-white', 'Teeth whitening', 'Do you do teeth whitening?'],
    ['svc-massage', 'Masaj de relaxare', 'Faceți masaj de relaxare?'],
    ['svc-brows', 'Brow lamination', 'do u do brow lamination'],
  ];
  const matcher = new FactMatcher(
    chunkEntries([
      entry('profile', 'profile', {
        name: 'Studio',
        bookingLink: 'https://studio.example/book',
        policies: 'Parcarea din curte este gratuită.',
      }),
      entry('faq-card', 'faq', { question: 'Can I pay by card?', answer: 'Yes, all cards.' }),
      ...services.map(([id, name], i) =>
        entry(id, 'service', { name, price: { amount: 100 + i * 50, currency: 'RON' }, durationMinutes: 30 + i * 15 }),
      ),
    ]),
  );
  const next = (first: string, second: string) => {
    const opening = decideFallback(matcher, first);
    return decideFallback(matcher, second, first, opening.hit ? [opening.hit.chunk.id] : []).hit?.chunk.id;
  };
  const asks = [
    'how long does the appointment take?',
    'how long is the session?',
    'how much is the treatment?',
    'cât durează ședința?',
    'cât costă o ședință?',
    'cât durează procedura?',
  ];

  it('is a value of that service, in either language, whichever word names the visit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...services), fc.constantFrom(...asks), ([id, , first], second) => {
        expect(next(first, second), `${first} → ${second}`).toBe(id);
      }),
      { seed: 20261207, numRuns: 60 },
    );
  });
  it('stays the booking link or a colleague without a service to be about', () => {
    expect(decideFallback(matcher, 'how long does the appointment take?').hit?.chunk.id).not.toMatch(/^svc-/);
    expect(next('Can I pay by card?', 'how long does the appointment take?')).not.toBe('faq-card');
  });
  it('never takes a message that names something else clearly for the service', () => {
    expect(next('Do you do teeth whitening?', 'how much does parking cost?')).not.toBe('svc-white');
    expect(next('Do you do teeth whitening?', 'how do I book an appointment?')).toBe('profile#booking');
  });
  it('knows the visit words apart from a service named with them', () => {
    expect(matcher.asksValueOfVisit('cât durează ședința?')).toBe(true);
    expect(matcher.asksValueOfVisit('how long does the massage take?')).toBe(false);
    expect(matcher.asksValueOfVisit('can I book an appointment?')).toBe(false);
  });
});
