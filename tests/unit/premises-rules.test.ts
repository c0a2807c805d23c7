import { describe, expect, it } from 'vitest';
import { chunkEntries } from '../../shared/knowledge/chunking.js';
import { FactMatcher } from '../../shared/knowledge/fact-match.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';
import { kbEntry as entry, kbService as service } from '../helpers/kb-entry.js';

const day = [{ open: '06:00', close: '23:00' }];
const weekend = [{ open: '08:00', close: '20:00' }];
const gym = new FactMatcher(
  chunkEntries([
    entry('profile', 'profile', {
      name: 'Forța Gym',
      hours: { weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: weekend, sun: weekend } },
    }),
    service('svc-monthly', 'Abonament lunar', 180, 'Acces nelimitat la sală și la vestiare, în orice zi.'),
    service('svc-student', 'Student membership', 130, 'Unlimited access Monday to Friday until 16:00, with a card.'),
    service('svc-judo', 'Judo pentru copii', 200, 'Două antrenamente pe săptămână, marți și joi la 17:30.'),
    service('svc-spinning', 'Spinning class', 30, 'Group class every weekday at 18:00.'),
    entry('faq-parking', 'faq', {
      question: 'Is there parking?',
      answer: 'Free parking for members for up to 2 hours.',
    }),
    entry('faq-lockers', 'faq', { question: 'Do you have lockers?', answer: 'Yes, free lockers; bring a padlock.' }),
  ]),
);

describe('the business named by its own kind ("the gym", "sala")', () => {
  it('asked when it opens or closes, is the business itself: the opening hours (outside audit K)', () => {
    for (const q of [
      'until what time is the gym open?',
      'what time does the gym close?',
      'la ce oră se închide sala?',
      'pana la ce ora e deschisa sala?',
    ])
      expect(decideFallback(gym, q, '', [], 0.55).hit?.chunk.id, q).toBe('profile#hours');
  });
  it('asked about anything else, still names what it offers', () => {
    expect(decideFallback(gym, 'cât costă abonamentul lunar?', '', [], 0.55).hit?.chunk.id).toBe('svc-monthly');
  });
  it('names a facility with its own FAQ at a business of another kind: the gym at a guesthouse (outside review M)', () => {
    const guesthouse = new FactMatcher(
      chunkEntries([
        entry('profile', 'profile', {
          name: 'Pensiunea Bradul',
          hours: { weekly: { mon: weekend, tue: weekend, wed: weekend, thu: weekend, fri: weekend, sat: weekend } },
        }),
        entry('faq-gym', 'faq', { question: 'Do you have a gym?', answer: 'Yes, for guests, open 07:00–22:00.' }),
        entry('faq-breakfast', 'faq', { question: 'Is breakfast included?', answer: 'Yes, 8:00–10:30.' }),
      ]),
    );
    for (const q of ['until what time is the gym open?', 'what are the gym opening hours?'])
      expect(decideFallback(guesthouse, q, '', [], 0.55).hit?.chunk.id, q).toBe('faq-gym');
    expect(decideFallback(guesthouse, 'until what time are you open?', '', [], 0.55).hit?.chunk.id).toBe(
      'profile#hours',
    );
  });
});
