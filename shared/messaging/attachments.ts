import { type AttachmentRef, type MessageDoc, messageRepository } from '../conversations/index.js';
import { log } from '../platform/log.js';
import type { Runtime } from '../platform/runtime.js';

/** Where a message's attachment copies live; deleting a message deletes this prefix. */
export function attachmentPrefix(tenantId: string, messageId: string): string {
  return `${tenantId}/${messageId}/`;
}

/**
 * Copies each attachment from Meta's CDN to Blob Storage, since the links expire. Best effort: the
 * message is already stored, and a failed copy only records why, so no message is ever lost to a
 * dead link.
 */
export async function copyAttachments(rt: Runtime, doc: MessageDoc): Promise<void> {
  if (!rt.settings.COPY_ATTACHMENTS || !doc.attachments?.length) return;
  const results: AttachmentRef[] = [];
  for (const [index, attachment] of doc.attachments.entries()) {
    if (!attachment.url) {
      results.push(attachment);
      continue;
    }
    try {
      const response = await fetch(attachment.url, { signal: AbortSignal.timeout(15_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > rt.settings.ATTACHMENT_MAX_BYTES) throw new Error('too large');
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > rt.settings.ATTACHMENT_MAX_BYTES) throw new Error('too large');
      const name = `${attachmentPrefix(doc.tenantId, doc.id)}${index}`;
      await rt.blob
        .container('attachments')
        .getBlockBlobClient(name)
        .uploadData(body, {
          blobHTTPHeaders: { blobContentType: response.headers.get('content-type') ?? 'application/octet-stream' },
        });
      results.push({ ...attachment, blob: name });
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 100) : 'failed';
      log.warn('meta.attachment.copy_failed', { tenantId: doc.tenantId, type: attachment.type, reason });
      results.push({ ...attachment, copyFailed: reason });
    }
  }
  await messageRepository(rt).setAttachments(doc.tenantId, doc.id, results);
}
