import { WebPubSubServiceClient } from '@azure/web-pubsub';
import { azureCredential } from './identity.js';
import { log } from './log.js';
import type { Settings } from './settings.js';

/** A client access URL for one person, and the groups it joins on connect. */
export interface ClientAccess {
  url: string;
  hub: string;
  userId: string;
  groups: string[];
  expiresAt: string;
}

/**
 * Pushes small events to browsers (Azure Web PubSub in serverless mode). Publishing is best-effort:
 * a live inbox that misses an event catches up on its next read, so a Web PubSub outage never fails
 * the ingest or send path that called it.
 */
export interface RealtimePublisher {
  /** Whether a service is configured; without one, negotiate answers 503 and publishing does nothing. */
  readonly enabled: boolean;
  toGroup(group: string, data: object): Promise<void>;
  toUser(userId: string, data: object): Promise<void>;
  /** A URL that connects as `userId`, already in `groups`, with no right to join or send to any other group. */
  clientAccess(userId: string, groups: string[], minutes: number): Promise<ClientAccess>;
  /**
   * Closes every open connection of a person, or of a whole group. The service checks a client's URL only when it
   * connects, so a removed member's or a deleted account's open inbox would otherwise keep listening.
   */
  closeUser(userId: string, reason: string): Promise<void>;
  closeGroup(group: string, reason: string): Promise<void>;
}

/** How long one publish may take before it is given up. */
const PUBLISH_TIMEOUT_MS = 3000;

class WebPubSubPublisher implements RealtimePublisher {
  readonly enabled = true;
  constructor(private readonly client: WebPubSubServiceClient) {}

  private async attempt(what: string, send: (signal: AbortSignal) => Promise<void>): Promise<void> {
    try {
      await send(AbortSignal.timeout(PUBLISH_TIMEOUT_MS));
    } catch (error) {
      log.warn('realtime.publish_failed', { what, error });
    }
  }

  toGroup(group: string, data: object): Promise<void> {
    return this.attempt('group', (abortSignal) =>
      this.client.group(group).sendToAll(data as Record<string, unknown>, { abortSignal }),
    );
  }

  toUser(userId: string, data: object): Promise<void> {
    return this.attempt('user', (abortSignal) =>
      this.client.sendToUser(userId, data as Record<string, unknown>, { abortSignal }),
    );
  }

  closeUser(userId: string, reason: string): Promise<void> {
    return this.attempt('close user', (abortSignal) =>
      this.client.closeUserConnections(userId, { reason, abortSignal }),
    );
  }

  closeGroup(group: string, reason: string): Promise<void> {
    return this.attempt('close group', (abortSignal) =>
      this.client.group(group).closeAllConnections({ reason, abortSignal }),
    );
  }

  async clientAccess(userId: string, groups: string[], minutes: number): Promise<ClientAccess> {
    // No roles: the client may listen to the groups named here and nothing else.
    const token = await this.client.getClientAccessToken({
      userId,
      groups,
      roles: [],
      expirationTimeInMinutes: minutes,
    });
    return {
      url: token.url,
      hub: this.client.hubName,
      userId,
      groups,
      expiresAt: new Date(Date.now() + minutes * 60_000).toISOString(),
    };
  }
}

/** A publisher that publishes nothing (no Web PubSub configured; offline tools such as restore). */
export const disabledRealtime: RealtimePublisher = {
  enabled: false,
  toGroup: async () => {},
  toUser: async () => {},
  closeUser: async () => {},
  closeGroup: async () => {},
  clientAccess: async () => {
    throw new Error('Web PubSub is not configured');
  },
};

/** The publisher from settings: a key locally (the stand-in), the managed identity in Azure. */
export function createRealtimePublisher(settings: Settings): RealtimePublisher {
  if (settings.WEB_PUBSUB_CONNECTION_STRING) {
    // Plain http only ever reaches the local stand-in: production refuses a connection string at start-up.
    const insecure = /Endpoint=http:\/\//i.test(settings.WEB_PUBSUB_CONNECTION_STRING);
    return new WebPubSubPublisher(
      new WebPubSubServiceClient(settings.WEB_PUBSUB_CONNECTION_STRING, settings.WEB_PUBSUB_HUB, {
        allowInsecureConnection: insecure,
      }),
    );
  }
  if (settings.WEB_PUBSUB_ENDPOINT)
    return new WebPubSubPublisher(
      new WebPubSubServiceClient(settings.WEB_PUBSUB_ENDPOINT, azureCredential(), settings.WEB_PUBSUB_HUB),
    );
  return disabledRealtime;
}
