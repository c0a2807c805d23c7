import { z } from 'zod';
import { audit } from '../audit/index.js';
import { addFaqEntry, newEntryId } from '../knowledge/index.js';
import { defineRoute } from '../platform/api.js';
import { tenantIdField } from '../platform/ids.js';
import { wholeNumberParam } from '../platform/paging.js';
import { gapTopic } from './gaps.js';
import { type GapDoc, rankGaps } from './gaps-store.js';
import { cosmosInsightsRepository } from './insights-repository.js';
import { HANDOFF_CATEGORIES } from './metrics.js';
import { overview, tenantRange, timeseries } from './overview.js';
import { rebuildTenants } from './rebuild.js';
import { resolveGap } from './resolve-gap.js';
import { readInsightSettings } from './settings.js';
import { updateInsightSettings } from './update-settings.js';

const READERS = ['owner', 'admin'] as const;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a real calendar date');
const rangeQuery = z.strictObject({
  from: localDate
    .optional()
    .meta({ description: "First day, in the tenant's time zone (default: 29 days before `to`)" }),
  to: localDate.optional().meta({ description: "Last day, in the tenant's time zone (default: today)" }),
  channel: z.enum(['instagram', 'messenger']).optional().meta({ description: 'Only this channel (default: all)' }),
});

const handoffReasons = z.object(
  Object.fromEntries(HANDOFF_CATEGORIES.map((c) => [c, z.number().int()])) as Record<
    (typeof HANDOFF_CATEGORIES)[number],
    z.ZodNumber
  >,
);

const overviewView = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    channel: z.enum(['instagram', 'messenger', 'all']),
    figures: z.object({
      conversationsStarted: z.number().int(),
      messagesIn: z.number().int(),
      messagesOut: z.object({ bot: z.number().int(), human: z.number().int(), total: z.number().int() }),
      resolution: z.object({
        resolved: z.number().int(),
        unresolved: z.number().int(),
        rate: z.number().nullable(),
        windowHours: z.number(),
        definition: z.string(),
      }),
      handoffs: z.object({ total: z.number().int(), byReason: handoffReasons }),
      firstResponse: z.object({
        botAvgMs: z.number().nullable(),
        botCount: z.number().int(),
        humanBusinessHoursAvgMs: z.number().nullable(),
        humanCount: z.number().int(),
      }),
    }),
    replies: z.object({
      month: z.string(),
      used: z.number().int(),
      limit: z.number().int(),
      plan: z.string(),
      share: z.number(),
    }),
  })
  .meta({ id: 'InsightsOverview' });

const dayView = z
  .object({
    day: z.string(),
    conversationsStarted: z.number().int(),
    messagesIn: z.number().int(),
    messagesOut: z.number().int(),
    resolved: z.number().int(),
    unresolved: z.number().int(),
    handoffs: z.number().int(),
    handoffsByReason: handoffReasons,
    botFirstResponseAvgMs: z.number().nullable(),
    humanFirstResponseAvgMs: z.number().nullable(),
  })
  .meta({ id: 'InsightsDay' });

export const overviewRoute = defineRoute({
  name: 'v1-insights-overview',
  method: 'GET',
  path: 'v1/insights/overview',
  summary:
    "How the bot served the business over a range of days in its time zone: conversations, messages, resolution (defined in the answer), handoffs by reason, first response times, replies against the plan's quota",
  tag: 'Insights',
  roles: [...READERS],
  query: rangeQuery,
  response: { status: 200, description: 'The figures for the range', schema: overviewView },
  handler: async ({ rt, tenantId, query }) => {
    const range = await tenantRange(rt, tenantId, query);
    return { status: 200, body: await overview(rt, tenantId, range, range.timeZone) };
  },
});

export const timeseriesRoute = defineRoute({
  name: 'v1-insights-timeseries',
  method: 'GET',
  path: 'v1/insights/timeseries',
  summary: "The same figures day by day, in the tenant's time zone, zeros included",
  tag: 'Insights',
  roles: [...READERS],
  query: rangeQuery,
  response: {
    status: 200,
    description: 'One entry per day',
    schema: z
      .object({
        from: z.string(),
        to: z.string(),
        timeZone: z.string(),
        channel: z.enum(['instagram', 'messenger', 'all']),
        days: z.array(dayView),
      })
      .meta({ id: 'InsightsTimeseries' }),
  },
  handler: async ({ rt, tenantId, query }) => {
    const range = await tenantRange(rt, tenantId, query);
    return {
      status: 200,
      body: {
        from: range.from,
        to: range.to,
        timeZone: range.timeZone,
        channel: range.channel ?? 'all',
        days: await timeseries(rt, tenantId, range),
      },
    };
  },
});

const gapView = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'resolved']),
    topic: z.string(),
    terms: z.array(z.string()),
    count: z.number().int(),
    firstAskedAt: z.iso.datetime(),
    lastAskedAt: z.iso.datetime(),
    reasons: z.record(z.string(), z.number().int()),
    samples: z.array(z.object({ text: z.string(), at: z.iso.datetime(), conversationId: z.string() })),
    resolvedAt: z.iso.datetime().optional(),
    faqEntryId: z.string().optional(),
  })
  .meta({ id: 'KnowledgeGap' });

function gapOut(g: GapDoc): z.infer<typeof gapView> {
  const newest = [...g.samples].sort((a, b) => b.at.localeCompare(a.at));
  return {
    id: g.id,
    status: g.status,
    topic: gapTopic(g),
    terms: g.terms,
    count: g.count,
    firstAskedAt: g.firstAskedAt,
    lastAskedAt: g.lastAskedAt,
    reasons: g.reasons,
    samples: newest.map((s) => ({ text: s.text, at: s.at, conversationId: s.conversationId })),
    ...(g.resolvedAt ? { resolvedAt: g.resolvedAt } : {}),
    ...(g.faqEntryId ? { faqEntryId: g.faqEntryId } : {}),
  };
}

