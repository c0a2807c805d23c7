import { randomUUID } from 'node:crypto';
import { BlobSASPermissions, generateBlobSASQueryParameters, SASProtocol } from '@azure/storage-blob';
import { contactRepository } from '../contacts/index.js';
import type { Clock, Runtime } from '../platform/runtime.js';
import { exportContact } from './contact-export.js';
import type { ExportDoc } from './privacy-documents.js';
import { cosmosPrivacyRecordsRepository, type PrivacyRecordsRepository } from './privacy-records-repository.js';
import { subjectRef } from './tombstones.js';

/** How long an export is kept; the retention purge deletes it after. */
export const EXPORT_DAYS = 7;
/** How long a download link works. */
export const LINK_HOURS = 24;

export type { ExportDoc } from './privacy-documents.js';

export function newExportId(): string {
  return `ex_${randomUUID().replace(/-/g, '')}`;
}

/** Records a pending export of a subject (named by its keyed reference), kept EXPORT_DAYS. */
export async function openExportRecord(
  records: PrivacyRecordsRepository,
  clock: Clock,
  scope: ExportDoc['scope'],
  subjectRef: string,
  id = newExportId(),
): Promise<ExportDoc> {
  const now = clock.now();
  const doc: ExportDoc = {
    id,
    type: 'export',
    scope,
    subjectRef,
    status: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EXPORT_DAYS * 86_400_000).toISOString(),
  };
  await records.saveExport(doc);
  return doc;
}

export function createExportRecord(
  rt: Runtime,
  scope: ExportDoc['scope'],
  subjectId: string,
  id = newExportId(),
): Promise<ExportDoc> {
  const ref = subjectRef(rt, scope === 'tenant' ? 'tenant' : 'end-user', subjectId);
  return openExportRecord(cosmosPrivacyRecordsRepository(rt.cosmos), rt.clock, scope, ref, id);
}

/** An export by id; anything that is not an export id finds nothing. */
export function findExport(records: PrivacyRecordsRepository, id: string): Promise<ExportDoc | undefined> {
  if (!/^ex_[a-f0-9]{32}$/.test(id)) return Promise.resolve(undefined);
  return records.getExport(id);
}

export function getExport(rt: Runtime, id: string): Promise<ExportDoc | undefined> {
  return findExport(cosmosPrivacyRecordsRepository(rt.cosmos), id);
}

const strip = <T extends object>(doc: T) => Object.fromEntries(Object.entries(doc).filter(([k]) => !k.startsWith('_')));

async function allInPartition(
  rt: Runtime,
  container:
    | 'tenants'
    | 'channels'
    | 'contacts'
    | 'conversations'
    | 'messages'
    | 'knowledge'
    | 'usage'
    | 'audit'
    | 'billing',
  tenantId: string,
): Promise<Array<Record<string, unknown>>> {
  const { resources } = await rt.cosmos
    .container(container)
    .items.query(
      { query: 'SELECT * FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: tenantId }] },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources.map((d) => {
    // Secrets are not the account's data: a channel's encrypted Page token, an invitation's link hash.
    const { token: _token, secretHash: _secretHash, ...rest } = strip(d as object) as Record<string, unknown>;
    return rest;
  });
}

/**
 * A tenant's data (Art. 15/20) as JSON, format "aliat.tenant-export.v1": one array per container,
 * each document as stored, minus internal fields, encrypted page tokens and invitation secret hashes. Like the backup, this
 * reads the containers generically on purpose: the copy must hold every stored field, including
 * ones no repository schema names.
 */
export async function buildTenantExport(rt: Runtime, tenantId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {
    format: 'aliat.tenant-export.v1',
    exportedAt: rt.clock.now().toISOString(),
    tenantId,
  };
  for (const c of [
    'tenants',
    'channels',
    'contacts',
    'conversations',
    'messages',
    'knowledge',
    'usage',
    'audit',
    'billing',
  ] as const)
    out[c] = await allInPartition(rt, c, tenantId);
  return out;
}

