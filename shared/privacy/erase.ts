import type { ContainerClient } from '@azure/storage-blob';
import { type ChannelDoc, routeIdOf } from '../channels/index.js';
import type { ContactDoc } from '../contacts/index.js';
import { dropCachedIndex } from '../knowledge/index.js';
import { deleteBlobsUnder } from '../platform/blob.js';
import { deleteIdempotencyRecords } from '../platform/idempotency.js';
import type { Runtime } from '../platform/runtime.js';
import { deleteDocs, idsInPartition } from './batch.js';
import { deleteContact } from './contact-rights.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/** Counts per category, for receipts and reports. Never names or ids. */
export type Counts = Record<string, number>;

/** Knowledge Base content of a tenant, entries, index and files, with its cached index. */
export async function eraseKnowledgeBase(
  r: Runtime,
  tenantId: string,
  path: DeletionPath = 'retention',
): Promise<Counts> {
  await writeTombstone(r, 'knowledge-base', tenantId, path);
  const entries = await deleteDocs(
    r.cosmos.container('knowledge'),
    await idsInPartition(r.cosmos.container('knowledge'), tenantId),
  );
  const blobs = await deleteBlobsUnder(r.blob.container('knowledge'), `${tenantId}/`);
  dropCachedIndex(tenantId);
  return { knowledgeEntries: entries, knowledgeFiles: blobs };
}

/** Conversation data of a tenant: contacts, conversations, messages and attachment copies. */
export async function eraseConversationData(r: Runtime, tenantId: string): Promise<Counts> {
  const messages = await deleteDocs(
    r.cosmos.container('messages'),
    await idsInPartition(r.cosmos.container('messages'), tenantId),
  );
  const conversations = await deleteDocs(
    r.cosmos.container('conversations'),
    await idsInPartition(r.cosmos.container('conversations'), tenantId),
  );
  const contacts = await deleteDocs(
    r.cosmos.container('contacts'),
    await idsInPartition(r.cosmos.container('contacts'), tenantId),
  );
  const attachments = await deleteBlobsUnder(r.blob.container('attachments'), `${tenantId}/`);
  return { messages, conversations, contacts, attachments };
}

/**
 * Everything of a tenant except billing and tax records (§9, §12.1): account, members, channels
 * and their routes, usage, audit log, Knowledge Base, conversation data and exports.
 */
export async function eraseTenant(
  r: Runtime,
  tenantId: string,
  path: DeletionPath = 'account-deletion',
  options: { deadLetters?: boolean } = {},
): Promise<Counts> {
  await writeTombstone(r, 'tenant', tenantId, path);
  const channels = r.cosmos.container('channels');
  const { resources: channelDocs } = await channels.items
    .query<ChannelDoc>(
      { query: 'SELECT * FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: tenantId }] },
      { partitionKey: tenantId },
    )
    .fetchAll();
  const routes = await deleteDocs(
    r.cosmos.container('routes'),
    channelDocs.map((c) => ({ id: routeIdOf(c.platform, c.accountId), pk: routeIdOf(c.platform, c.accountId) })),
  );
  const counts: Counts = {
    ...(await eraseConversationData(r, tenantId)),
    ...(await eraseKnowledgeBase(r, tenantId, path)),
    channels: await deleteDocs(
      channels,
      channelDocs.map((c) => ({ id: c.id, pk: tenantId })),
    ),
    routes,
    usage: await deleteDocs(r.cosmos.container('usage'), await idsInPartition(r.cosmos.container('usage'), tenantId)),
    insights: await deleteDocs(
      r.cosmos.container('insights'),
      await idsInPartition(r.cosmos.container('insights'), tenantId),
    ),
    insightThreads: await deleteDocs(
      r.cosmos.container('insightThreads'),
      await idsInPartition(r.cosmos.container('insightThreads'), tenantId),
    ),
    idempotency: await deleteIdempotencyRecords(r.cosmos.container('dedup'), tenantId),
    auditEntries: await deleteDocs(
      r.cosmos.container('audit'),
      await idsInPartition(r.cosmos.container('audit'), tenantId),
    ),
    exports:
      (await deleteBlobsUnder(r.blob.container('exports'), `${tenantId}/`)) +
      (await eraseExportsHolding(r, { tenantId })),
    deadLetters:
      options.deadLetters === false
        ? 0
        : await eraseDeadLettersAbout(r, [tenantId, ...channelDocs.flatMap((c) => [c.accountId, c.sendAsId])]),
  };
  // The tenant document goes last: until then the work can resume after a crash.
  counts.account = await deleteDocs(
    r.cosmos.container('tenants'),
    await idsInPartition(r.cosmos.container('tenants'), tenantId),
  );
  return counts;
}

/**
 * Everything about one Instagram or Messenger user id (§12.2, §12.3): every contact with that id,
 * in every tenant or just one, with their conversations, messages and attachments.
 */
export async function eraseEndUser(
  r: Runtime,
  platformUserId: string,
  tenantId?: string,
  path: DeletionPath = 'end-user',
): Promise<Counts> {
  await writeTombstone(r, 'end-user', platformUserId, path);
  const { resources } = await r.cosmos
    .container('contacts')
    .items.query<ContactDoc>({
      query: `SELECT * FROM c WHERE c.type = 'contact' AND c.platformUserId = @u ${tenantId ? 'AND c.tenantId = @t' : ''}`,
      parameters: [{ name: '@u', value: platformUserId }, ...(tenantId ? [{ name: '@t', value: tenantId }] : [])],
    })
    .fetchAll();
  const counts: Counts = { contacts: 0, conversations: 0, messages: 0, exports: 0, deadLetters: 0 };
  const add = (k: string, n: number) => {
    counts[k] = (counts[k] ?? 0) + n;
  };
  for (const contact of resources) {
    const c = await deleteContact(r, contact.tenantId, contact.id, path);
    add('contacts', 1);
    add('conversations', c.conversations);
    add('messages', c.messages);
    add('exports', c.exports);
    add('deadLetters', c.deadLetters);
  }
  add('exports', await eraseExportsHolding(r, { endUserId: platformUserId }));
  add('deadLetters', await eraseDeadLettersAbout(r, [platformUserId]));
  return counts;
}
