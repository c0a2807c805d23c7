import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BusPublisher, OutgoingMessage } from '../../shared/platform/bus.js';
import { conversationIdOf } from '../../shared/platform/ids.js';
import {
  parseQueueMessage,
  QUEUES,
  type QueueContract,
  type QueueInput,
  sendToQueue,
} from '../../shared/platform/queues.js';

/** A bus that records what would have been sent. */
function recordingBus() {
  const sent: Array<{ queue: string; message: OutgoingMessage }> = [];
  const bus = {
    async send(queue: string, messages: OutgoingMessage | OutgoingMessage[]) {
      for (const message of Array.isArray(messages) ? messages : [messages]) sent.push({ queue, message });
    },
  } as unknown as BusPublisher;
  return { bus, sent };
}

async function sendOne<Q extends QueueContract>(queue: Q, message: QueueInput<Q>, scheduledAt?: Date) {
  const { bus, sent } = recordingBus();
  await sendToQueue(bus, queue, message, scheduledAt ? { scheduledAt } : {});
  expect(sent).toHaveLength(1);
  expect(sent[0]?.queue).toBe(queue.name);
  return sent[0]?.message as OutgoingMessage;
}

const hash = (s: string) => createHash('sha256').update(s).digest('base64url').slice(0, 24);

describe('queue contracts', () => {
  it('refuse a malformed body with a reason that names each bad field', () => {
    expect(() =>
      parseQueueMessage(QUEUES.replies, { tenantId: '', conversationId: 'cv_1', triggerTimestamp: 'x' }),
    ).toThrow(/^Invalid message on replies: tenantId: .+; triggerTimestamp: .+; triggerMessageId: .+$/);
    expect(() => parseQueueMessage(QUEUES.metaEvents, 'not an object')).toThrow(
      /Invalid message on meta-events: \(body\): /,
    );
  });

  it('throw at the sender, before anything is sent, when a message breaks its contract', async () => {
    const { bus, sent } = recordingBus();
    await expect(
      sendToQueue(bus, QUEUES.outbound, {
        tenantId: 't',
        conversationId: 'c',
        messageIds: [],
        attempt: 0,
        replyId: 'r',
      }),
    ).rejects.toThrow(/Invalid message on outbound: messageIds: /);
    expect(sent).toHaveLength(0);
  });

  it('meta-events: a webhook item keeps its Meta-derived MessageId and its conversation session', async () => {
    const event = {
      v: 1 as const,
      platform: 'instagram' as const,
      accountId: '1784',
      userId: '9001',
      source: 'messaging' as const,
      kind: 'message' as const,
      timestamp: 1_700_000_000_000,
      item: { sender: { id: '9001' }, recipient: { id: '1784' }, message: { mid: 'mid.abc', text: 'Hi' } },
    };
    const sent = await sendOne(QUEUES.metaEvents, event);
    expect(sent).toMatchObject({
      body: event,
      messageId: 'instagram:m:mid.abc',
      sessionId: conversationIdOf('instagram', '1784', '9001'),
      subject: 'message',
    });
    const policy = { ...event, userId: undefined, kind: 'policy' as const, item: { 'policy-enforcement': {} } };
    expect(QUEUES.metaEvents.sessionId(parseQueueMessage(QUEUES.metaEvents, policy))).toBe('account:instagram:1784');
    const change = { ...policy, source: 'changes' as const, kind: 'change' as const, item: { field: 'x' } };
    expect(QUEUES.metaEvents.sessionId(parseQueueMessage(QUEUES.metaEvents, change))).toBe('changes:instagram:1784');
  });

  it('replies: keyed by the triggering message, in the conversation session, scheduled after the burst wait', async () => {
    const at = new Date('2026-01-01T10:00:03Z');
    const sent = await sendOne(
      QUEUES.replies,
      { tenantId: 'tn_a', conversationId: 'cv_1', triggerTimestamp: 1_700_000_000_000, triggerMessageId: 'msg_1' },
      at,
    );
    expect(sent).toMatchObject({ messageId: 'reply:msg_1', sessionId: 'cv_1', scheduledAt: at });
  });

  it('outbound: a first send is keyed by its reply, a retry by its first part and attempt', async () => {
    const first = await sendOne(QUEUES.outbound, {
      tenantId: 'tn_a',
      conversationId: 'cv_1',
      messageIds: ['out_1', 'out_2'],
      attempt: 0,
      replyId: 'rj_1',
    });
    expect(first).toMatchObject({ messageId: 'send:rj_1', sessionId: 'cv_1' });
    const retry = await sendOne(QUEUES.outbound, {
      tenantId: 'tn_a',
      conversationId: 'cv_1',
      messageIds: ['out_2'],
      attempt: 3,
      replyId: 'rj_1',
    });
    expect(retry).toMatchObject({ messageId: 'send:out_2:retry:3', sessionId: 'cv_1' });
    // A job queued before replyId existed still parses (its retries need no replyId).
    expect(
      parseQueueMessage(QUEUES.outbound, { tenantId: 't', conversationId: 'c', messageIds: ['m'], attempt: 1 }),
    ).toBeTruthy();
  });

  it('knowledge-index: one session per tenant, keyed by version', async () => {
    const sent = await sendOne(QUEUES.knowledgeIndex, { tenantId: 'tn_a', version: 4 });
    expect(sent).toMatchObject({
      body: { tenantId: 'tn_a', version: 4 },
      messageId: 'kb-index:tn_a:4',
      sessionId: 'tn_a',
    });
  });

  it('privacy-jobs: each sender keeps its MessageId and session', async () => {
    const account = await sendOne(QUEUES.privacyJobs, {
      kind: 'account-deletion',
      tenantId: 'tn_a',
      requestedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(account).toMatchObject({ messageId: 'account-deletion:tn_a', sessionId: 'tenant:tn_a' });
    const staff = await sendOne(QUEUES.privacyJobs, {
      kind: 'end-user-deletion',
      code: 'c0de',
      platformUserId: '9001',
      confirmTo: 'dpo@example.com',
      language: 'ro',
      subjectRef: 'ref1',
    });
    expect(staff).toMatchObject({ messageId: 'end-user-deletion:c0de', sessionId: 'end-user:ref1' });
    const meta = await sendOne(QUEUES.privacyJobs, {
      kind: 'end-user-deletion',
      code: 'c0de',
      platformUserId: '9001',
      appScoped: true,
      language: 'en',
      subjectRef: 'ref1',
    });
    expect(meta).toMatchObject({ messageId: 'meta-deletion:c0de', sessionId: 'end-user:ref1' });
    const endUserExport = await sendOne(QUEUES.privacyJobs, {
      kind: 'export',
      exportId: 'ex_1',
      scope: 'end-user',
      subjectId: '9001',
      notifyTo: 'dpo@example.com',
      language: 'en',
    });
    expect(endUserExport).toMatchObject({ messageId: 'export:ex_1', sessionId: 'export:ex_1' });
    const tenantExport = await sendOne(QUEUES.privacyJobs, {
      kind: 'export',
      exportId: 'ex_2',
      scope: 'tenant',
      subjectId: 'tn_a',
      notifyTo: 'owner@example.com',
      language: 'ro',
    });
    expect(tenantExport).toMatchObject({ messageId: 'export:ex_2', sessionId: 'tenant:tn_a' });
  });

  it('stripe-events: keyed by event id, one session per customer', async () => {
    const event = (object: Record<string, unknown>) => ({
      id: 'evt_1',
      type: 'invoice.paid',
      created: 1_700_000_000,
      data: { object },
    });
    expect(await sendOne(QUEUES.stripeEvents, event({ object: 'invoice', customer: 'cus_1' }))).toMatchObject({
      messageId: 'evt_1',
      sessionId: 'customer:cus_1',
      subject: 'invoice.paid',
    });
    expect((await sendOne(QUEUES.stripeEvents, event({ object: 'customer', id: 'cus_2' }))).sessionId).toBe(
      'customer:cus_2',
    );
    expect((await sendOne(QUEUES.stripeEvents, event({ object: 'price', id: 'price_1' }))).sessionId).toBe(
      'customer:none',
    );
  });

  it('insights-events: stored messages, sends and transitions keep their hashed MessageIds', async () => {
    const stored = await sendOne(QUEUES.insightsEvents, {
      kind: 'messages',
      tenantId: 'tn_a',
      conversationId: 'cv_1',
      messageIds: ['msg_1'],
    });
    expect(stored).toMatchObject({ messageId: `insights:${hash('m:msg_1')}`, sessionId: 'cv_1' });
    const sent = await sendOne(QUEUES.insightsEvents, {
      kind: 'messages',
      tenantId: 'tn_a',
      conversationId: 'cv_1',
      messageIds: ['out_1', 'out_2'],
      attempt: 2,
    });
    expect(sent.messageId).toBe(`insights:${hash('s:out_1,out_2:2')}`);
    const transition = await sendOne(QUEUES.insightsEvents, {
      kind: 'transition',
      tenantId: 'tn_a',
      conversationId: 'cv_1',
      contactId: 'ct_1',
      platform: 'messenger',
      transition: { from: 'bot', to: 'human', event: 'handoff', at: '2026-01-01T00:00:00.000Z', by: 'bot' },
    });
    expect(transition.messageId).toBe(`insights:${hash('t:cv_1:handoff:2026-01-01T00:00:00.000Z')}`);
  });

  it('emails: keyed by the idempotency key, retries apart, no session', async () => {
    const job = {
      key: 'welcome:tn_a',
      template: 'welcome' as const,
      language: 'en' as const,
      to: 'owner@example.com',
      data: { company: 'Salon' },
      tenantId: 'tn_a',
    };
    const first = await sendOne(QUEUES.emails, job);
    expect(first).toMatchObject({ body: { ...job, attempt: 0 }, messageId: 'email:welcome:tn_a', subject: 'welcome' });
    expect(first.sessionId).toBeUndefined();
    expect((await sendOne(QUEUES.emails, { ...job, attempt: 2 })).messageId).toBe('email:welcome:tn_a:retry:2');
  });
});
