import { z } from 'zod';

const idString = z.union([z.string().min(1), z.number()]).transform(String);

/** One item of `messaging` or `standby`: sender, recipient, timestamp and the event body. */
export const messagingItemSchema = z.looseObject({
  sender: z.looseObject({ id: idString }),
  recipient: z.looseObject({ id: idString }),
  // Delivery events carry no timestamp; the entry's time stands in.
  timestamp: z.number().optional(),
});
export type MessagingItem = z.infer<typeof messagingItemSchema>;

const changeSchema = z.looseObject({ field: z.string(), value: z.unknown() });

const entrySchema = z.looseObject({
  id: idString,
  time: z.number(),
  messaging: z.array(messagingItemSchema).optional(),
  standby: z.array(messagingItemSchema).optional(),
  changes: z.array(changeSchema).optional(),
});

/** Meta's webhook envelope for Messenger (`page`) and Instagram (`instagram`). */
export const webhookEnvelopeSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(entrySchema),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

const attachmentSchema = z.looseObject({
  type: z.string(),
  payload: z.looseObject({ url: z.string().optional(), sticker_id: z.union([z.number(), z.string()]).optional() }).nullish(),
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
  reply_to: z.looseObject({ mid: z.string().optional(), story: z.looseObject({ id: z.string().optional(), url: z.string().optional() }).optional() }).optional(),
});
export type MessageBody = z.infer<typeof messageBodySchema>;

export const deliverySchema = z.looseObject({ mids: z.array(z.string()).optional(), watermark: z.number() });
export const readSchema = z.looseObject({ watermark: z.number().optional(), mid: z.string().optional() });
export const reactionSchema = z.looseObject({
  mid: z.string(),
  action: z.enum(['react', 'unreact']),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
});
export const editSchema = z.looseObject({ mid: z.string(), text: z.string().optional(), num_edit: z.coerce.number().int() });
export const postbackSchema = z.looseObject({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() });
export const referralSchema = z.looseObject({ ref: z.string().optional(), source: z.string().optional(), type: z.string().optional() });
