import { tenantRepositoryOf } from '../accounts/index.js';
import { cosmosAuditRepository } from '../audit/index.js';
import { usageRepository } from '../billing/index.js';
import { cosmosChannelRepository } from '../channels/index.js';
import { contactRepository } from '../contacts/index.js';
import { conversationRepository, messageRepository } from '../conversations/index.js';
import { cosmosInsightsRepository, cosmosThreadRepository } from '../insights/index.js';
import { forgetKnowledgeBase } from '../knowledge/index.js';
import { deleteBlobsUnder } from '../platform/blob.js';
import { cosmosIdempotencyRepository } from '../platform/idempotency-repository.js';
import type { Runtime } from '../platform/runtime.js';
import { deleteContact } from './contact-rights.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/**
 * Erasure only orchestrates: each slice forgets what its own containers hold through its
 * repositories (forgetTenant / forgetSubject), and blobs go through the one prefix helper.
 */

/** Counts per category, for receipts and reports. Never names or ids. */
export type Counts = Record<string, number>;

/** Knowledge Base content of a tenant, entries, index and files, with its cached index. */
export async function eraseKnowledgeBase(
  rt: Runtime,
  tenantId: string,
  path: DeletionPath = 'retention',
): Promise<Counts> {
  await writeTombstone(rt, 'knowledge-base', tenantId, path);
  return forgetKnowledgeBase(rt, tenantId);
}

/** Conversation data of a tenant: contacts, conversations, messages and attachment copies. */
export async function eraseConversationData(rt: Runtime, tenantId: string): Promise<Counts> {
  const messages = await messageRepository(rt).forgetTenant(tenantId);
  const conversations = await conversationRepository(rt).forgetTenant(tenantId);
  const contacts = await contactRepository(rt).forgetTenant(tenantId);
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
  const channels = cosmosChannelRepository(rt.cosmos);
  // Read before they go: their account ids name the dead letters to sweep.
  const channelDocs = await channels.list(tenantId);
  const channelsAndRoutes = await channels.forgetTenant(tenantId);
  const counts: Counts = {
    ...(await eraseConversationData(rt, tenantId)),
    ...(await eraseKnowledgeBase(rt, tenantId, path)),
    channels: channelDocs.length,
    routes: channelsAndRoutes - channelDocs.length,
    usage: await usageRepository(rt).forgetTenant(tenantId),
    insights: await cosmosInsightsRepository(rt.cosmos).forgetTenant(tenantId),
    insightThreads: await cosmosThreadRepository(rt.cosmos).forgetTenant(tenantId),
    idempotency: await cosmosIdempotencyRepository(rt.cosmos).forgetTenant(tenantId),
    auditEntries: await cosmosAuditRepository(rt.cosmos).forgetTenant(tenantId),
    exports:
      (await deleteBlobsUnder(rt.blob.container('exports'), `${tenantId}/`)) +
      (await eraseExportsHolding(rt, { tenantId })),
    deadLetters:
      options.deadLetters === false
        ? 0
        : await eraseDeadLettersAbout(rt, [tenantId, ...channelDocs.flatMap((c) => [c.accountId, c.sendAsId])]),
  };
  // The tenant document goes last: until then the work can resume after a crash.
  counts.account = await tenantRepositoryOf(rt).forgetTenant(tenantId);
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
  const contacts = await contactRepository(rt).withPlatformUserId(platformUserId, tenantId);
  const counts: Counts = { contacts: 0, conversations: 0, messages: 0, exports: 0, deadLetters: 0 };
  const add = (k: string, n: number) => {
    counts[k] = (counts[k] ?? 0) + n;
  };
  for (const contact of contacts) {
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
