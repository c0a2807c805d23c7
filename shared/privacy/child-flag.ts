import { NotFoundError } from '../platform/domain-errors.js';
import type { Clock } from '../platform/runtime.js';
import type { DeletionRequestDoc } from './privacy-documents.js';
import type { PrivacyRecordsRepository } from './privacy-records-repository.js';
import { closeDeletionRequest, findDeletionRequest, openDeletionRequest } from './requests.js';

export interface ChildFlagDeps {
  records: PrivacyRecordsRepository;
  clock: Clock;
  /** The keyed reference of a contact id. */
  refOf: (contactId: string) => string;
  contactExists: (tenantId: string, contactId: string) => Promise<boolean>;
  /** Erases the contact with everything about them; counts per category. */
  eraseContact: (tenantId: string, contactId: string) => Promise<Record<string, number>>;
  audit: (counts: Record<string, number>) => Promise<void>;
}

/** §15: a contact flagged as a child under 16 is erased at once, with a completed receipt. */
export async function flagChild(deps: ChildFlagDeps, tenantId: string, contactId: string): Promise<DeletionRequestDoc> {
  if (!(await deps.contactExists(tenantId, contactId))) throw new NotFoundError('contact');
  const request = await openDeletionRequest(deps.records, deps.clock, 'child', deps.refOf(contactId));
  const counts = await deps.eraseContact(tenantId, contactId);
  await closeDeletionRequest(deps.records, deps.clock, request.code, { contacts: 1, ...counts });
  await deps.audit(counts);
  return (await findDeletionRequest(deps.records, request.code)) ?? request;
}
