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
    policies: text(4000).optional().describe('Cancellation, payment and other policies'),
    phone: text(50).optional(),
  })
  .meta({ id: 'BusinessProfile' });

export const serviceSchema = z
  .strictObject({
    name: text(200),
    price: z
      .strictObject({ amount: z.number().nonnegative().max(1_000_000), currency: z.string().regex(/^[A-Z]{3}$/) })
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

export type KbKind = KbEntryDoc['kind'];

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
