import { z } from 'zod';

/**
 * What the `privacy` container holds, checked on every read. None of it is personal data: subjects
 * appear only as keyed references, and receipts hold counts.
 */

const counts = z.record(z.string(), z.number());

/** A deletion request and its outcome (the receipt). The subject is a one-way reference. */
export const deletionRequestDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('deletion-request'),
  code: z.string(),
  kind: z.enum(['account', 'end-user', 'meta-callback', 'child']),
  subjectRef: z.string(),
  status: z.enum(['pending', 'completed']),
  requestedAt: z.string(),
  dueBy: z.string(),
  completedAt: z.string().optional(),
  counts: counts.optional(),
  /** Whether anything was found to delete; "no_data_found" is never reported as a deletion. */
  result: z.enum(['deleted', 'no_data_found']).optional(),
  /** Meta callbacks: what ID Matching found (numbers only). */
  matched: z.object({ pagesChecked: z.number(), pageScopedIds: z.number(), ids: z.number() }).optional(),
});
export type DeletionRequestDoc = z.infer<typeof deletionRequestDocSchema>;

export const subjectKindSchema = z.enum(['tenant', 'contact', 'end-user', 'knowledge-base', 'conversation', 'message']);
/** What can be erased: each deletion path leaves a tombstone of one of these kinds. */
export type SubjectKind = z.infer<typeof subjectKindSchema>;

export const deletionPathSchema = z.enum([
  'customer',
  'end-user',
  'meta-callback',
  'unsend',
  'retention',
  'account-deletion',
  'child',
]);
export type DeletionPath = z.infer<typeof deletionPathSchema>;

/**
 * "This subject was erased at this time", with a keyed hash instead of the id: no personal data,
 * yet a restore (which has the key) can find and drop the subject's documents. `path` says which
 * deletion path wrote it, for the audit of erasure itself.
 */
export const tombstoneDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('tombstone'),
  kind: subjectKindSchema,
  ref: z.string(),
  erasedAt: z.string(),
  path: deletionPathSchema.optional(),
});
export type TombstoneDoc = z.infer<typeof tombstoneDocSchema>;

/** A data export (Art. 15/20): the record of a file in the `exports` blob container. */
export const exportDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('export'),
  scope: z.enum(['tenant', 'end-user']),
  subjectRef: z.string(),
  status: z.enum(['pending', 'ready', 'failed']),
  /** Why a failed export could not be made, in words the requester can act on. */
  failureReason: z.string().optional(),
  createdAt: z.string(),
  expiresAt: z.string(),
  blobName: z.string().optional(),
  counts: counts.optional(),
});
export type ExportDoc = z.infer<typeof exportDocSchema>;

/** What one run of the retention purge did. */
export const purgeReportDocSchema = z.looseObject({
  id: z.string(),
  type: z.literal('purge-report'),
  runId: z.string(),
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  counts,
});
export type PurgeReportDoc = z.infer<typeof purgeReportDocSchema>;
