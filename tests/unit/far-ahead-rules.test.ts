import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { chunkEntries } from '../../shared/knowledge/chunking.js';
import { confidentFact, FAR_AHEAD, FactMatcher, type FactScore } from '../../shared/knowledge/fact-match.js';
import { SearchIndex } from '../../shared/knowledge/search-index.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';
import { answerFromKnowledge } from '../../shared/replies/knowledge-generator.js';
import { kbEntry as e } from '../helpers/kb-entry.js';

const chunks = chunkEntries([
  e('svc-aligners', 'service', {
    name: 'Clear aligners',
    price: { amount: 9000, currency: 'RON' },
    description: 'Removable transparent trays that straighten teeth, with a 3D scan and monthly check-ups.',
  }),
  e('svc-white', 'service', { name: 'Teeth whitening', price: { amount: 1200, currency: 'RON' } }),
  e('svc-clean', 'service', { name: 'Professional cleaning', price: { amount: 250, currency: 'RON' } }),
  e('faq-card', 'faq', { question: 'Can I pay by card?', answer: 'Yes, all cards are accepted.' }),
  e('faq-parc', 'faq', { question: 'Aveți parcare?', answer: 'Da, parcarea din curte este gratuită.' }),
]);
const matcher = new FactMatcher(chunks);

/** Questions that say more than the passage holds, in both languages; the aligners meet them in two places or more. */
const SAYS_MORE = [
  'we are getting married in june and my teeth are crooked, could you straighten them before the wedding?',
  'dinții mei sunt strâmbi și mă jenez când zâmbesc la serviciu, îi puteți îndrepta până în vară?',
];

describe('a passage far ahead of the rest (FAR_AHEAD): said, with a colleague for the rest', () => {
  it('says the passage of a question that says more than it holds, when nothing else comes near, and leaves the rest', () => {
    for (const q of SAYS_MORE) {
      const ranked = matcher.rank(q);
      expect(confidentFact(ranked).best, q).toBeUndefined();
      expect(confidentFact(ranked, { farAhead: true }), q).toMatchObject({
        best: { chunk: { id: 'svc-aligners' } },
        partial: true,
      });
      const decision = decideFallback(matcher, q, '', [], 0.55);
      expect(decision.hit?.chunk.id, q).toBe('svc-aligners');
      expect(decision.confidence, q).toBeGreaterThanOrEqual(0.55);
      expect(decision.unanswered, q).toBe(true);
    }
  });
  it('replies with that fact and hands the conversation to a colleague for the rest, never as a full answer', async () => {
    const reply = await answerFromKnowledge({
      tenant: { id: 't', companyName: 'Zâmbet', bot: defaultBotSettings() },
      index: SearchIndex.build(1, chunks),
      inbound: [{ text: SAYS_MORE[1] as string }],
      history: [],
      now: new Date('2026-12-02T10:00:00Z'),
      wholeBudgetTokens: 3000,
    });
    expect(reply.handoff).toBe(true);
    expect(reply.lineage).toMatchObject({ passageIds: ['svc-aligners'], handoffReason: 'no_clear_match' });
    expect(reply.text).toMatch(
      /^Clear aligners: preț: 9\.000 de lei\..*\nUn coleg vă va răspunde aici în curând la restul mesajului\.$/s,
    );
  });

  it('answers only two places or more, four times the runner-up and a third of the question; never a worse clear answer', () => {
    const score = fc.record({
      score: fc.double({ min: 0.01, max: 10, noNaN: true }),
      coverage: fc.double({ min: 0.01, max: 1, noNaN: true }),
      specific: fc.integer({ min: 0, max: 4 }),
      titleNamed: fc.constantFrom(0, 0.5, 1),
    });
    fc.assert(
      fc.property(score, fc.option(score, { nil: undefined }), (a, b) => {
        const ranked = [a, ...(b ? [b] : [])]
          .map((s, i) => ({ ...s, chunk: chunks[i], echo: [] }) as unknown as FactScore)
          .sort((x, y) => y.score - x.score);
        const [top, second] = ranked as [FactScore, FactScore | undefined];
        const margin = second ? top.score / second.score : Number.POSITIVE_INFINITY;
        const far =
          top.specific >= FAR_AHEAD.specific && margin >= FAR_AHEAD.margin && top.coverage >= FAR_AHEAD.coverage;
        const plain = confidentFact(ranked);
        const withFar = confidentFact(ranked, { farAhead: true });
        expect(Boolean(withFar.best)).toBe(Boolean(plain.best) || far);
        // A clear answer stays a full one; only a far-ahead fact leaves the rest to a colleague.
        if (plain.best) expect(withFar).toEqual(plain);
        else expect(withFar.partial).toBe(far ? true : undefined);
      }),
      { seed: 20261207, numRuns: 500 },
    );
  });

  it('reads a message of several questions part by part, and leaves the part it cannot answer to a colleague', () => {
    // Read whole, the aligners would be far ahead of the rest, and the spa question would go unanswered.
    const decision = decideFallback(
      matcher,
      'we are getting married in june, could you straighten my crooked teeth and is the spa nearby open on sunday?',
      '',
      [],
      0.55,
    );
    expect(decision.answers?.map((a) => a.hit.chunk.id)).toEqual(['svc-aligners']);
    expect(decision.unanswered).toBe(true);
  });
  it('prefers the clear answer the previous turn gives to a fact only far ahead alone (outside review M)', () => {
    const scored = (i: number, score: number, coverage: number, specific: number) =>
      ({ chunk: chunks[i], score, coverage, specific, titleNamed: 0, echo: [] }) as unknown as FactScore;
    // Alone the aligners are only far ahead; with the previous turn the whitening is clearly the answer.
    const alone = [scored(0, 2, 0.4, 2), scored(1, 0.4, 0.2, 1)];
    const withPrevious = [scored(1, 4, 0.9, 2), scored(0, 1, 0.3, 1)];
    const stub = {
      rank: (_q: string, previous = '') => (previous ? withPrevious : alone),
      hasForeignSentence: () => false,
      asksValueOfVisit: () => false,
      asksValueIn: () => false,
      faqAskedAsWritten: () => undefined,
      lacksAskedPrice: () => false,
    } as unknown as FactMatcher;
    expect(decideFallback(stub, 'and before June?', 'how much is teeth whitening?', [], 0.55)).toMatchObject({
      hit: { chunk: { id: 'svc-white' } },
      usedHistory: true,
    });
    expect(decideFallback(stub, 'and before June?', '', [], 0.55)).toMatchObject({
      hit: { chunk: { id: 'svc-aligners' } },
      unanswered: true,
    });
  });
});
