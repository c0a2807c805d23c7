import { z } from 'zod';

/** Opening hours for one weekday, in the tenant's time zone ("09:00"–"18:00"); absent means closed. */
const dayHours = z.object({ open: z.string().regex(/^\d{2}:\d{2}$/), close: z.string().regex(/^\d{2}:\d{2}$/) });

/** How the bot behaves for one tenant. */
export const botSettingsSchema = z.strictObject({
  enabled: z.boolean(),
  /** §13: say in the first reply that an automated assistant is answering. */
  aiDisclosure: z.boolean(),
  /** Below this confidence the conversation goes to a human. */
  handoffThreshold: z.number().min(0).max(1),
  /** Extra phrases that mean "I want a person", on top of the built-in ones. */
  handoffPhrases: z.array(z.string().min(2).max(100)).max(50),
  timeZone: z.string().min(1).max(64),
  /** Keys 0 (Sunday) to 6. */
  businessHours: z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), dayHours),
  tone: z.enum(['friendly', 'formal', 'playful']),
  languages: z.array(z.string().regex(/^[a-z]{2}$/)).min(1).max(10),
  /** Bot pause after someone answers from Meta's own inbox. */
  humanHoldMinutes: z.number().int().min(1).max(7 * 24 * 60),
  /** Wait for more messages before answering a burst. */
  burstWaitMs: z.number().int().min(0).max(60_000),
  /** Email the owner when a conversation waits for a human. */
  notifyOnHandoff: z.boolean(),
});
export type BotSettings = z.infer<typeof botSettingsSchema>;

/** Defaults for a new tenant. */
export function defaultBotSettings(overrides: { humanHoldMinutes?: number; burstWaitMs?: number } = {}): BotSettings {
  return {
    enabled: true,
    aiDisclosure: true,
    handoffThreshold: 0.55,
    handoffPhrases: [],
    timeZone: 'Europe/Bucharest',
    businessHours: {
      '1': { open: '09:00', close: '18:00' },
      '2': { open: '09:00', close: '18:00' },
      '3': { open: '09:00', close: '18:00' },
      '4': { open: '09:00', close: '18:00' },
      '5': { open: '09:00', close: '18:00' },
      '6': { open: '10:00', close: '14:00' },
    },
    tone: 'friendly',
    languages: ['en', 'ro'],
    humanHoldMinutes: overrides.humanHoldMinutes ?? 60,
    burstWaitMs: overrides.burstWaitMs ?? 3000,
    notifyOnHandoff: true,
  };
}