/** One End-User's data across tenants (Art. 15/20), format "aliat.end-user-export.v1". */
export async function buildEndUserExport(rt: Runtime, platformUserId: string): Promise<Record<string, unknown>> {
  const contacts = [];
  for (const contact of await contactRepository(rt).withPlatformUserId(platformUserId))
    contacts.push(await exportContact(rt, contact));
  return { format: 'aliat.end-user-export.v1', exportedAt: rt.clock.now().toISOString(), platformUserId, contacts };
}

/** Writes an export to Blob Storage and marks it ready. */
export async function storeExport(
  rt: Runtime,
  exportDoc: ExportDoc,
  folder: string,
  data: Record<string, unknown>,
): Promise<ExportDoc> {
  const blobName = `${folder}/${exportDoc.id}.json`;
  await rt.blob
    .container('exports')
    .getBlockBlobClient(blobName)
    .uploadData(Buffer.from(JSON.stringify(data, null, 2)), {
      blobHTTPHeaders: {
        blobContentType: 'application/json',
        blobContentDisposition: `attachment; filename="${exportDoc.id}.json"`,
      },
    });
  const ready: ExportDoc = { ...exportDoc, status: 'ready', blobName };
  await cosmosPrivacyRecordsRepository(rt.cosmos).saveExport(ready);
  return ready;
}

/**
 * Deletes every export that holds a subject, file and record (§12.2, Art. 5(1)(f)): the tenant
 * exports of a tenant one of whose contacts or conversations is erased, and the End-User exports of
 * an erased person. A download link is a SAS on the file, so deleting the file revokes every link
 * ever e-mailed for it. Returns how many exports were deleted.
 */
export async function eraseExportsHolding(
  rt: Runtime,
  holder: { tenantId: string } | { endUserId: string },
): Promise<number> {
  const ref =
    'tenantId' in holder ? subjectRef(rt, 'tenant', holder.tenantId) : subjectRef(rt, 'end-user', holder.endUserId);
  const scope = 'tenantId' in holder ? 'tenant' : 'end-user';
  const records = cosmosPrivacyRecordsRepository(rt.cosmos);
  const resources = await records.exportsOf(scope, ref);
  let n = 0;
  for (const doc of resources) {
    if (doc.blobName) {
      await rt.blob
        .container('exports')
        .deleteBlob(doc.blobName, { deleteSnapshots: 'include' })
        .catch((e: { statusCode?: number }) => {
          if (e.statusCode !== 404) throw e;
        });
    }
    await records.deleteRecord(doc.id);
    n++;
  }
  return n;
}

/** A short-lived read-only link: a shared-key SAS locally, a user delegation SAS with the managed identity in Azure. */
export async function exportLink(rt: Runtime, doc: ExportDoc): Promise<{ url: string; expiresOn: Date }> {
  if (!doc.blobName) throw new Error('export not ready');
  const client = rt.blob.container('exports').getBlobClient(doc.blobName);
  // Storage checks a SAS against its own wall clock, so the link's times are wall-clock times.
  const wall = Date.now();
  const startsOn = new Date(wall - 5 * 60_000);
  const expiresOn = new Date(
    wall + Math.min(LINK_HOURS * 3_600_000, Date.parse(doc.expiresAt) - rt.clock.now().getTime()),
  );
  const permissions = BlobSASPermissions.parse('r');
  if (client.credential && 'accountName' in client.credential) {
    return {
      url: await client.generateSasUrl({ permissions, startsOn, expiresOn, protocol: SASProtocol.HttpsAndHttp }),
      expiresOn,
    };
  }
  const key = await rt.blob.service.getUserDelegationKey(startsOn, expiresOn);
  const sas = generateBlobSASQueryParameters(
    {
      containerName: client.containerName,
      blobName: client.name,
      permissions,
      startsOn,
      expiresOn,
      protocol: SASProtocol.Https,
    },
    key,
    rt.blob.service.accountName,
  );
  return { url: `${client.url}?${sas.toString()}`, expiresOn };
}
