import { z } from 'zod';
import { openInterval } from '../platform/clock-time.js';
import { log } from '../platform/log.js';
import { timeZoneSchema } from '../platform/time-zone.js';

/** Opening hours for one weekday, in the tenant's time zone ("09:00"–"18:00"); absent means closed. */
const dayHours = openInterval('open must be before close');

/** How the bot behaves for one tenant. */
export const botSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** §13: say in the first reply that an automated assistant is answering. */
  aiDisclosure: z.boolean(),
  /** Below this confidence the conversation goes to a human. */
  handoffThreshold: z.number().min(0).max(1),
  /** Extra phrases that mean "I want a person", on top of the built-in ones. */
  handoffPhrases: z.array(z.string().min(2).max(100)).max(50),
  /** IANA name; checked on the way in, and again on every read (see usableBotSettings). */
  timeZone: timeZoneSchema,
  /** Keys 0 (Sunday) to 6. */
  businessHours: z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), dayHours),
  tone: z.enum(['friendly', 'formal', 'playful']),
  languages: z
    .array(z.string().regex(/^[a-z]{2}$/, 'a two-letter language code such as ro or en'))
    .min(1)
    .max(10),
  /** Bot pause after someone answers from Meta's own inbox. */
  humanHoldMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
  /** Wait for more messages before answering a burst. */
  burstWaitMs: z.number().int().min(0).max(60_000),
  /** Email the owner when a conversation waits for a human. */
  notifyOnHandoff: z.boolean(),
});
export type BotSettings = z.infer<typeof botSettingsSchema>;

/** The time zone a tenant gets by default, and the safe one used when a stored value is unusable. */
export const DEFAULT_TIME_ZONE = 'Europe/Bucharest';

/** Defaults for a new tenant. */
export function defaultBotSettings(overrides: { humanHoldMinutes?: number; burstWaitMs?: number } = {}): BotSettings {
  return {
    enabled: true,
    aiDisclosure: true,
    handoffThreshold: 0.55,
    handoffPhrases: [],
    timeZone: DEFAULT_TIME_ZONE,
    // None: the profile's structured hours are the one source of truth, and hours nobody set say nothing.
    businessHours: {},
    tone: 'friendly',
    languages: ['en', 'ro'],
    humanHoldMinutes: overrides.humanHoldMinutes ?? 60,
    burstWaitMs: overrides.burstWaitMs ?? 3000,
    notifyOnHandoff: true,
  };
}

/**
 * The stored bot settings, each field checked again on read: a field that is missing or invalid
 * (written before validation existed, or directly into storage) is replaced by its default, and
 * the field names (never the values) are logged. So a bad stored setting can never stop replies
 * or break the playground; it degrades to the safe default.
 */
export function usableBotSettings(tenantId: string, stored: unknown, defaults: BotSettings): BotSettings {
  const raw = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const repaired: string[] = [];
  const result = { ...defaults } as Record<string, unknown>;
  for (const [key, schema] of Object.entries(botSettingsSchema.shape)) {
    const parsed = (schema as z.ZodType).safeParse(raw[key]);
    if (parsed.success) result[key] = parsed.data;
    else repaired.push(key);
  }
  if (repaired.length > 0) log.warn('tenant.bot_settings_repaired', { tenantId, fields: repaired });
  return result as BotSettings;
}
