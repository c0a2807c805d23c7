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

/** Exports a tenant may start in a day: each one mails the owner, so a script cannot use it to flood an inbox. */
export const EXPORTS_PER_DAY = 3;
/** A pending export younger than this blocks a new one; an older one is taken as failed and blocks nothing. */
const PENDING_HOURS = 1;

/** 409 while an export is being prepared, or when the day's exports were already made. */
async function refuseTooSoon(deps: TenantExportDeps, tenantId: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const earlier = await deps.records.exportsOf('tenant', deps.refOf(tenantId));
  const since = (hours: number) => earlier.filter((e) => Date.parse(e.createdAt) > now - hours * 3_600_000);
  if (since(PENDING_HOURS).some((e) => e.status === 'pending'))
    throw new ConflictError(
      'An export is still being prepared; its link is e-mailed when it is ready (GET /api/v1/account/exports/{exportId}).',
      { problem: { type: 'export-pending', title: 'An export is being prepared' } },
    );
  const today = since(24).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (today.length >= EXPORTS_PER_DAY) {
    const next = Date.parse((today[0] as ExportDoc).createdAt) + 86_400_000;
    throw new ConflictError(
      `At most ${EXPORTS_PER_DAY} exports a day; the next can start at ${new Date(next).toISOString()}.`,
      {
        problem: { type: 'export-limit', title: 'The exports of the day were made' },
        retryAfterSeconds: (next - now) / 1000,
      },
    );
  }
}

/**
 * Art. 15/20: starts an export of a tenant's data; the link is e-mailed to the owner (or, with no
 * owner on the account, to the caller). At most one is prepared at a time, and EXPORTS_PER_DAY a day.
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
  await refuseTooSoon(deps, tenantId);
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
