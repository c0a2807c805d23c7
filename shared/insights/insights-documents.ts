import { z } from 'zod';

/**
 * What the `insights` container (day counters, knowledge gaps, settings) and the `insightThreads`
 * container (one tracker per conversation) hold, checked on every read.
 */

const platformSchema = z.enum(['messenger', 'instagram']);
const counts = z.record(z.string(), z.number());

const episodeSchema = z.object({
  start: z.number(),
  day: z.string(),
  lastActivity: z.number(),
  botAnswered: z.boolean(),
  lastWasBotAnswer: z.boolean(),
  humanInvolved: z.boolean(),
  botResponded: z.boolean(),
  humanResponded: z.boolean(),
  handoffAt: z.number().optional(),
});

const pendingDeltaSchema = z.object({ key: z.string(), day: z.string(), counts });
export type PendingDelta = z.infer<typeof pendingDeltaSchema>;

/** A conversation's tracker: its open episode, the events already applied and increments not yet added. */
export const threadDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('insights-thread'),
  conversationId: z.string(),
  platform: platformSchema,
  state: z.object({ episode: episodeSchema.optional() }),
  /** When the open episode settles if nothing else happens (ms), for the hourly sweep. */
  settleAt: z.number().optional(),
  /** Short hashes of the applied events' keys, newest last (bounded). */
  applied: z.array(z.string()),
  pending: z.array(pendingDeltaSchema),
  _etag: z.string().optional(),
});
export type ThreadDoc = z.infer<typeof threadDocSchema>;

/** A thread that is due to settle: just what the sweep needs. */
export const dueThreadSchema = threadDocSchema.pick({ id: true, tenantId: true, conversationId: true, platform: true });
export type DueThread = z.infer<typeof dueThreadSchema>;

/** One local day's counters of one platform. */
export const dayDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('insights-day'),
  day: z.string(),
  platform: platformSchema,
  counts,
  /** Short hashes of the increments already added. */
  applied: z.array(z.string()),
  _etag: z.string().optional(),
});
export type DayDoc = z.infer<typeof dayDocSchema>;

/** The part of a day document the figures read. */
export const dayFiguresSchema = dayDocSchema.pick({ day: true, platform: true, counts: true });
export type DayFigures = z.infer<typeof dayFiguresSchema>;

/** The part of a day document a rebuild compares. */
export const dayCountsSchema = dayDocSchema.pick({ id: true, counts: true });
export type DayCounts = z.infer<typeof dayCountsSchema>;

/**
 * A redacted question behind a knowledge handoff. End-User content: it carries the conversation
 * and contact it came from, so deleting either takes it along.
 */
export const gapSampleSchema = z.object({
  key: z.string(),
  conversationId: z.string(),
  contactId: z.string(),
  /** The messages the sample was made from: a message taken back (unsend) takes the sample along. */
  messageIds: z.array(z.string()).default([]),
  text: z.string(),
  at: z.string(),
});
export type GapSample = z.infer<typeof gapSampleSchema>;

/** Questions the bot handed off for lack of knowledge, grouped by topic. */
export const gapDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('insights-gap'),
  status: z.enum(['open', 'resolved']),
  terms: z.array(z.string()),
  vector: z.array(z.number()).optional(),
  count: z.number(),
  firstAskedAt: z.string(),
  lastAskedAt: z.string(),
  reasons: counts,
  /** The newest few, redacted. */
  samples: z.array(gapSampleSchema),
  /** Short hashes of the handoffs already counted (idempotency). */
  keys: z.array(z.string()),
  resolvedAt: z.string().optional(),
  resolvedBy: z.string().optional(),
  faqEntryId: z.string().optional(),
  _etag: z.string().optional(),
});
export type GapDoc = z.infer<typeof gapDocSchema>;

export const SETTINGS_ID = 'settings';

/** A tenant's insights settings; the weekly digest is on until an owner or admin switches it off. */
export const insightSettingsDocSchema = z.looseObject({
  id: z.literal(SETTINGS_ID),
  tenantId: z.string(),
  type: z.literal('insights-settings'),
  weeklyDigest: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type InsightSettingsDoc = z.infer<typeof insightSettingsDocSchema>;
