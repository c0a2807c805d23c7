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
import { fromBusinessHours, type OpeningHours } from '../../shared/knowledge/hours.js';
import { memoryKnowledgeRepository } from '../../shared/knowledge/knowledge-repository.js';
import { profileOpeningHours } from '../../shared/knowledge/profile.js';
import { OWNER_SET_BOT_HOURS } from '../helpers/bot-hours.js';

/** Hours an owner set in the bot settings before the profile had structured hours. */
const bot = {
  ...defaultBotSettings(),
  businessHours: OWNER_SET_BOT_HOURS,
};
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
    const rules = rulesOf(bot);
    // Saturday 20:00 (closed after 14:00), Sunday closed, Monday 09:00–09:05: five minutes.
    expect(businessMillisBetween(at('2026-11-07T20:00:00+02:00'), at('2026-11-09T09:05:00+02:00'), rules)).toBe(
      5 * MIN,
    );
    // Friday 17:50 to Saturday 10:05: ten minutes before closing and five after opening.
    expect(businessMillisBetween(at('2026-11-06T17:50:00+02:00'), at('2026-11-07T10:05:00+02:00'), rules)).toBe(
      15 * MIN,
    );
    expect(businessMillisBetween(at('2026-11-09T10:00:00+02:00'), at('2026-11-09T09:00:00+02:00'), rules)).toBe(0);
  });
  it('counts every hour for a tenant that set no hours anywhere, rather than hours nobody set', () => {
    const rules = rulesOf(defaultBotSettings());
    expect(businessMillisBetween(at('2026-11-07T20:00:00+02:00'), at('2026-11-09T09:05:00+02:00'), rules)).toBe(
      (37 * 60 + 5) * MIN,
    );
  });
});

