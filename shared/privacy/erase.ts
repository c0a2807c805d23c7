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
  rt: Runtime,
  tenantId: string,
  path: DeletionPath = 'retention',
): Promise<Counts> {
  await writeTombstone(rt, 'knowledge-base', tenantId, path);
  const entries = await deleteDocs(
    rt.cosmos.container('knowledge'),
    await idsInPartition(rt.cosmos.container('knowledge'), tenantId),
  );
  const blobs = await deleteBlobsUnder(rt.blob.container('knowledge'), `${tenantId}/`);
  dropCachedIndex(tenantId);
  return { knowledgeEntries: entries, knowledgeFiles: blobs };
}

/** Conversation data of a tenant: contacts, conversations, messages and attachment copies. */
export async function eraseConversationData(rt: Runtime, tenantId: string): Promise<Counts> {
  const messages = await deleteDocs(
    rt.cosmos.container('messages'),
    await idsInPartition(rt.cosmos.container('messages'), tenantId),
  );
  const conversations = await deleteDocs(
    rt.cosmos.container('conversations'),
    await idsInPartition(rt.cosmos.container('conversations'), tenantId),
  );
  const contacts = await deleteDocs(
    rt.cosmos.container('contacts'),
    await idsInPartition(rt.cosmos.container('contacts'), tenantId),
  );
  const attachments = await deleteBlobsUnder(rt.blob.container('attachments'), `${tenantId}/`);
  return { messages, conversations, contacts, attachments };
}

/**
 * Everything of a tenant except billing and tax records (§9, §12.1): account, members, channels
 * and their routes, usage, audit log, Knowledge Base, conversation data and exports.
 */
export async function eraseTenant(
  rt: Runtime,
  tenantId: string,
  path: DeletionPath = 'account-deletion',
  options: { deadLetters?: boolean } = {},
): Promise<Counts> {
  await writeTombstone(rt, 'tenant', tenantId, path);
  const channels = rt.cosmos.container('channels');
  const { resources: channelDocs } = await channels.items
    .query<ChannelDoc>(
      { query: 'SELECT * FROM c WHERE c.tenantId = @t', parameters: [{ name: '@t', value: tenantId }] },
      { partitionKey: tenantId },
    )
    .fetchAll();
  const routes = await deleteDocs(
    rt.cosmos.container('routes'),
    channelDocs.map((c) => ({ id: routeIdOf(c.platform, c.accountId), pk: routeIdOf(c.platform, c.accountId) })),
  );
  const counts: Counts = {
    ...(await eraseConversationData(rt, tenantId)),
    ...(await eraseKnowledgeBase(rt, tenantId, path)),
    channels: await deleteDocs(
      channels,
      channelDocs.map((c) => ({ id: c.id, pk: tenantId })),
    ),
    routes,
    usage: await deleteDocs(rt.cosmos.container('usage'), await idsInPartition(rt.cosmos.container('usage'), tenantId)),
    insights: await deleteDocs(
      rt.cosmos.container('insights'),
      await idsInPartition(rt.cosmos.container('insights'), tenantId),
    ),
    insightThreads: await deleteDocs(
      rt.cosmos.container('insightThreads'),
      await idsInPartition(rt.cosmos.container('insightThreads'), tenantId),
    ),
    idempotency: await deleteIdempotencyRecords(rt.cosmos.container('dedup'), tenantId),
    auditEntries: await deleteDocs(
      rt.cosmos.container('audit'),
      await idsInPartition(rt.cosmos.container('audit'), tenantId),
    ),
    exports:
      (await deleteBlobsUnder(rt.blob.container('exports'), `${tenantId}/`)) +
      (await eraseExportsHolding(rt, { tenantId })),
    deadLetters:
      options.deadLetters === false
        ? 0
        : await eraseDeadLettersAbout(rt, [tenantId, ...channelDocs.flatMap((c) => [c.accountId, c.sendAsId])]),
  };
  // The tenant document goes last: until then the work can resume after a crash.
  counts.account = await deleteDocs(
    rt.cosmos.container('tenants'),
    await idsInPartition(rt.cosmos.container('tenants'), tenantId),
  );
  return counts;
}

/**
 * Everything about one Instagram or Messenger user id (§12.2, §12.3): every contact with that id,
 * in every tenant or just one, with their conversations, messages and attachments.
 */
export async function eraseEndUser(
  rt: Runtime,
  platformUserId: string,
  tenantId?: string,
  path: DeletionPath = 'end-user',
): Promise<Counts> {
  await writeTombstone(rt, 'end-user', platformUserId, path);
  const { resources } = await rt.cosmos
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
    const c = await deleteContact(rt, contact.tenantId, contact.id, path);
    add('contacts', 1);
    add('conversations', c.conversations);
    add('messages', c.messages);
    add('exports', c.exports);
    add('deadLetters', c.deadLetters);
  }
  add('exports', await eraseExportsHolding(rt, { endUserId: platformUserId }));
  add('deadLetters', await eraseDeadLettersAbout(rt, [platformUserId]));
  return counts;
}
