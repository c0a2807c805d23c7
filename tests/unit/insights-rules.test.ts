import { describe, expect, it } from 'vitest';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import type { MessageDoc } from '../../shared/conversations/documents.js';
import { render } from '../../shared/email/templates.js';
import { digestData, digestWeeks, formatDuration } from '../../shared/insights/digest.js';
import { bestGroup, cleanSample, gapTerms, questionBefore, termSimilarity } from '../../shared/insights/gaps.js';
import { businessMillisBetween, localDay, localTimeToInstant } from '../../shared/insights/local-time.js';
import {
  applyEvent,
  figuresOf,
  handoffCategory,
  RESOLUTION_WINDOW_MS,
  rulesOf,
  type ThreadState,
} from '../../shared/insights/metrics.js';

const bot = defaultBotSettings();
const at = (s: string) => Date.parse(s);
const MIN = 60_000;

describe('insights: local time', () => {
  it("counts days in the tenant's time zone, not UTC", () => {
    // 23:30 UTC on 1 November is already 2 November in Bucharest.
    expect(localDay(at('2026-11-01T23:30:00Z'), 'Europe/Bucharest')).toBe('2026-11-02');
    expect(localDay(at('2026-11-01T23:30:00Z'), 'UTC')).toBe('2026-11-01');
    // Across the summer-time change: 09:00 local is 06:00 UTC in October, 07:00 UTC in November.
    expect(new Date(localTimeToInstant('2026-10-20', 540, 'Europe/Bucharest')).toISOString()).toBe(
      '2026-10-20T06:00:00.000Z',
    );
    expect(new Date(localTimeToInstant('2026-11-20', 540, 'Europe/Bucharest')).toISOString()).toBe(
      '2026-11-20T07:00:00.000Z',
    );
  });

  it('counts human response time inside business hours only', () => {
    // Saturday 20:00 (closed after 14:00), Sunday closed, Monday 09:00–09:05: five minutes.
    expect(businessMillisBetween(at('2026-11-07T20:00:00+02:00'), at('2026-11-09T09:05:00+02:00'), bot)).toBe(5 * MIN);
    // Friday 17:50 to Saturday 10:05: ten minutes before closing and five after opening.
    expect(businessMillisBetween(at('2026-11-06T17:50:00+02:00'), at('2026-11-07T10:05:00+02:00'), bot)).toBe(15 * MIN);
    expect(businessMillisBetween(at('2026-11-09T10:00:00+02:00'), at('2026-11-09T09:00:00+02:00'), bot)).toBe(0);
  });
});

describe('insights: resolution rules', () => {
  const rules = rulesOf(bot);
  const run = (events: Parameters<typeof applyEvent>[1][]) => {
    let state: ThreadState = {};
    const counts: Record<string, number> = {};
    for (const e of events) {
      const r = applyEvent(state, e, rules);
      state = r.state;
      for (const d of r.deltas) for (const [k, v] of Object.entries(d.counts)) counts[k] = (counts[k] ?? 0) + v;
    }
    return { state, figures: figuresOf(counts) };
  };
  const t0 = at('2026-11-02T09:00:00+02:00');

  it('resolves only once the window has passed after the bot’s last answer', () => {
    const open = run([
      { kind: 'in', key: 'm1', at: t0 },
      { kind: 'out', key: 'o1', at: t0 + 1000, author: 'bot', first: true, handoff: false },
      { kind: 'settle', key: 's1', at: t0 + RESOLUTION_WINDOW_MS - 1 },
    ]);
    expect(open.figures.resolution).toMatchObject({ resolved: 0, unresolved: 0 });
    const done = run([
      { kind: 'in', key: 'm1', at: t0 },
      { kind: 'out', key: 'o1', at: t0 + 1000, author: 'bot', first: true, handoff: false },
      { kind: 'settle', key: 's1', at: t0 + 1000 + RESOLUTION_WINDOW_MS },
    ]);
    expect(done.figures.resolution).toMatchObject({ resolved: 1, unresolved: 0, rate: 1 });
    expect(done.state.episode).toBeUndefined();
  });

  it('un-resolves a conversation that comes back within the window and ends with a person', () => {
    const { figures } = run([
      { kind: 'in', key: 'm1', at: t0 },
      { kind: 'out', key: 'o1', at: t0 + 1000, author: 'bot', first: true, handoff: false },
      { kind: 'in', key: 'm2', at: t0 + 20 * 3_600_000 },
      { kind: 'handoff', key: 'h1', at: t0 + 20 * 3_600_000 + 1, reason: 'asked_for_human' },
      { kind: 'settle', key: 's1', at: t0 + 60 * 3_600_000 },
    ]);
    expect(figures).toMatchObject({
      conversationsStarted: 1,
      messagesIn: 2,
      resolution: { resolved: 0, unresolved: 1 },
      handoffs: { total: 1 },
    });
  });

  it('starts a new conversation when the customer writes after the window', () => {
    const { figures } = run([
      { kind: 'in', key: 'm1', at: t0 },
      { kind: 'out', key: 'o1', at: t0 + 1000, author: 'bot', first: true, handoff: false },
      { kind: 'in', key: 'm2', at: t0 + 1000 + RESOLUTION_WINDOW_MS },
    ]);
    expect(figures).toMatchObject({ conversationsStarted: 2, resolution: { resolved: 1, unresolved: 0 } });
  });

  it('groups the generator’s reasons into the ones owners see', () => {
    expect(
      [
        'asked_for_human',
        'low_confidence',
        'no_clear_match',
        'no_knowledge_base',
        'content_filter',
        'quota_exceeded',
        'weird',
      ].map(handoffCategory),
    ).toEqual(['asked_for_human', 'low_confidence', 'no_match', 'no_match', 'content_filter', 'quota', 'other']);
  });
});

