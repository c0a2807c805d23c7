import { ConflictError, InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import type { Clock } from '../platform/runtime.js';
import { findExport, openExportRecord } from './exports.js';
import { notifyAddress, type PrivacyJob } from './jobs.js';
import type { ExportDoc } from './privacy-documents.js';
import type { PrivacyRecordsRepository } from './privacy-records-repository.js';

export interface TenantExportDeps {
  records: PrivacyRecordsRepository;
  clock: Clock;
  /** The keyed reference of a tenant id. */
  refOf: (tenantId: string) => string;
  schedule: (job: PrivacyJob) => Promise<void>;
}

/** The account as an export needs it: where the link goes and in which language. */
export interface ExportingAccount {
  ownerEmail?: string | undefined;
  language: 'en' | 'ro';
}

/**
 * Art. 15/20: starts an export of a tenant's data; the link is e-mailed to the owner (or, with no
 * owner on the account, to the caller).
 */
export async function requestTenantExport(
  deps: TenantExportDeps,
  tenantId: string,
  account: ExportingAccount | undefined,
  callerEmail: string | undefined,
): Promise<ExportDoc> {
  if (!account) throw new NotFoundError('account');
  const to = account.ownerEmail ?? callerEmail;
  if (!to) throw new ConflictError('The account has no owner e-mail to send the link to.');
  if (!notifyAddress.safeParse(to).success)
    throw new InvalidInputError(
      'The owner e-mail on the account is not a valid address; correct it before exporting.',
      [{ field: 'owner.email', message: 'invalid' }],
    );
  const doc = await openExportRecord(deps.records, deps.clock, 'tenant', deps.refOf(tenantId));
  await deps.schedule({
    kind: 'export',
    exportId: doc.id,
    scope: 'tenant',
    subjectId: tenantId,
    notifyTo: to,
    language: account.language,
  });
  return doc;
}

/** A tenant's own export; another tenant's, an End-User export or an unknown id are all NotFoundError. */
export async function tenantExport(
  deps: Pick<TenantExportDeps, 'records' | 'refOf'>,
  tenantId: string,
  exportId: string,
): Promise<ExportDoc> {
  const doc = await findExport(deps.records, exportId);
  if (doc?.scope !== 'tenant' || doc.subjectRef !== deps.refOf(tenantId)) throw new NotFoundError('export');
  return doc;
}
