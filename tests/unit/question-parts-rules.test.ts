import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { chunkEntries } from '../../shared/knowledge/chunking.js';
import { FactMatcher } from '../../shared/knowledge/fact-match.js';
import { saysNothing } from '../../shared/knowledge/lexicon.js';
import { SearchIndex } from '../../shared/knowledge/search-index.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';
import { answerFromKnowledge } from '../../shared/replies/knowledge-generator.js';
import { questionParts } from '../../shared/replies/question-parts.js';
import { kbEntry as entry, smallClinic } from '../helpers/kb-entry.js';

const chunks = chunkEntries([
  entry('profile', 'profile', {
    name: 'Zâmbet',
    hours: {
      weekly: {
        mon: [{ open: '09:00', close: '18:00' }],
        tue: [{ open: '09:00', close: '18:00' }],
        wed: [{ open: '09:00', close: '18:00' }],
        thu: [{ open: '09:00', close: '18:00' }],
        fri: [{ open: '09:00', close: '18:00' }],
        sat: [{ open: '10:00', close: '14:00' }],
      },
    },
  }),
  entry('faq-walkin', 'faq', {
    question: 'Do you take walk-ins?',
    answer: 'Yes, when a dentist is free, but booking is recommended.',
  }),
  ...smallClinic(),
]);
const matcher = new FactMatcher(chunks);

/** Questions each answered alone by one fact, as an English or Romanian customer would ask them. */
const ASKED: Array<[string, string]> = [
  ['can I pay in instalments?', 'faq-rate'],
  ['pot plăti în rate?', 'faq-rate'],
  ['is there parking?', 'faq-parc'],
  ['aveți parcare?', 'faq-parc'],
  ['how much is whitening?', 'svc-white'],
  ['cât costă albirea?', 'svc-white'],
  ['how much is a professional cleaning?', 'svc-clean'],
];

/** The generator's reply to one message, on a Wednesday at noon in Bucharest (open by the default hours). */
const ask = (text: string) =>
  answerFromKnowledge({
    tenant: { id: 't', companyName: 'Zâmbet', bot: defaultBotSettings() },
    index: SearchIndex.build(1, chunks),
    inbound: [{ text }],
    history: [],
    now: new Date('2026-12-02T10:00:00Z'),
    wholeBudgetTokens: 3000,
  });

