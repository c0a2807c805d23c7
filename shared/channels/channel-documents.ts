import { z } from 'zod';

const platformSchema = z.enum(['messenger', 'instagram']);
const sealed = z.object({ v: z.literal(1), iv: z.string(), ct: z.string(), tag: z.string() });

/** A connected Facebook Page or Instagram professional account, as stored in `channels`. */
export const channelDocSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  type: z.literal('channel'),
  platform: platformSchema,
  /** The Page id or Instagram account id that webhooks name in entry.id. */
  accountId: z.string(),
  /** The Page whose /messages endpoint sends for this channel (the linked Page for Instagram). */
  sendAsId: z.string(),
  name: z.string(),
  status: z.enum(['connected', 'needs_reconnection', 'disconnected']),
  statusReason: z.string().optional(),
  token: sealed.optional(),
  connectedAt: z.string(),
  updatedAt: z.string(),
  tokenCheckedAt: z.string().optional(),
  /** Set when the daily check finds the token expiring soon. */
  tokenExpiresAt: z.string().optional(),
  /**
   * Meta's policy enforcement: while `blocked` is true nothing is sent on this channel (messages are
   * still received and stored). `at` is Meta's event time, so an older event never undoes a newer one.
   */
  sendPolicy: z.object({ blocked: z.boolean(), at: z.number() }).optional(),
  _etag: z.string().optional(),
});
export type ChannelDoc = z.infer<typeof channelDocSchema>;

/** Routes a webhook's account id to the tenant that connected it (`routes`, partitioned by /id). */
export const routeDocSchema = z.looseObject({ id: z.string(), tenantId: z.string(), channelId: z.string() });
export type RouteDoc = z.infer<typeof routeDocSchema>;

export function routeIdOf(platform: z.infer<typeof platformSchema>, accountId: string): string {
  return `${platform}:${accountId}`;
}

/** The two fields the ID Matching of Meta's deletion callback needs from every channel. */
export const channelPageSchema = z.looseObject({ sendAsId: z.string(), status: channelDocSchema.shape.status });
export type ChannelPage = z.infer<typeof channelPageSchema>;