export const listGapsRoute = defineRoute({
  name: 'v1-insights-gaps',
  method: 'GET',
  path: 'v1/insights/gaps',
  summary:
    'Questions the bot handed off for lack of knowledge, grouped by topic, with how often and when last asked; samples have phone numbers, e-mail addresses and names removed',
  tag: 'Insights',
  roles: [...READERS],
  query: z.strictObject({
    status: z.enum(['open', 'resolved']).default('open'),
    limit: wholeNumberParam(1, 100, 50),
  }),
  response: { status: 200, description: 'Gaps, most asked first', schema: z.object({ items: z.array(gapView) }) },
  handler: async ({ rt, tenantId, query }) => {
    const gaps = rankGaps(await cosmosInsightsRepository(rt.cosmos).listGaps(tenantId, query.status)).slice(
      0,
      query.limit,
    );
    return { status: 200, body: { items: gaps.map(gapOut) } };
  },
});

export const resolveGapRoute = defineRoute({
  name: 'v1-insights-gaps-resolve',
  method: 'POST',
  path: 'v1/insights/gaps/{gapId}/resolve',
  summary: "Answer a gap: the owner's answer becomes a knowledge-base FAQ (re-indexed at once) and the gap is closed",
  tag: 'Insights',
  roles: [...READERS],
  params: z.object({ gapId: z.string().regex(/^[\w-]{1,64}$/, 'a gap id') }),
  body: z.strictObject({
    answer: z.string().trim().min(1).max(4000),
    question: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: "The FAQ's question (default: the newest sample)" }),
  }),
  errors: [404, 409],
  response: {
    headers: ['Location'],
    status: 201,
    description: 'The resolved gap, with the new FAQ entry id',
    schema: gapView,
  },
  handler: async ({ rt, tenantId, principal, params, body }) => {
    const deps = {
      insights: cosmosInsightsRepository(rt.cosmos),
      clock: rt.clock,
      newEntryId,
      addFaq: (id: string, data: { question: string; answer: string }, at: string) =>
        addFaqEntry(rt, tenantId, principal.sub, { id, at, ...data }),
    };
    const saved = await resolveGap(deps, tenantId, principal.sub, params.gapId, body);
    return {
      status: 201,
      body: gapOut(saved),
      ...(saved.faqEntryId ? { headers: { location: `/api/v1/knowledge/entries/${saved.faqEntryId}` } } : {}),
    };
  },
});

const settingsView = z
  .strictObject({ weeklyDigest: z.boolean().meta({ description: 'Send the weekly digest e-mail to the owner' }) })
  .meta({ id: 'InsightSettings' });

export const getSettingsRoute = defineRoute({
  name: 'v1-insights-settings-get',
  method: 'GET',
  path: 'v1/insights/settings',
  summary: 'Read the insights settings (weekly digest on or off)',
  tag: 'Insights',
  roles: [...READERS],
  response: { status: 200, description: 'Insights settings', schema: settingsView },
  handler: async ({ rt, tenantId }) => {
    const s = await readInsightSettings(cosmosInsightsRepository(rt.cosmos), tenantId);
    return { status: 200, body: { weeklyDigest: s.weeklyDigest } };
  },
});

export const putSettingsRoute = defineRoute({
  name: 'v1-insights-settings-put',
  method: 'PUT',
  path: 'v1/insights/settings',
  summary: 'Switch the weekly digest e-mail on or off',
  tag: 'Insights',
  roles: [...READERS],
  body: settingsView,
  response: { status: 200, description: 'Insights settings', schema: settingsView },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const deps = {
      insights: cosmosInsightsRepository(rt.cosmos),
      clock: rt.clock,
      audit: () =>
        audit(rt, {
          tenantId,
          action: 'settings.update',
          actor: principal,
          ip,
          details: { fields: ['insights.weeklyDigest'] },
        }),
    };
    return { status: 200, body: await updateInsightSettings(deps, tenantId, principal.sub, body.weeklyDigest) };
  },
});

export const rebuildRoute = defineRoute({
  name: 'v1-staff-insights-rebuild',
  method: 'POST',
  path: 'v1/staff/insights/rebuild',
  summary:
    'Recompute insights counters from stored messages and transitions and compare them with the live counters; with write, replace them (one tenant, or every active tenant)',
  tag: 'Operations',
  roles: ['staff'],
  body: z.strictObject({ tenantId: tenantIdField.optional(), write: z.boolean().default(false) }),
  response: {
    status: 200,
    description: 'One report per tenant; mismatches list every counter where stored and recomputed differ',
    schema: z.object({
      reports: z.array(
        z.object({
          tenantId: z.string(),
          conversations: z.number().int(),
          messages: z.number().int(),
          days: z.number().int(),
          written: z.boolean(),
          mismatches: z.array(
            z.object({ id: z.string(), counter: z.string(), stored: z.number(), rebuilt: z.number() }),
          ),
        }),
      ),
    }),
  },
  handler: async ({ rt, body }) => {
    return { status: 200, body: { reports: await rebuildTenants(rt, body.tenantId, { write: body.write }) } };
  },
});

export const insightsRoutes = [
  overviewRoute,
  timeseriesRoute,
  listGapsRoute,
  resolveGapRoute,
  getSettingsRoute,
  putSettingsRoute,
  rebuildRoute,
];