describe('insights: knowledge gaps', () => {
  it('groups near-duplicate questions in English and Romanian, and keeps other topics apart', () => {
    const lashes = gapTerms('Do you do eyelash extensions?');
    const lashesRo = gapTerms('Faceți extensii de gene?');
    const lashesEn2 = gapTerms('do you do lash extensions??');
    const keratin = gapTerms('How much does a keratin treatment cost?');
    const keratinRo = gapTerms('Cât costă un tratament cu keratină?');
    const laser = gapTerms('Do you offer laser hair removal?');
    const groups = [
      { id: 'lashes', terms: lashes },
      { id: 'keratin', terms: keratin },
    ];
    expect(bestGroup({ terms: lashesRo }, groups)?.id).toBe('lashes');
    expect(bestGroup({ terms: lashesEn2 }, groups)?.id).toBe('lashes');
    expect(bestGroup({ terms: keratinRo }, groups)?.id).toBe('keratin');
    expect(bestGroup({ terms: laser }, groups)).toBeUndefined();
    expect(termSimilarity(lashes, keratin)).toBe(0);
  });

  it('uses embeddings, when there are some, for what words alone miss', () => {
    expect(bestGroup({ terms: ['a'], vector: [1, 0, 0.1] }, [{ id: 'g', terms: ['b'], vector: [1, 0, 0] }])?.id).toBe(
      'g',
    );
    expect(
      bestGroup({ terms: ['a'], vector: [0, 1, 0] }, [{ id: 'g', terms: ['b'], vector: [1, 0, 0] }]),
    ).toBeUndefined();
  });

  it('§5.3 removes phone numbers, e-mail addresses and the customer’s name from samples', () => {
    const text = cleanSample(
      'Hi, Maria Ionescu here. Do you do eyelash extensions? My number is 0721 555 666, or maria.i@example.com',
      ['Maria Ionescu'],
    );
    expect(text).not.toMatch(/Maria|Ionescu|0721|555 666|example\.com/);
    expect(text).toContain('eyelash extensions');
  });

  it('finds the question behind a handoff: the customer messages after our last answer', () => {
    const m = (id: string, direction: 'in' | 'out', timestamp: number, text: string, handoff = false) =>
      ({
        id,
        direction,
        timestamp,
        text,
        ...(handoff ? { lineage: { handoffReason: 'no_clear_match' } } : {}),
      }) as unknown as MessageDoc;
    const messages = [
      m('1', 'in', 1, 'Hello'),
      m('2', 'out', 2, 'Hi!'),
      m('3', 'in', 3, 'Do you do botox?'),
      m('4', 'in', 4, 'And fillers?'),
      m('5', 'out', 5, 'A colleague will answer', true),
      m('6', 'in', 9, 'later'),
    ];
    expect(questionBefore(messages, 6)).toBe('Do you do botox?\nAnd fillers?');
  });
});

describe('insights: weekly digest', () => {
  const figures = figuresOf({
    started: 12,
    messagesIn: 30,
    'out.bot': 25,
    resolved: 6,
    unresolved: 3,
    'handoffs.no_match': 2,
    'botFirstResponse.count': 12,
    'botFirstResponse.ms': 48_000,
  });
  const before = figuresOf({ started: 10, resolved: 2, unresolved: 4 });
  const data = digestData({
    company: 'Salon Ana',
    week: { from: '2026-11-02', to: '2026-11-08' },
    now: figures,
    before,
    gaps: [{ id: 'gap_abc', text: 'Do you do eyelash extensions?', count: 3 }],
    baseUrl: 'https://app.aliat.test',
  });

  it('covers the last complete Monday–Sunday week in the tenant zone', () => {
    expect(digestWeeks(new Date('2026-11-09T04:30:00Z'), 'Europe/Bucharest')).toEqual({
      week: { from: '2026-11-02', to: '2026-11-08' },
      previous: { from: '2026-10-26', to: '2026-11-01' },
    });
    expect(formatDuration(4000)).toBe('4 s');
    expect(formatDuration(65 * MIN)).toBe('1 h 5 min');
  });

  it('renders in English and Romanian with the week against the week before and the top gaps with links', () => {
    const en = render('insights_weekly_digest', 'en', data);
    const ro = render('insights_weekly_digest', 'ro', data);
    expect(en.subject).toBe('Your week with Aliat: 12 conversations, 67% resolved by the assistant');
    expect(en.text).toContain('Conversations: 12 (10)');
    expect(en.text).toContain('Resolved by the assistant: 67% (33%)');
    expect(en.text).toContain('"Do you do eyelash extensions?" (asked 3 times)');
    expect(en.text).toContain('https://app.aliat.test/insights/gaps/gap_abc');
    expect(ro.subject).toBe('Săptămâna dvs. cu Aliat: 12 conversații, 67% rezolvate de asistent');
    expect(ro.text).toContain('Conversații: 12 (10)');
    expect(ro.text).toContain('(întrebat de 3 ori)');
    expect(ro.text).toMatch(/Echipa Aliat$/);
  });
});
