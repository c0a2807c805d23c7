import { z } from 'zod';

const idString = z.union([z.string().min(1), z.number()]).transform(String);

/**
 * Meta's times and counters are JSON numbers, but some senders (and Meta's own examples, e.g.
 * `num_edit: "<INT>"`) quote them. A string of digits is the same number; anything else is not.
 */
export const numberish = z.union([
  z.number().finite(),
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number),
]);

/**
 * One item of `messaging` or `standby`, as far as routing needs it. `sender` is optional on
 * purpose: policy enforcement, app roles and `user_ref` opt-ins have none (they concern the
 * account, not a person). Whether an item can be handled is decided per item, never per batch.
 */
export const messagingItemSchema = z.looseObject({
  sender: z.looseObject({ id: idString }).optional(),
  recipient: z.looseObject({ id: idString }).optional(),
  // Delivery events carry no timestamp; the entry's time stands in.
  timestamp: numberish.optional(),
});
export type MessagingItem = z.infer<typeof messagingItemSchema>;

export const changeSchema = z.looseObject({ field: z.string().min(1).max(100), value: z.unknown() });

/** One entry, loosely: its items are checked one by one, so one odd item cannot sink its neighbours. */
const entrySchema = z.looseObject({
  id: idString,
  time: numberish,
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
});
export type WebhookEntry = z.infer<typeof entrySchema>;

/**
 * Meta's webhook envelope for Messenger (`page`) and Instagram (`instagram`). This is the only
 * thing a delivery is refused for: what is inside the entries is judged item by item.
 */
export const webhookEnvelopeSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** Pure: an entry of the envelope, or undefined when it has no usable id and time. */
export function parseEntry(entry: unknown): WebhookEntry | undefined {
  const parsed = entrySchema.safeParse(entry);
  return parsed.success ? parsed.data : undefined;
}

const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: z
    .looseObject({ url: z.string().optional(), sticker_id: z.union([z.number(), z.string()]).optional() })
    .nullish(),
});

/** The `message` body of an inbound message or echo. */
export const messageBodySchema = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
  app_id: z.union([z.number(), z.string()]).transform(String).optional(),
  metadata: z.string().optional(),
  attachments: z.array(attachmentSchema).optional(),
  quick_reply: z.looseObject({ payload: z.string() }).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().optional(),
      story: z.looseObject({ id: z.string().optional(), url: z.string().optional() }).optional(),
    })
    .optional(),
});

export const deliverySchema = z.looseObject({ mids: z.array(z.string()).optional(), watermark: numberish });
export const readSchema = z.looseObject({ watermark: numberish.optional(), mid: z.string().optional() });
export const reactionSchema = z.looseObject({
  mid: z.string(),
  action: z.enum(['react', 'unreact']),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
});
export const editSchema = z.looseObject({ mid: z.string(), text: z.string().optional(), num_edit: numberish });
export const postbackSchema = z.looseObject({
  mid: z.string().optional(),
  title: z.string().optional(),
  payload: z.string().optional(),
});
export const referralSchema = z.looseObject({
  ref: z.string().optional(),
  source: z.string().optional(),
  type: z.string().optional(),
});
/** `policy-enforcement` (Messenger and Instagram): Meta blocked or unblocked the account's sending. */
export const policyEnforcementSchema = z.looseObject({
  action: z.enum(['block', 'unblock']),
  reason: z.string().max(2000).optional(),
});