describe('insights: the profile’s opening hours decide human response time', () => {
  // Differs from the bot's 09:00–18:00: weekdays 12:00–20:00 with a lunch break on Friday, Saturday
  // closed; Thursday 26 November a closed holiday, Tuesday 1 December special hours 10:00–11:00.
  const profile: OpeningHours = {
    weekly: {
      mon: [{ open: '12:00', close: '20:00' }],
      tue: [{ open: '12:00', close: '20:00' }],
      wed: [{ open: '12:00', close: '20:00' }],
      thu: [{ open: '12:00', close: '20:00' }],
      fri: [
        { open: '12:00', close: '14:00' },
        { open: '15:00', close: '20:00' },
      ],
    },
    exceptions: [
      { date: '2026-11-26', label: 'Holiday' },
      { date: '2026-12-01', intervals: [{ open: '10:00', close: '11:00' }], label: 'Short day' },
    ],
  };
  const rules = rulesOf(bot, profile);
  const between = (a: string, b: string, r = rules) => businessMillisBetween(at(a), at(b), r);

  it('counts only the profile’s opening hours, not the bot settings’', () => {
    // Tuesday 10:00 → 12:10: the bot's hours would say 130 minutes, the profile's open at 12:00.
    expect(between('2026-11-24T10:00:00+02:00', '2026-11-24T12:10:00+02:00')).toBe(10 * MIN);
    expect(between('2026-11-24T10:00:00+02:00', '2026-11-24T12:10:00+02:00', rulesOf(bot))).toBe(130 * MIN);
    // Tuesday 19:00 → 19:30 is after the bot's closing, inside the profile's hours.
    expect(between('2026-11-24T19:00:00+02:00', '2026-11-24T19:30:00+02:00')).toBe(30 * MIN);
    // Every interval of a day counts: Friday 13:50 → 15:10 is 10 minutes before lunch and 10 after.
    expect(between('2026-11-27T13:50:00+02:00', '2026-11-27T15:10:00+02:00')).toBe(20 * MIN);
    // Saturday is open for the bot, closed in the profile.
    expect(between('2026-11-28T09:00:00+02:00', '2026-11-28T23:00:00+02:00')).toBe(0);
  });

  it('adds nothing on a closed holiday, and uses a special date’s own intervals', () => {
    // Thursday the 26th is a holiday: the whole day adds nothing, not its weekday's 8 hours.
    expect(between('2026-11-26T00:00:00+02:00', '2026-11-26T23:59:00+02:00')).toBe(0);
    // Wednesday 19:50 → Friday 12:05 across the holiday: 10 + 0 + 5 minutes.
    expect(between('2026-11-25T19:50:00+02:00', '2026-11-27T12:05:00+02:00')).toBe(15 * MIN);
    // Tuesday 1 December opens 10:00–11:00 only, not its weekday's 12:00–20:00.
    expect(between('2026-12-01T09:00:00+02:00', '2026-12-01T20:00:00+02:00')).toBe(60 * MIN);
  });

  it('times a person’s first answer after a handoff in the profile’s hours', () => {
    const events: Parameters<typeof applyEvent>[1][] = [
      { kind: 'in', key: 'm1', at: at('2026-11-25T19:40:00+02:00') },
      { kind: 'handoff', key: 'h1', at: at('2026-11-25T19:50:00+02:00'), reason: 'asked_for_human' },
      { kind: 'human_reply', key: 'r1', at: at('2026-11-27T12:05:00+02:00') },
    ];
    const counts: Record<string, number> = {};
    let state: ThreadState = {};
    // A window long enough that the episode is still open when the person answers two days later.
    const longWindow = rulesOf(bot, profile, 4 * 24 * 3_600_000);
    for (const e of events) {
      const r = applyEvent(state, e, longWindow);
      state = r.state;
      for (const d of r.deltas) for (const [k, v] of Object.entries(d.counts)) counts[k] = (counts[k] ?? 0) + v;
    }
    expect(figuresOf(counts).firstResponse).toMatchObject({ humanBusinessHoursAvgMs: 15 * MIN, humanCount: 1 });
  });

  it('falls back to the bot’s business hours for a tenant without profile hours', async () => {
    expect(rulesOf(bot, undefined)).toEqual(rulesOf(bot));
    expect(rulesOf(bot).hours).toEqual(fromBusinessHours(bot.businessHours));
    // Friday 17:50 → Saturday 10:05 in the bot's hours: 15 minutes.
    expect(between('2026-11-06T17:50:00+02:00', '2026-11-07T10:05:00+02:00', rulesOf(bot))).toBe(15 * MIN);

    const entries = memoryKnowledgeRepository();
    const profileEntry = (data: Record<string, unknown>) => ({
      id: 'profile',
      tenantId: 'tn_a',
      type: 'kb-entry' as const,
      kind: 'profile' as const,
      version: 1,
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-01T00:00:00.000Z',
      updatedBy: 'auth0|owner',
      data: { name: 'Salon Ana', ...data },
    });
    // No profile, then a profile without hours: no hours, so the bot's stand in.
    expect(await profileOpeningHours({ entries }, 'tn_a')).toBeUndefined();
    await entries.createEntry('tn_a', profileEntry({}));
    expect(await profileOpeningHours({ entries }, 'tn_a')).toBeUndefined();
    // Structured hours are the tenant's; another tenant does not see them.
    await entries.updateEntry('tn_a', 'profile', (e) => ({ ...e, ...profileEntry({ hours: profile }) }));
    expect(await profileOpeningHours({ entries }, 'tn_a')).toEqual(profile);
    expect(await profileOpeningHours({ entries }, 'tn_b')).toBeUndefined();
    // Free text that reads whole counts too, as it does for "open now".
    await entries.updateEntry('tn_a', 'profile', (e) => ({
      ...e,
      ...profileEntry({ openingHours: 'Mon-Fri 12:00-20:00' }),
    }));
    expect((await profileOpeningHours({ entries }, 'tn_a'))?.weekly.mon).toEqual([{ open: '12:00', close: '20:00' }]);
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
