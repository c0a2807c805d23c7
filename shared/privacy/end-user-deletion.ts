import { NotFoundError } from '../platform/domain-errors.js';
import type { Clock } from '../platform/runtime.js';
import type { PrivacyJob } from './jobs.js';
import type { DeletionRequestDoc } from './privacy-documents.js';
import type { PrivacyRecordsRepository } from './privacy-records-repository.js';
import { findDeletionRequest, openDeletionRequest } from './requests.js';

export interface EndUserDeletionDeps {
  records: PrivacyRecordsRepository;
  clock: Clock;
  /** The keyed reference of an End-User id. */
  refOf: (platformUserId: string) => string;
  /** Queues the deletion on the privacy-jobs queue. */
  schedule: (job: PrivacyJob) => Promise<void>;
}

/** §12.2: records a request to erase one Instagram or Messenger user id and schedules the work. */
export async function requestEndUserDeletion(
  deps: EndUserDeletionDeps,
  input: {
    platformUserId: string;
    tenantId?: string | undefined;
    confirmTo?: string | undefined;
    language: 'en' | 'ro';
  },
): Promise<DeletionRequestDoc> {
  const request = await openDeletionRequest(deps.records, deps.clock, 'end-user', deps.refOf(input.platformUserId));
  await deps.schedule({ kind: 'end-user-deletion', code: request.code, ...input, subjectRef: request.subjectRef });
  return request;
}

/** A deletion request by its confirmation code, or NotFoundError. */
export async function deletionRequestByCode(
  records: PrivacyRecordsRepository,
  code: string,
): Promise<DeletionRequestDoc> {
  const doc = await findDeletionRequest(records, code);
  if (!doc) throw new NotFoundError('deletion request');
  return doc;
}