describe('a message of several questions (outside audit G9)', () => {
  it('splits at sentences and at "and"/"și" before a new question, never between two things asked together', () => {
    expect(questionParts('do you sell pet food and do you do house calls?')).toEqual([
      'do you sell pet food',
      'do you do house calls?',
    ]);
    expect(questionParts('Aveți parcare și cât costă albirea?')).toEqual(['Aveți parcare', 'cât costă albirea?']);
    expect(questionParts('Is parking free? And do you take cards?')).toEqual([
      'Is parking free?',
      'And do you take cards?',
    ]);
    expect(questionParts('how much is a cut and a colour?')).toEqual(['how much is a cut and a colour?']);
  });
  it('after a question, splits before "and is <thing> …?", never before "and is very …" (outside audit I: "cat litter and is delivery free?")', () => {
    expect(questionParts('How much is whitening and is parking free?')).toEqual([
      'How much is whitening',
      'is parking free?',
    ]);
    expect(questionParts('my son is 8 and is very shy, can he come?')).toEqual([
      'my son is 8 and is very shy, can he come?',
    ]);
    // A greeting before the question changes nothing (outside review M).
    expect(questionParts('Hi, how much is whitening and is parking free?')).toEqual([
      'Hi, how much is whitening',
      'is parking free?',
    ]);
    // After a statement "and is" goes on telling.
    expect(questionParts('the flat is small and is close to the metro?')).toHaveLength(1);
  });
  it('after a question, splits before Romanian "și e <…>?" too, and reads the dropped pronoun as pointing back (outside audit L)', async () => {
    expect(questionParts('Cât costă albirea și e nevoie de programare?')).toEqual([
      'Cât costă albirea',
      'e nevoie de programare?',
    ]);
    // One word and the question mark ask as well: "… și e online?" is a question of its own.
    expect(questionParts('aveți parcare și e gratuită?')).toEqual(['aveți parcare', 'e gratuită?']);
    expect(questionParts('cat costa testul de nivel si e online?')).toEqual(['cat costa testul de nivel', 'e online?']);
    // "Very", "foarte", "deja"… go on about the thing asked before: no question of their own (outside review M).
    for (const text of ['Cât costă albirea și e foarte dureroasă?', 'How much is whitening and is very painful?'])
      expect(questionParts(text), text).toHaveLength(1);
    // "e disponibilă sâmbăta?" is the whitening on Saturday, not the opening hours: it goes to a colleague.
    const reply = await ask('Cât costă albirea și e disponibilă și sâmbăta?');
    expect(reply.lineage.passageIds).toEqual(['svc-white']);
    expect(reply.handoff).toBe(true);
  });
  it('answers a Romanian "E nevoie de…?" on its own: an impersonal question points back at nothing (outside review M)', async () => {
    const reply = await ask('Cât costă albirea? E nevoie de programare?');
    expect(reply.lineage.passageIds).toEqual(['svc-white', 'faq-walkin']);
  });
  it('splits any question and "and is"/"și e" + a thing after it, and never a statement so joined (generated)', () => {
    const opener = fc.constantFrom('How much is', 'Do you have', 'Can I get', 'Cât costă', 'Aveți', 'Faceți');
    const thing = fc.constantFrom('whitening', 'parking', 'delivery', 'albirea', 'parcare', 'livrarea');
    const copula = fc.constantFrom(
      ['and is', 'free?'],
      ['and are', 'included?'],
      ['și e', 'gratuită?'],
      ['și este', 'inclusă?'],
    );
    fc.assert(
      fc.property(opener, thing, thing, copula, (open, first, second, [join, rest]) => {
        const asked = `${open} ${first} ${join} ${second} ${rest}`;
        expect(questionParts(asked), asked).toEqual([`${open} ${first}`, `${join.split(' ')[1]} ${second} ${rest}`]);
        const told = `The ${first} is new ${join} ${second} ${rest}`;
        expect(questionParts(told), told).toHaveLength(1);
      }),
      { seed: 20261207, numRuns: 200 },
    );
  });
  it('splits any question and "and is"/"și e" + one word + "?" after it, whatever the word (generated)', () => {
    const opener = fc.constantFrom('How much is', 'Do you have', 'Cât costă', 'Aveți', 'Faceți');
    const thing = fc.constantFrom('whitening', 'parking', 'albirea', 'parcare', 'testul de nivel');
    const join = fc.constantFrom('and is', 'and are', 'și e', 'și este', 'si e');
    const word = fc.stringMatching(/^[a-zăâîșț]{3,12}$/);
    fc.assert(
      fc.property(opener, thing, join, word, (open, first, copula, said) => {
        // A word that says nothing ("ref", a stop word) makes no question of its own: it is left out.
        fc.pre(!saysNothing(said));
        const asked = `${open} ${first} ${copula} ${said}?`;
        expect(questionParts(asked), asked).toEqual([`${open} ${first}`, `${copula.split(' ')[1]} ${said}?`]);
      }),
      { seed: 20261207, numRuns: 200 },
    );
  });
  it('drops what asks nothing and joins a question of value alone to the one before', () => {
    expect(questionParts('Good afternoon. Do you do whitening?')).toEqual(['Do you do whitening?']);
    // "I know the manicure is 110" tells: it is no second question.
    expect(questionParts('si pedichiura cat e? manichiura stiu ca e 110')).toEqual(['si pedichiura cat e?']);
    expect(questionParts('can u get rid of the tartar? how much')).toEqual(['can u get rid of the tartar? how much']);
  });
  it('asks anew at "și până la ce oră", and never joins a question about the business itself to the one before (outside audits AH, AK)', () => {
    expect(questionParts('cat costa prajiturile la kg si pana la ce ora sunteti deschisi sambata?')).toEqual([
      'cat costa prajiturile la kg',
      'pana la ce ora sunteti deschisi sambata?',
    ]);
    expect(questionParts('How much is delivery and until what time can I order?')).toEqual([
      'How much is delivery',
      'until what time can I order?',
    ]);
    // "and where are you?" asks where the business is; "where it is" points back at the thing before (outside audit AO).
    expect(questionParts('Cat costa epilarea la axile si unde sunteti?')).toEqual([
      'Cat costa epilarea la axile',
      'unde sunteti?',
    ]);
    expect(questionParts("where's my package right now? how can i see where it is")).toEqual([
      "where's my package right now? how can i see where it is",
    ]);
    // "where is the shop?" asks where the business is, whatever came before.
    expect(questionParts('What time do you open on Sunday and where exactly is the shop?')).toEqual([
      'What time do you open on Sunday',
      'where exactly is the shop?',
    ]);
    expect(
      decideFallback(matcher, 'How much is whitening and until what time are you open on Saturday?').answers?.map(
        (a) => a.hit.chunk.id,
      ),
    ).toEqual(['svc-white', 'profile#hours']);
    // A value asked alone still belongs to the thing before it, and so does a place that only points back.
    expect(questionParts('Do you do whitening? How much?')).toEqual(['Do you do whitening? How much?']);
    expect(questionParts('Faceți toaletaj la pisici? și la voi la salon?')).toEqual([
      'Faceți toaletaj la pisici? și la voi la salon?',
    ]);
  });
  it('each alone ASKED question is answered by its fact (the premise of the pairs below)', () => {
    for (const [q, id] of ASKED) expect(decideFallback(matcher, q).hit?.chunk.id, q).toBe(id);
  });
  it('answers two questions about two facts with both, in the order asked, whichever way they are joined', () => {
    const pair = fc
      .tuple(fc.constantFrom(...ASKED), fc.constantFrom(...ASKED), fc.constantFrom('? ', ' and ', ' și ', '\n'))
      .filter(([a, b]) => a[1] !== b[1]);
    fc.assert(
      fc.property(pair, ([[first, firstId], [second, secondId], join]) => {
        const message = `${first.replace(/\?$/, '')}${join}${second}`;
        const answers = decideFallback(matcher, message).answers?.map((a) => a.hit.chunk.id);
        expect(answers, message).toEqual([firstId, secondId]);
      }),
      { seed: 20261207, numRuns: 150 },
    );
  });
  it('answers what it can and leaves the question no fact answers to a colleague, never silently', () => {
    const cases: Array<[string, string]> = [
      ['How much is whitening and do you do braces?', 'svc-white'],
      ['Do you do acupuncture and is there parking?', 'faq-parc'],
      ['Aveți parcare și faceți aparat dentar?', 'faq-parc'],
    ];
    for (const [q, id] of cases) {
      const decision = decideFallback(matcher, q);
      expect(
        decision.answers?.map((a) => a.hit.chunk.id),
        q,
      ).toEqual([id]);
      expect(decision.unanswered, q).toBe(true);
    }
  });
  it('hands over the rest of the message after saying the answer it has, in the customer language', async () => {
    const reply = await ask('Aveți parcare și faceți acupunctură?');
    expect(reply.handoff).toBe(true);
    expect(reply.text).toBe(
      'Da, parcarea din curte este gratuită.\nUn coleg vă va răspunde aici în curând la restul mesajului.',
    );
    expect(reply.lineage).toMatchObject({ passageIds: ['faq-parc'], handoffReason: 'no_clear_match' });
  });
  it('keeps a question with a greeting or a request before it, and a sentence that asks without a question mark', () => {
    expect(questionParts('Buna ziua, cat costa albirea si aveti parcare? Lucrati cu Allianz?')).toEqual([
      'Buna ziua, cat costa albirea',
      'aveti parcare?',
      'Lucrati cu Allianz?',
    ]);
    expect(questionParts('do you sell pet food and do you do house calls')).toHaveLength(2);
    const decision = decideFallback(matcher, 'Buna ziua, cât costă albirea și aveți parcare? Pot plăti în rate?');
    expect(decision.answers?.map((a) => a.hit.chunk.id)).toEqual(['svc-white', 'faq-parc', 'faq-rate']);
    expect(decision.unanswered).toBeUndefined();
  });
  it('reads no remark as a question: "What a lovely clinic!", "and would love to…" (outside audit I)', () => {
    expect(questionParts('How much is whitening? What a lovely clinic!')).toEqual(['How much is whitening?']);
    expect(
      questionParts('I own a concept store and would love to carry your mugs, is that something you do?'),
    ).toHaveLength(1);
  });
  it('reads each question after the one before it: "is it free?" is about the parking, never the walk-ins', () => {
    // Here the parking answer says it is free: one fact for both questions.
    expect(decideFallback(matcher, 'Is there parking and is it free?').hit?.chunk.id).toBe('faq-parc');
    // Where it does not, whether it is free is left to a colleague, never answered by "when a dentist is free".
    const unsaid = new FactMatcher(
      chunkEntries([
        entry('faq-parc', 'faq', { question: 'Is there parking?', answer: 'Yes, 3 spaces behind the building.' }),
        entry('faq-walkin', 'faq', { question: 'Do you take walk-ins?', answer: 'Yes, when a dentist is free.' }),
      ]),
    );
    for (const q of ['Is there parking and is it free?', 'aveți parcare și e gratuită?']) {
      const decision = decideFallback(unsaid, q);
      expect(
        decision.answers?.map((a) => a.hit.chunk.id),
        q,
      ).toEqual(['faq-parc']);
      expect(decision.unanswered, q).toBe(true);
    }
    // Where it says so, the Romanian one too is one fact for both questions (outside audit I).
    expect(decideFallback(matcher, 'aveți parcare și e gratuită?').hit?.chunk.id).toBe('faq-parc');
    expect(decideFallback(matcher, 'aveți parcare și e gratuită?').unanswered).toBeUndefined();
    // The first question is read after the conversation: "how much?" after the whitening answer is its price.
    const followUp = decideFallback(matcher, 'how much? and can I pay in instalments?', 'Do you do teeth whitening?', [
      'svc-white',
    ]);
    expect(followUp.answers?.map((a) => a.hit.chunk.id)).toEqual(['svc-white', 'faq-rate']);
  });
  it('answers a time of day in either order, and one fact asked twice once, for both questions', async () => {
    for (const q of ['is there parking? are you open at 13:30?', 'are you open at 13:30? is there parking?'])
      expect(new Set(decideFallback(matcher, q).answers?.map((a) => a.hit.chunk.id)), q).toEqual(
        new Set(['faq-parc', 'profile#hours']),
      );
    const reply = await ask('Are you open today? Are you open on Saturday? Is there parking?');
    expect(reply.lineage.passageIds).toEqual(['profile#hours', 'faq-parc']);
    expect(reply.text).toMatch(/Saturday[^\n]*10:00–14:00/);
    expect(reply.text).toMatch(/09:00–18:00/);
  });
  it('reads a message of more than five questions as one, ranking it once, never question by question', () => {
    const many = Array.from({ length: 40 }, (_, i) => (i % 2 ? 'is there parking?' : 'how much is whitening?')).join(
      ' ',
    );
    expect(questionParts(many)).toHaveLength(40);
    expect(decideFallback(matcher, many).answers).toBeUndefined();
    const five = Array.from({ length: 5 }, (_, i) => (i % 2 ? 'is there parking?' : 'how much is whitening?')).join(
      ' ',
    );
    expect(decideFallback(matcher, five).answers?.map((a) => a.hit.chunk.id)).toEqual(['svc-white', 'faq-parc']);
  });
  it('splits no message, however odd, into an empty or a blank question', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        for (const part of questionParts(text)) expect(part.trim()).not.toBe('');
      }),
      { seed: 20261207, numRuns: 300 },
    );
    expect(questionParts('')).toEqual([]);
    expect(questionParts('?? ... !!')).toEqual([]);
  });
  it('says "what we have written (in English)" once, before the first of the lines written in English', async () => {
    const reply = await ask('Pot plăti în rate? Pot veni fără programare?');
    expect(reply.lineage).toMatchObject({ passageIds: ['faq-rate', 'faq-walkin'] });
    expect(reply.text).toBe(
      'Iată ce avem scris (în engleză): Yes, up to 12 interest-free instalments.\nYes, when a dentist is free, but booking is recommended.',
    );
  });
  it('says both facts in the customer language and names both passages in the lineage', async () => {
    const reply = await ask('Aveți parcare și cât costă albirea?');
    expect(reply.handoff).toBe(false);
    expect(reply.text).toBe('Da, parcarea din curte este gratuită.\nTeeth whitening: preț: 1.200 de lei.');
    expect(reply.lineage).toMatchObject({ passageIds: ['faq-parc', 'svc-white'], entryIds: ['faq-parc', 'svc-white'] });
  });
});
