import { randomBytes } from 'node:crypto';
import { readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';
import type { Counts } from './erase.js';

/** A deletion request and its outcome. No personal data: the subject is a one-way reference. */
export interface DeletionRequestDoc {
  id: string;
  type: 'deletion-request';
  code: string;
  kind: 'account' | 'end-user' | 'meta-callback' | 'child';
  subjectRef: string;
  status: 'pending' | 'completed';
  requestedAt: string;
  dueBy: string;
  completedAt?: string;
  counts?: Counts;
  /** Whether anything was found to delete; "no_data_found" is never reported as a deletion. */
  result?: 'deleted' | 'no_data_found';
  /** Meta callbacks: what ID Matching found (numbers only). */
  matched?: { pagesChecked: number; pageScopedIds: number; ids: number };
}

const DAY = 86_400_000;
/** §12: deletion completes within 30 days of a verified request. */
export const DELETION_DAYS = 30;

/** An unguessable, alphanumeric confirmation code (128 bits). */
export function newConfirmationCode(): string {
  return randomBytes(16).toString('hex');
}

export function requestDocId(code: string): string {
  return `dr_${code}`;
}

export async function createDeletionRequest(
  rt: Runtime,
  kind: DeletionRequestDoc['kind'],
  subjectRef: string,
  code = newConfirmationCode(),
): Promise<DeletionRequestDoc> {
  const now = rt.clock.now();
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
  await rt.cosmos.container('privacy').items.upsert(doc);
  return doc;
}

export function getDeletionRequest(rt: Runtime, code: string): Promise<DeletionRequestDoc | undefined> {
  if (!/^[a-f0-9]{32}$/.test(code)) return Promise.resolve(undefined);
  return readDoc<DeletionRequestDoc>(rt.cosmos.container('privacy'), requestDocId(code), requestDocId(code));
}

export async function completeDeletionRequest(
  rt: Runtime,
  code: string,
  counts: Counts,
  matched?: DeletionRequestDoc['matched'],
): Promise<void> {
  const id = requestDocId(code);
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  await rt.cosmos
    .container('privacy')
    .item(id, id)
    .patch([
      { op: 'set', path: '/status', value: 'completed' },
      { op: 'set', path: '/completedAt', value: rt.clock.now().toISOString() },
      { op: 'set', path: '/counts', value: counts },
      { op: 'set', path: '/result', value: records > 0 ? 'deleted' : 'no_data_found' },
      ...(matched ? [{ op: 'set' as const, path: '/matched', value: matched }] : []),
    ]);
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
