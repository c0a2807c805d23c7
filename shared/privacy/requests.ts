import { randomBytes } from 'node:crypto';
import { keyedDigest } from '../platform/crypto.js';
import type { Clock, Runtime } from '../platform/runtime.js';
import type { Counts } from './erase.js';
import type { DeletionRequestDoc } from './privacy-documents.js';
import { cosmosPrivacyRecordsRepository, type PrivacyRecordsRepository } from './privacy-records-repository.js';

export type { DeletionRequestDoc } from './privacy-documents.js';

const DAY = 86_400_000;
/** §12: deletion completes within 30 days of a verified request. */
export const DELETION_DAYS = 30;

/** An unguessable, alphanumeric confirmation code (128 bits). */
export function newConfirmationCode(): string {
  return randomBytes(16).toString('hex');
}

/**
 * A confirmation code that the same request always gets again (a redelivery or a retried callback finds the request
 * it started), keyed so that nobody without the key can derive one from what they know of the subject.
 */
export function derivedConfirmationCode(rt: { settings: { PSEUDONYM_KEY: string } }, purpose: string, input: string) {
  return keyedDigest(rt.settings.PSEUDONYM_KEY, purpose, input).toString('hex').slice(0, 32);
}

export function requestDocId(code: string): string {
  return `dr_${code}`;
}

/** Records a pending deletion request, due within DELETION_DAYS. */
export async function openDeletionRequest(
  records: PrivacyRecordsRepository,
  clock: Clock,
  kind: DeletionRequestDoc['kind'],
  subjectRef: string,
  code = newConfirmationCode(),
): Promise<DeletionRequestDoc> {
  const now = clock.now();
  const doc: DeletionRequestDoc = {
    id: requestDocId(code),
    type: 'deletion-request',
    code,
    kind,
    subjectRef,
    status: 'pending',
    requestedAt: now.toISOString(),
    dueBy: new Date(now.getTime() + DELETION_DAYS * DAY).toISOString(),
  };
  await records.saveRequest(doc);
  return doc;
}

export function createDeletionRequest(
  rt: Runtime,
  kind: DeletionRequestDoc['kind'],
  subjectRef: string,
  code = newConfirmationCode(),
): Promise<DeletionRequestDoc> {
  return openDeletionRequest(cosmosPrivacyRecordsRepository(rt.cosmos), rt.clock, kind, subjectRef, code);
}

/** A request by its confirmation code; anything that is not a code finds nothing. */
export function findDeletionRequest(
  records: PrivacyRecordsRepository,
  code: string,
): Promise<DeletionRequestDoc | undefined> {
  if (!/^[a-f0-9]{32}$/.test(code)) return Promise.resolve(undefined);
  return records.getRequest(requestDocId(code));
}

export function getDeletionRequest(rt: Runtime, code: string): Promise<DeletionRequestDoc | undefined> {
  return findDeletionRequest(cosmosPrivacyRecordsRepository(rt.cosmos), code);
}

/** Completes a request with what was deleted; nothing found is recorded as such, never as a deletion. */
export async function closeDeletionRequest(
  records: PrivacyRecordsRepository,
  clock: Clock,
  code: string,
  counts: Counts,
  matched?: DeletionRequestDoc['matched'],
): Promise<void> {
  const found = Object.values(counts).reduce((a, b) => a + b, 0);
  await records.completeRequest(requestDocId(code), {
    completedAt: clock.now().toISOString(),
    counts,
    result: found > 0 ? 'deleted' : 'no_data_found',
    ...(matched ? { matched } : {}),
  });
}

export function completeDeletionRequest(
  rt: Runtime,
  code: string,
  counts: Counts,
  matched?: DeletionRequestDoc['matched'],
): Promise<void> {
  return closeDeletionRequest(cosmosPrivacyRecordsRepository(rt.cosmos), rt.clock, code, counts, matched);
}

/** Public view of a request: status, outcome and dates, nothing personal. */
export function deletionStatusView(doc: DeletionRequestDoc): {
  confirmationCode: string;
  status: 'pending' | 'completed';
  result?: 'deleted' | 'no_data_found';
  message: string;
  requestedAt: string;
  dueBy: string;
  completedAt?: string;
} {
  const message =
    doc.status === 'pending'
      ? 'The deletion is scheduled and will be completed by the due date.'
      : doc.result === 'no_data_found'
        ? 'No data was found for this id; nothing needed to be deleted.'
        : 'The data we held for this id has been deleted.';
  return {
    confirmationCode: doc.code,
    status: doc.status,
    ...(doc.status === 'completed' ? { result: doc.result ?? 'deleted' } : {}),
    message,
    requestedAt: doc.requestedAt,
    dueBy: doc.dueBy,
    ...(doc.completedAt ? { completedAt: doc.completedAt } : {}),
  };
}
