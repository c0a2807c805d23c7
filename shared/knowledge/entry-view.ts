import { z } from 'zod';
import { isoTime } from '../platform/iso-time.js';
import { profileHours } from './chunking.js';
import { openingHoursSchema } from './hours.js';
import { faqSchema, type KbEntryDoc, profileSchema, serviceSchema } from './schemas.js';

const documentInfoSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  status: z.enum(['processing', 'ready', 'failed']),
  error: z.string().optional(),
  chars: z.number().int().optional(),
});

const entryBase = { id: z.string(), version: z.number().int(), createdAt: isoTime, updatedAt: isoTime };
export const entrySchema = z
  .discriminatedUnion('kind', [
    z.object({
      ...entryBase,
      kind: z.literal('profile'),
      data: profileSchema,
      openingHours: z
        .object({
          status: z.enum(['set', 'derived', 'needs_owner', 'none']),
          derived: openingHoursSchema.optional(),
        })
        .optional()
        .describe(
          'Where the structured hours come from: set by the owner, derived from the free text (shown, to confirm), or needs_owner when the text cannot be read: set data.hours.',
        ),
    }),
    z.object({ ...entryBase, kind: z.literal('service'), data: serviceSchema }),
    z.object({ ...entryBase, kind: z.literal('faq'), data: faqSchema }),
    z.object({ ...entryBase, kind: z.literal('document'), data: documentInfoSchema }),
  ])
  .meta({ id: 'KnowledgeEntry' });

/** An entry as the API shows it: the stored document without its bookkeeping, plus where the hours come from. */
export function view(e: KbEntryDoc): z.infer<typeof entrySchema> {
  const hours = e.kind === 'profile' ? profileHours(e.data) : undefined;
  const openingHours = hours
    ? {
        openingHours: {
          status: hours.status,
          ...(hours.status === 'derived' && hours.hours ? { derived: hours.hours } : {}),
        },
      }
    : {};
  return {
    id: e.id,
    kind: e.kind,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    data: e.data,
    ...openingHours,
  } as z.infer<typeof entrySchema>;
}
