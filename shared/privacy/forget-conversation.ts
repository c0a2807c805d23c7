import { conversationRepository, messageRepository } from '../conversations/index.js';
import { forgetConversationInsights } from '../insights/index.js';
import { attachmentPrefix } from '../messaging/index.js';
import { deleteBlobsUnder } from '../platform/blob.js';
import type { Runtime } from '../platform/runtime.js';
import { eraseDeadLettersAbout } from './dead-letter-erasure.js';
import { eraseExportsHolding } from './exports.js';
import { type DeletionPath, writeTombstone } from './tombstones.js';

/**
 * Deletes a conversation with all its messages and attachment copies, for good (§9), after its
 * tombstone, so no restore brings it back; then the exports and dead letters that hold it (a caller
 * that sweeps those itself, once for many conversations, turns them off). Returns the message count.
 */
export async function deleteConversation(
  rt: Runtime,
  tenantId: string,
  conversationId: string,
  path: DeletionPath = 'customer',
  options: { deadLetters?: boolean; exports?: boolean } = {},
): Promise<number> {
  await writeTombstone(rt, 'conversation', conversationId, path);
  const messages = messageRepository(rt);
  // Attachment copies first: their prefixes are named by the message ids that are about to go.
  for (const m of await messages.inConversation(tenantId, conversationId))
    await deleteBlobsUnder(rt.blob.container('attachments'), attachmentPrefix(tenantId, m.id));
  const count = await messages.forgetSubject(tenantId, { conversationId });
  await conversationRepository(rt).forgetSubject(tenantId, { conversationId });
  await forgetConversationInsights(rt, tenantId, conversationId);
  // The tenant's exports hold this conversation: they go too, and their e-mailed links stop working.
  if (options.exports !== false) await eraseExportsHolding(rt, { tenantId });
  if (options.deadLetters !== false) await eraseDeadLettersAbout(rt, [conversationId]);
  return count;
}
