import {
  type MessageDoc,
  type MessageStatus,
  messageIdOf,
  messageRepository,
  publishStatus,
} from '../conversations/index.js';
import { removeGapSamples } from '../insights/index.js';
import { deleteBlobsUnder } from '../platform/blob.js';
import { log } from '../platform/log.js';
import { writeTombstone } from '../privacy/index.js';
import { attachmentPrefix } from './attachments.js';
import type { Routed } from './routed.js';
import { deliverySchema, editSchema, reactionSchema, readSchema } from './webhook-schema.js';

const RANK: Record<MessageStatus, number> = {
  pending: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  received: 0,
  failed: 0,
  cancelled: 0,
};

/** Moves our sent messages forward to `status` (never backward) for everything up to a watermark. */
async function advanceUpTo(routed: Routed, watermark: number, status: 'delivered' | 'read'): Promise<number> {
  const { rt, tenant, conversationId } = routed;
  const candidates = await messageRepository(rt).inConversation(tenant.id, conversationId, {
    direction: 'out',
    statusIn: ['sent', 'delivered'],
  });
  let changed = 0;
  for (const m of candidates) {
    const sentAt = m.outbound?.sentAt ?? m.timestamp;
    if (sentAt > watermark || RANK[m.status] >= RANK[status]) continue;
    await messageRepository(rt).setProgress(tenant.id, m.id, status, watermark);
    changed++;
    void publishStatus(rt, m, status, rt.clock.now());
  }
  return changed;
}

/** Messenger `delivery`: everything sent up to the watermark was delivered. */
export async function applyDelivery(routed: Routed): Promise<void> {
  const delivery = deliverySchema.parse(routed.event.item.delivery);
  const changed = await advanceUpTo(routed, delivery.watermark, 'delivered');
  log.info('meta.delivery', { tenantId: routed.tenant.id, changed });
}

/** `read`: Messenger gives a watermark, Instagram the mid that was seen. */
export async function applyRead(routed: Routed): Promise<void> {
  const read = readSchema.parse(routed.event.item.read);
  let watermark = read.watermark;
  if (watermark === undefined && read.mid) {
    const [seen] = await messageRepository(routed.rt).inConversation(routed.tenant.id, routed.conversationId, {
      mid: read.mid,
    });
    watermark = seen ? (seen.outbound?.sentAt ?? seen.timestamp) : routed.event.timestamp;
  }
  const changed = await advanceUpTo(routed, watermark ?? routed.event.timestamp, 'read');
  log.info('meta.read', { tenantId: routed.tenant.id, changed });
}

/** A reaction to one of the messages; unreact removes it. */
export async function applyReaction(routed: Routed): Promise<void> {
  const reaction = reactionSchema.parse(routed.event.item.reaction);
  const id = messageIdOf(routed.event.platform, reaction.mid);
  const target = await messageRepository(routed.rt).get(routed.tenant.id, id);
  const ownMessage = target ?? (await findByMid(routed, reaction.mid));
  if (!ownMessage) {
    log.info('meta.reaction.unknown_target', { tenantId: routed.tenant.id });
    return;
  }
  await messageRepository(routed.rt).update(routed.tenant.id, ownMessage.id, (m) => {
    if (m.reaction && m.reaction.at > routed.event.timestamp) return undefined;
    const { reaction: _old, ...rest } = m;
    return reaction.action === 'unreact'
      ? { ...rest, updatedAt: routed.rt.clock.now().toISOString() }
      : {
          ...rest,
          reaction: { emoji: reaction.emoji, reaction: reaction.reaction, at: routed.event.timestamp },
          updatedAt: routed.rt.clock.now().toISOString(),
        };
  });
}

async function findByMid(routed: Routed, mid: string): Promise<MessageDoc | undefined> {
  const [found] = await messageRepository(routed.rt).inConversation(routed.tenant.id, routed.conversationId, { mid });
  return found;
}

/** Messenger `message_edit`: keep the newest text. */
export async function applyEdit(routed: Routed): Promise<void> {
  const edit = editSchema.parse(routed.event.item.message_edit);
  const id = messageIdOf(routed.event.platform, edit.mid);
  await messageRepository(routed.rt).update(routed.tenant.id, id, (m) => {
    if ((m.editCount ?? 0) >= edit.num_edit) return undefined;
    return {
      ...m,
      ...(edit.text !== undefined ? { text: edit.text } : {}),
      editCount: edit.num_edit,
      updatedAt: routed.rt.clock.now().toISOString(),
    };
  });
}

/** Instagram unsend: the person took the message back, so our copy and its attachments go too. */
export async function deleteUnsent(routed: Routed): Promise<void> {
  const mid = String((routed.event.item.message as { mid?: string } | undefined)?.mid ?? '');
  const id = messageIdOf(routed.event.platform, mid);
  // A restore of an earlier backup must not bring the taken-back message back.
  await writeTombstone(routed.rt, 'message', id, 'unsend');
  await messageRepository(routed.rt).delete(routed.tenant.id, id);
  await deleteBlobsUnder(routed.rt.blob.container('attachments'), attachmentPrefix(routed.tenant.id, id));
  await removeGapSamples(routed.rt, routed.tenant.id, routed.conversationId, id);
  log.info('meta.unsend.deleted', { tenantId: routed.tenant.id });
}
