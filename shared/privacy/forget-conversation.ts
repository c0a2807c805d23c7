import { queryMessages } from '../conversations/index.js';
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
  const messages = await queryMessages(rt, tenantId, conversationId);
  for (const m of messages) {
    await deleteBlobsUnder(rt.blob.container('attachments'), attachmentPrefix(tenantId, m.id));
    await rt.cosmos.container('messages').item(m.id, tenantId).delete().catch(ignoreMissing);
  }
  await rt.cosmos.container('conversations').item(conversationId, tenantId).delete().catch(ignoreMissing);
  await forgetConversationInsights(rt, tenantId, conversationId);
  // The tenant's exports hold this conversation: they go too, and their e-mailed links stop working.
  if (options.exports !== false) await eraseExportsHolding(rt, { tenantId });
  if (options.deadLetters !== false) await eraseDeadLettersAbout(rt, [conversationId]);
  return messages.length;
}

export function ignoreMissing(error: { code?: number }): void {
  if (error.code !== 404) throw error;
}
