import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkEntries } from '../../shared/knowledge/chunking.js';
import { FactMatcher } from '../../shared/knowledge/fact-match.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';
import { kbEntry as entry, kbService as service } from '../helpers/kb-entry.js';

const vet = (catVaccine: string) =>
  new FactMatcher(
    chunkEntries([
      service('svc-vacc-cat', catVaccine, 100, 'Protects against panleukopenia and feline herpesvirus. From 8 weeks.'),
      service(
        'svc-vacc-dog',
        'Vaccin polivalent câine',
        110,
        'Protejează împotriva jigodiei. Puii, de la 6–8 săptămâni.',
      ),
      service(
        'svc-rabies',
        'Vaccin antirabic',
        60,
        'Obligatoriu anual pentru câini, recomandat pentru pisicile care ies afară.',
      ),
      service(
        'svc-consult',
        'Consultație generală câine sau pisică',
        120,
        'Examen clinic complet, cu sfaturi de hrană.',
      ),
      service('svc-chip', 'Microchip', 80, 'Implant sub piele, cu înregistrare în baza de date.'),
    ]),
  );

describe('a heading named by a question', () => {
  it('leaves out its bracketed aside: "the cat vaccine" names "Cat vaccine (RCP)" whole, beside "Vaccin antirabic"', () => {
    for (const q of ['cat costa vaccinul pt pisica?', 'how much is the cat vaccine?'])
      expect(decideFallback(vet('Cat vaccine (RCP)'), q, '', [], 0.55).hit?.chunk.id, q).toBe('svc-vacc-cat');
  });

  it('reads an undecided passage in the language of all its words, not of its heading alone', () => {
    // "o" and "Sa" made the heading Romanian, where "Cat" is "cât" (how much), no cat.
    expect(
      decideFallback(vet('Cat vaccine (o+Sa)'), 'cât costă vaccinul pentru pisică?', '', [], 0.55).hit?.chunk.id,
    ).toBe('svc-vacc-cat');
  });

  it('answers the same for any aside in brackets, as it does with none', () => {
    const aside = fc.stringMatching(/^[A-Za-z0-9 +,-]{1,20}$/);
    fc.assert(
      fc.property(aside, (code) => {
        const q = 'cât costă vaccinul pentru pisică?';
        const plain = decideFallback(vet('Cat vaccine'), q, '', [], 0.55).hit?.chunk.id;
        expect(plain).toBe('svc-vacc-cat');
        expect(decideFallback(vet(`Cat vaccine (${code})`), q, '', [], 0.55).hit?.chunk.id).toBe(plain);
      }),
      { numRuns: 40 },
    );
  });

  it('still needs the words outside the brackets: "Cat vaccine RCP" is not named whole by "the cat vaccine"', () => {
    expect(decideFallback(vet('Cat vaccine RCP'), 'cat costa vaccinul pt pisica?', '', [], 0.55).hit).toBeUndefined();
  });
});

const garage = new FactMatcher(
  chunkEntries([
    service(
      'svc-oil',
      'Schimb ulei și filtre',
      250,
      'Ulei sintetic, filtru de ulei și filtru de aer, manoperă inclusă.',
    ),
    service('svc-tyres', 'Tyre change (set of 4)', 160, 'Remove, fit and balance 4 wheels.'),
    service('svc-brakes', 'Brake pads replacement', 300, 'Front or rear pads, parts not included.'),
    service('svc-itp', 'ITP', 180, 'Inspecția tehnică periodică, în aceeași zi.'),
    service('svc-ac', 'Air conditioning recharge', 200, 'Refrigerant top-up and leak check.'),
    service('svc-diag', 'Diagnoză computerizată', 100, 'Citirea erorilor și raport scris.'),
    service('svc-wash', 'Spălare completă', 60, 'Interior și exterior, aspirare inclusă.'),
    service('svc-align', 'Wheel alignment', 150, 'Computerised 3D alignment.'),
    entry('faq-wait', 'faq', {
      question: 'Pot aștepta mașina la voi?',
      answer: 'Da, pentru lucrările sub o oră (schimb ulei, anvelope) aveți sală de așteptare cu cafea.',
    }),
    entry('faq-parts', 'faq', { question: 'Can I bring my own parts?', answer: 'Yes, without warranty on them.' }),
    entry('profile', 'profile', {
      name: 'Service Auto Vest',
      policies: 'You can pay by card, in cash or with Revolut.',
    }),
  ]),
);

describe('the polite "Dvs"', () => {
  it('is a filler, like "vă": it neither matches nor counts against a match', () => {
    for (const q of ['Cât costă la Dvs schimbul de ulei?', 'cât costă la dvs. schimbul de ulei?'])
      expect(decideFallback(garage, q, '', [], 0.55).confidence, q).toBe(
        decideFallback(garage, 'Cât costă schimbul de ulei?', '', [], 0.55).confidence,
      );
  });
});
