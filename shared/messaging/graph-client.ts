import type { Platform } from '../platform/ids.js';
import type { Settings } from '../platform/settings.js';
import { GraphError } from './graph-errors.js';

/** What the Send API takes; see the Messenger Platform Send API reference. */
export interface SendRequest {
  recipient: { id: string };
  messaging_type: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
  tag?: 'HUMAN_AGENT';
  message: { text: string; metadata?: string };
}

export interface Profile {
  name?: string;
  profilePicUrl?: string;
  locale?: string;
}

/** The Graph API client for Send, profiles and subscriptions. Tokens go in the Authorization header, never in URLs. */
export class GraphClient {
  constructor(
    private readonly baseUrl: string,
    private readonly version: string,
    private readonly timeoutMs = 10_000,
  ) {}

  private async call<T>(
    method: string,
    path: string,
    token: string,
    body?: unknown,
    query: Record<string, string> = {},
  ): Promise<T> {
    const url = new URL(`${this.baseUrl.replace(/\/$/, '')}/${this.version}/${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // A network failure or timeout: we do not know whether Meta acted, so it is transient.
      throw new GraphError(503, undefined, undefined, undefined, `Graph API unreachable: ${(error as Error).name}`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (!response.ok) {
      const err = (parsed as { error?: { code?: number; error_subcode?: number; type?: string } }).error;
      const retryAfter = Number(response.headers.get('retry-after'));
      throw new GraphError(
        response.status,
        err?.code,
        err?.error_subcode,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
        `Graph API ${response.status} code ${err?.code ?? '-'}/${err?.error_subcode ?? '-'} (${err?.type ?? 'error'})`,
      );
    }
    return parsed as T;
  }

  /** POST /{page-id}/messages: Messenger, and Instagram accounts linked to that Page. */
  sendMessage(
    sendAsId: string,
    token: string,
    request: SendRequest,
  ): Promise<{ recipient_id?: string; message_id: string }> {
    return this.call('POST', `${sendAsId}/messages`, token, request);
  }

  /** Typing indicator; sent on its own, as the Send API requires. */
  async senderAction(
    sendAsId: string,
    token: string,
    recipientId: string,
    action: 'typing_on' | 'typing_off' | 'mark_seen',
  ): Promise<void> {
    await this.call('POST', `${sendAsId}/messages`, token, { recipient: { id: recipientId }, sender_action: action });
  }

  /** Reads only the profile fields §5.3 of the privacy policy lists: name, picture URL, language. */
  async profile(platform: Platform, userId: string, token: string): Promise<Profile> {
    const fields = platform === 'instagram' ? 'name,profile_pic' : 'first_name,last_name,profile_pic,locale';
    const raw = await this.call<Record<string, string | undefined>>(
      'GET',
      encodeURIComponent(userId),
      token,
      undefined,
      { fields },
    );
    const name = raw.name ?? ([raw.first_name, raw.last_name].filter(Boolean).join(' ') || undefined);
    return { name, profilePicUrl: raw.profile_pic, locale: raw.locale };
  }

  /** Subscribes our app to a Page's webhooks with the fields we handle. */
  async subscribeApp(pageId: string, token: string, fields: string[]): Promise<void> {
    await this.call('POST', `${pageId}/subscribed_apps`, token, undefined, { subscribed_fields: fields.join(',') });
  }

  async unsubscribeApp(pageId: string, token: string): Promise<void> {
    await this.call('DELETE', `${pageId}/subscribed_apps`, token);
  }

  /** When a token (and its data access) expires, read with the app's own token; 0 means never. */
  async tokenExpiry(inputToken: string, appToken: string): Promise<{ expiresAt: number; dataAccessExpiresAt: number }> {
    const res = await this.call<{ data?: { expires_at?: number; data_access_expires_at?: number } }>(
      'GET',
      'debug_token',
      appToken,
      undefined,
      { input_token: inputToken },
    );
    return { expiresAt: res.data?.expires_at ?? 0, dataAccessExpiresAt: res.data?.data_access_expires_at ?? 0 };
  }

  /**
   * Meta's ID Matching: the page-scoped ids (PSIDs) one person has on a Page, from the app-scoped id
   * Meta's deletion callback gives (GET /{app-scoped-id}/ids_for_pages, app token with appsecret_proof).
   */
  async idsForPages(
    appScopedId: string,
    pageId: string,
    appToken: string,
    appSecretProof: string,
  ): Promise<Array<{ id: string; pageId: string }>> {
    const res = await this.call<{ data?: Array<{ id?: string; page?: { id?: string } }> }>(
      'GET',
      `${encodeURIComponent(appScopedId)}/ids_for_pages`,
      appToken,
      undefined,
      { page: pageId, appsecret_proof: appSecretProof },
    );
    return (res.data ?? []).filter((d) => d.id && d.page?.id === pageId).map((d) => ({ id: String(d.id), pageId }));
  }

  /**
   * The Instagram professional account linked to a Page, read with that Page's token (undefined when none is linked).
   */
  async instagramAccountOf(pageId: string, token: string): Promise<string | undefined> {
    const res = await this.call<{ instagram_business_account?: { id?: string } }>(
      'GET',
      encodeURIComponent(pageId),
      token,
      undefined,
      { fields: 'instagram_business_account' },
    );
    return res.instagram_business_account?.id;
  }

  /**
   * The Conversations API: the messages of the thread between a Page (or its linked Instagram account)
   * and one person, newest first. Empty when there is no such thread.
   */
  async threadMessages(pageId: string, platform: Platform, userId: string, token: string): Promise<ThreadMessage[]> {
    const threads = await this.call<{ data?: Array<{ id?: string }> }>(
      'GET',
      `${encodeURIComponent(pageId)}/conversations`,
      token,
      undefined,
      { platform, user_id: userId },
    );
    const threadId = threads.data?.[0]?.id;
    if (!threadId) return [];
    const res = await this.call<{
      data?: Array<{ id?: string; created_time?: string; message?: string; from?: { id?: string } }>;
    }>('GET', `${encodeURIComponent(threadId)}/messages`, token, undefined, {
      fields: 'id,created_time,message,from,to',
    });
    return (res.data ?? [])
      .filter((m) => m.id)
      .map((m) => ({
        id: String(m.id),
        createdTime: Date.parse(m.created_time ?? ''),
        text: m.message ?? '',
        fromId: m.from?.id ?? '',
      }));
  }

  /** Checks a token by reading the object it belongs to. */
  me(token: string): Promise<{ id: string; name?: string }> {
    return this.call('GET', 'me', token, undefined, { fields: 'id,name' });
  }
}

/** One message of a Conversations API thread. */
export interface ThreadMessage {
  id: string;
  /** Epoch milliseconds; NaN when Meta gave no readable time. */
  createdTime: number;
  text: string;
  fromId: string;
}

/** The Graph client for these settings (the local host's sandbox, or Meta). */
export function graphClient(
  settings: Pick<Settings, 'META_GRAPH_BASE_URL' | 'META_GRAPH_VERSION'>,
  timeoutMs?: number,
): GraphClient {
  return new GraphClient(settings.META_GRAPH_BASE_URL, settings.META_GRAPH_VERSION, timeoutMs);
}

/** The webhook fields we subscribe Pages to and handle. */
export const SUBSCRIBED_FIELDS = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_postbacks',
  'messaging_referrals',
  'messaging_handovers',
  'standby',
];
