import { audit } from '../audit/index.js';
import type { Principal } from '../platform/principal.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { createExportRecord } from './exports.js';

/**
 * Art. 15/20 for one End-User across tenants, asked by staff: an export record, a job that builds
 * the file and e-mails the link, and an audit entry naming the staff member.
 */
export async function startEndUserExport(
  rt: Runtime,
  staff: Principal,
  request: { platformUserId: string; notifyTo: string; language: 'en' | 'ro' },
): Promise<string> {
  const doc = await createExportRecord(rt, 'end-user', request.platformUserId);
  await sendToQueue(rt.bus, QUEUES.privacyJobs, {
    kind: 'export',
    exportId: doc.id,
    scope: 'end-user',
    subjectId: request.platformUserId,
    notifyTo: request.notifyTo,
    language: request.language,
  });
  await audit(rt, {
    tenantId: '_platform',
    action: 'staff.action',
    actor: staff,
    target: { type: 'export', id: doc.id },
    details: { action: 'end_user_export' },
  });
  return doc.id;
}
