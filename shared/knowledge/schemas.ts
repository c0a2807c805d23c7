import { z } from 'zod';
import { publicWebUrl } from '../platform/public-url.js';
import { openingHoursSchema } from './hours.js';

const text = (max: number) => z.string().trim().min(1).max(max);

/** The business profile (§5.1 "Knowledge Base content"): one per tenant. */
export const profileSchema = z
  .strictObject({
    name: text(200),
    address: text(500).optional(),
    openingHours: text(1000).optional().describe('Opening hours as the customer should read them'),
    hours: openingHoursSchema
      .optional()
      .describe(
        'Structured opening hours: they drive "open now", the handoff message and every hours answer. Derived from openingHours when absent and readable.',
      ),
    bookingLink: publicWebUrl(500).optional(),
    policies: z
      .string({
        error: (iss) =>
          iss.code === 'invalid_type' && iss.input !== undefined
            ? 'must be text, one policy per line (not a list)'
            : undefined,
      })
      .trim()
      .min(1)
      .max(4000)
      .optional()
      .describe(
        'Cancellation, payment and other policies, one per line: each line is a fact of its own the assistant may quote (a paragraph without line breaks is split by sentence).',
      ),
    phone: text(50).optional(),
    email: z.email().max(254).optional().describe('The e-mail address customers may write to'),
    website: publicWebUrl(500).optional().describe('The business website, when it is not the booking link'),
  })
  .meta({ id: 'BusinessProfile' });

export const serviceSchema = z
  .strictObject({
    name: text(200),
    price: z
      .strictObject(
        {
          amount: z.number().nonnegative().max(1_000_000),
          currency: z
            .string()
            .regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code in capitals, such as RON or EUR (not "lei")'),
        },
        {
          error: (iss) =>
            iss.code === 'invalid_type' && iss.input !== undefined
              ? 'must be an amount and a currency, such as {"amount": 150, "currency": "RON"}; a price that is not one number goes in priceNote'
              : undefined,
        },
      )
      .optional(),
    priceNote: text(200).optional().describe('For prices that are not one number, e.g. "from 150 lei"'),
    durationMinutes: z
      .number()
      .int()
      .positive()
      .max(24 * 60)
      .optional(),
    description: text(4000).optional(),
  })
  .meta({ id: 'Service' });

export const faqSchema = z.strictObject({ question: text(500), answer: text(4000) }).meta({ id: 'Faq' });

export type Profile = z.infer<typeof profileSchema>;
export type Service = z.infer<typeof serviceSchema>;
export type Faq = z.infer<typeof faqSchema>;

export const DOCUMENT_TYPES = {
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
/** Largest document accepted. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface DocumentInfo {
  fileName: string;
  contentType: DocumentType;
  size: number;
  status: 'processing' | 'ready' | 'failed';
  error?: string;
  chars?: number;
}

/** One knowledge base item as stored: versioned, tenant-partitioned. */
export type KbEntryDoc = {
  id: string;
  tenantId: string;
  type: 'kb-entry';
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
} & (
  | { kind: 'profile'; data: Profile }
  | { kind: 'service'; data: Service }
  | { kind: 'faq'; data: Faq }
  | { kind: 'document'; data: DocumentInfo }
);

/** The tenant's index state. */
export interface KbIndexDoc {
  id: 'kb-index';
  tenantId: string;
  type: 'kb-index';
  /** Bumped on every change to the knowledge base. */
  version: number;
  /** The version the current index blob was built from. */
  builtVersion: number;
  status: 'ready' | 'stale' | 'building' | 'failed';
  chunkCount: number;
  builtAt?: string;
  blobName?: string;
  embeddings: boolean;
  error?: string;
}

const storedData = {
  profile: z.looseObject({ name: z.string() }),
  service: z.looseObject({ name: z.string() }),
  faq: z.looseObject({ question: z.string(), answer: z.string() }),
  document: z.looseObject({
    fileName: z.string(),
    contentType: z.enum(Object.keys(DOCUMENT_TYPES) as [DocumentType, ...DocumentType[]]),
    size: z.number(),
    status: z.enum(['processing', 'ready', 'failed']),
    error: z.string().optional(),
    chars: z.number().optional(),
  }),
};

const storedEnvelope = {
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('kb-entry'),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
};

/**
 * A knowledge entry as read back from the store. The data is checked for the fields the rules rely
 * on, not re-validated with the input schemas: those may tighten later, and an entry saved under an
 * older rule must still be readable (and editable) rather than refused.
 */
export const kbEntryDocSchema = z.discriminatedUnion('kind', [
  z.looseObject({ ...storedEnvelope, kind: z.literal('profile'), data: storedData.profile }),
  z.looseObject({ ...storedEnvelope, kind: z.literal('service'), data: storedData.service }),
  z.looseObject({ ...storedEnvelope, kind: z.literal('faq'), data: storedData.faq }),
  z.looseObject({ ...storedEnvelope, kind: z.literal('document'), data: storedData.document }),
]);

/** The index state as read back from the store. */
export const kbIndexDocSchema = z.looseObject({
  id: z.literal('kb-index'),
  tenantId: z.string(),
  type: z.literal('kb-index'),
  version: z.number().int(),
  builtVersion: z.number().int(),
  status: z.enum(['ready', 'stale', 'building', 'failed']),
  chunkCount: z.number().int(),
  builtAt: z.string().optional(),
  blobName: z.string().optional(),
  embeddings: z.boolean(),
  error: z.string().optional(),
});
