import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { effectiveState, mayBotAnswer, TransitionError, transition } from '../../shared/conversations/state.js';
import { flattenEnvelope, type SkippedItem } from '../../shared/messaging/events.js';
import { backoffMs, classifyGraphError, GraphError } from '../../shared/messaging/graph-errors.js';
import { checkMetaSignature, signMetaBody } from '../../shared/messaging/signature.js';
import { splitForPlatform, splitText } from '../../shared/messaging/split-text.js';
import { numberish, webhookEnvelopeSchema } from '../../shared/messaging/webhook-schema.js';
import { sendPermission } from '../../shared/messaging/window.js';
import { metaFixture, metaFixtures } from '../helpers/meta.js';
import { checkWithSeed, oddCompany, surround } from '../helpers/meta-arbitraries.js';

const SECRET = 'test-app-secret-0123456789';

describe('X-Hub-Signature-256', () => {
  const body = metaFixture('messenger-text.json');

  it('accepts a good signature over the raw bytes', () => {
    expect(checkMetaSignature(body, signMetaBody(body, SECRET), SECRET)).toEqual({ ok: true });
  });
  it('rejects a wrong signature', () => {
    expect(checkMetaSignature(body, signMetaBody(body, 'another-secret'), SECRET)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });
  it('rejects a missing header', () => {
    expect(checkMetaSignature(body, undefined, SECRET)).toEqual({ ok: false, reason: 'missing' });
  });
  it('rejects a SHA-1-only signature', () => {
    expect(checkMetaSignature(body, 'sha1=0123456789abcdef0123456789abcdef01234567', SECRET)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
  it('checks non-ASCII text on the escaped bytes Meta signs, not on re-serialized JSON', () => {
    const wire = Buffer.from(
      '{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"sender":{"id":"2"},"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m","text":"\\u00e4\\u00f6\\u00e5 \\u0219\\u021b"}}]}]}',
    );
    const header = signMetaBody(wire, SECRET);
    expect(checkMetaSignature(wire, header, SECRET).ok).toBe(true);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(wire.toString('utf8'))));
    expect(checkMetaSignature(reserialized, header, SECRET).ok).toBe(false);
  });
  it('rejects a body changed after signing', () => {
    const header = signMetaBody(body, SECRET);
    const changed = Buffer.from(body.toString('utf8').replace('"text": "text"', '"text": "TEXT"'));
    expect(changed.equals(body)).toBe(false);
    expect(checkMetaSignature(changed, header, SECRET)).toEqual({ ok: false, reason: 'mismatch' });
  });
});

describe('webhook envelope and events', () => {
  const expectedKinds: Record<string, string[]> = {
    'instagram-echo.json': ['echo'],
    'instagram-unsend.json': ['unsend'],
    'instagram-messaging-seen.json': ['read'],
    'instagram-reaction.json': ['reaction'],
    'messenger-batch-two-entries.json': ['message', 'message', 'read'],
    'messenger-delivery.json': ['delivery'],
    'messenger-echo.json': ['echo'],
    'messenger-message-edit.json': ['edit'],
    'messenger-pass-thread-control.json': ['handover'],
    'messenger-postback.json': ['postback'],
    'messenger-reaction.json': ['reaction'],
    'messenger-reaction-unreact.json': ['reaction'],
    'messenger-read.json': ['read'],
    'messenger-referral.json': ['referral'],
    'messenger-standby-echo.json': ['echo'],
  };

  for (const fixture of metaFixtures()) {
    it(`parses ${fixture.name} into queue-ready events`, () => {
      const envelope = webhookEnvelopeSchema.parse(fixture.json);
      const events = flattenEnvelope(envelope);
      expect(events.length).toBeGreaterThan(0);
      expect(events.map((e) => e.event.kind)).toEqual(expectedKinds[fixture.name] ?? events.map(() => 'message'));
      for (const e of events) {
        expect(e.messageId.length).toBeLessThanOrEqual(128);
        expect(e.sessionId).toMatch(/^cv_/);
        expect(e.event.userId).not.toBe(e.event.accountId === e.event.userId ? 'never' : e.event.accountId);
      }
    });
  }

  it('gives a redelivered event the same MessageId and one person one session', () => {
    const envelope = webhookEnvelopeSchema.parse(
      JSON.parse(metaFixture('messenger-batch-two-entries.json').toString()),
    );
    const first = flattenEnvelope(envelope);
    const second = flattenEnvelope(envelope);
    expect(second.map((e) => e.messageId)).toEqual(first.map((e) => e.messageId));
    expect(new Set(first.map((e) => e.sessionId)).size).toBe(1);
    expect(new Set(first.map((e) => e.messageId)).size).toBe(3);
  });

  it('treats an echo as the conversation of its recipient', () => {
    const [echo] = flattenEnvelope(
      webhookEnvelopeSchema.parse(JSON.parse(metaFixture('instagram-echo.json').toString())),
    );
    const [image] = flattenEnvelope(
      webhookEnvelopeSchema.parse(JSON.parse(metaFixture('instagram-image.json').toString())),
    );
    expect(echo?.sessionId).toBe(image?.sessionId);
  });

  it('refuses a body that is not an envelope', () => {
    expect(webhookEnvelopeSchema.safeParse({ object: 'whatsapp_business_account', entry: [] }).success).toBe(false);
    expect(webhookEnvelopeSchema.safeParse({ object: 'page' }).success).toBe(false);
  });
});

describe("Meta's messaging window", () => {
  const inbound = new Date('2026-12-01T10:00:00Z');
  const plus = (ms: number) => new Date(inbound.getTime() + ms);
  const MIN = 60_000;
  const HOUR = 60 * MIN;

  it('lets anyone answer with RESPONSE at 23h59m', () => {
    expect(sendPermission('bot', inbound, plus(23 * HOUR + 59 * MIN))).toEqual({
      allowed: true,
      messagingType: 'RESPONSE',
    });
    expect(sendPermission('human', inbound, plus(23 * HOUR + 59 * MIN))).toEqual({
      allowed: true,
      messagingType: 'RESPONSE',
    });
  });
  it('closes for the bot at 24h01m and never gives it the HUMAN_AGENT tag', () => {
    expect(sendPermission('bot', inbound, plus(24 * HOUR + MIN))).toEqual({ allowed: false, reason: 'window_closed' });
  });
  it('lets a human answer with HUMAN_AGENT at 24h01m and just before 7 days', () => {
    expect(sendPermission('human', inbound, plus(24 * HOUR + MIN))).toEqual({
      allowed: true,
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    expect(sendPermission('human', inbound, plus(7 * 24 * HOUR - MIN)).allowed).toBe(true);
  });
  it('sends nothing at 7 days or later', () => {
    expect(sendPermission('human', inbound, plus(7 * 24 * HOUR))).toEqual({
      allowed: false,
      reason: 'human_agent_window_closed',
    });
    expect(sendPermission('human', undefined, plus(0))).toEqual({ allowed: false, reason: 'no_inbound' });
  });
});

describe('splitting long replies', () => {
  it('keeps short text whole', () => {
    expect(splitForPlatform('Hello!', 'messenger')).toEqual(['Hello!']);
  });
  it("splits at Messenger's 2000 characters on sentence boundaries", () => {
    const sentence = `${'Balayage costs 350 lei and takes about three hours '.repeat(3).trim()}. `;
    const text = sentence.repeat(20);
    const parts = splitForPlatform(text, 'messenger');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect([...p].length).toBeLessThanOrEqual(2000);
      expect(p.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(text.trim().replace(/\s+/g, ' '));
  });
  it('keeps Instagram parts within 1000 UTF-8 bytes, never cutting a character', () => {
    const text = 'Șuvițe și vopsit ✂️ '.repeat(120);
    const parts = splitForPlatform(text, 'instagram');
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(1000);
    expect(parts.join('')).not.toContain('\uFFFD');
  });
  it('falls back to words, then characters, for a sentence with no breaks', () => {
    expect(splitText('a'.repeat(25), 10)).toEqual(['a'.repeat(10), 'a'.repeat(10), 'a'.repeat(5)]);
  });
});

describe('conversation state machine', () => {
  const now = new Date('2026-12-01T10:00:00Z');

  it('records every transition with who, what and when', () => {
    const { next, record } = transition({ state: 'bot' }, { type: 'handoff', reason: 'asked_for_human' }, now);
    expect(next.state).toBe('human');
    expect(record).toEqual({
      from: 'bot',
      to: 'human',
      event: 'handoff',
      at: now.toISOString(),
      by: 'bot',
      reason: 'asked_for_human',
    });
  });
  it('pauses on a reply from the Meta inbox and resumes when the hold runs out', () => {
    const { next } = transition({ state: 'bot' }, { type: 'external_reply', holdMs: 60_000 }, now);
    expect(effectiveState(next, new Date(now.getTime() + 59_000))).toBe('paused');
    expect(effectiveState(next, new Date(now.getTime() + 60_000))).toBe('bot');
  });
  it('refuses transitions that make no sense', () => {
    expect(() => transition({ state: 'human' }, { type: 'handoff', reason: 'x' }, now)).toThrow(TransitionError);
    expect(() => transition({ state: 'bot' }, { type: 'lift_restriction', by: 'u' }, now)).toThrow(TransitionError);
  });
  it('answers only when every condition holds', () => {
    const ok = { state: 'bot' as const, botEnabled: true, entitled: true, contactRestricted: false, windowOpen: true };
    expect(mayBotAnswer(ok)).toEqual({ answer: true });
    expect(mayBotAnswer({ ...ok, state: 'human' })).toEqual({ answer: false, reason: 'not_bot_state' });
    expect(mayBotAnswer({ ...ok, entitled: false })).toEqual({ answer: false, reason: 'not_entitled' });
    expect(mayBotAnswer({ ...ok, contactRestricted: true })).toEqual({ answer: false, reason: 'contact_restricted' });
    expect(mayBotAnswer({ ...ok, windowOpen: false })).toEqual({ answer: false, reason: 'window_closed' });
  });
});

describe('Graph API errors', () => {
  const e = (status: number, code?: number, subcode?: number) => new GraphError(status, code, subcode, undefined, 'x');
  it('retries transient failures and rate limits, never permanent ones', () => {
    expect(classifyGraphError(e(500))).toBe('transient');
    for (const code of [1, 2, 1200]) expect(classifyGraphError(e(400, code))).toBe('transient');
    for (const code of [4, 17, 32, 613]) expect(classifyGraphError(e(400, code))).toBe('rate_limited');
    expect(classifyGraphError(e(429))).toBe('rate_limited');
    expect(classifyGraphError(e(400, 10, 2018278))).toBe('permanent');
    for (const code of [100, 200, 551]) expect(classifyGraphError(e(400, code))).toBe('permanent');
    expect(classifyGraphError(e(400, 190))).toBe('reauth');
  });
  it('backs off with jitter and honours retry-after', () => {
    expect(backoffMs(1, 'transient', undefined, () => 0)).toBe(500);
    expect(backoffMs(3, 'transient', undefined, () => 1)).toBe(4000);
    expect(backoffMs(1, 'rate_limited', 60_000, () => 0)).toBe(60_000);
  });
});

describe('webhook items are judged one by one (property)', () => {
  const dm = {
    sender: { id: '4242' },
    recipient: { id: '777' },
    timestamp: 1700000000000,
    message: { mid: 'm_real_dm', text: 'is it open?' },
  };

  it('finds the real DM in any company of unknown or broken items, and never throws', async () => {
    await checkWithSeed(
      fc.property(fc.constantFrom('page' as const, 'instagram' as const), oddCompany, (object, company) => {
        const envelope = webhookEnvelopeSchema.parse(JSON.parse(JSON.stringify(surround(object, '777', dm, company))));
        const skipped: SkippedItem[] = [];
        const events = flattenEnvelope(envelope, skipped);
        const real = events.filter(
          (e) => e.event.kind === 'message' && (e.event.item.message as { mid?: string }).mid === 'm_real_dm',
        );
        expect(real).toHaveLength(1);
        expect(real[0]?.event).toMatchObject({ accountId: '777', userId: '4242', timestamp: 1700000000000 });
        for (const e of events) {
          expect(e.messageId.length).toBeLessThanOrEqual(128);
          expect(typeof e.event.timestamp).toBe('number');
          expect(Number.isFinite(e.event.timestamp)).toBe(true);
        }
      }),
      500,
    );
  });

  it('keeps account-level items (policy enforcement) and acknowledges those without a person by kind', () => {
    const envelope = webhookEnvelopeSchema.parse({
      object: 'page',
      entry: [
        {
          id: '777',
          time: '1700000000001',
          messaging: [
            {
              recipient: { id: '777' },
              timestamp: '1700000000000',
              'policy-enforcement': { action: 'block', reason: 'spam' },
            },
            { recipient: { id: '777' }, timestamp: 1700000000000, app_roles: { 123: ['primary_receiver'] } },
            { recipient: { id: '777' }, timestamp: 1700000000000, optin: { ref: 'x', user_ref: 'u' } },
            { sender: { id: '4242' }, recipient: { id: '777' }, timestamp: 1, brand_new: {} },
            { sender: { id: '4242' }, recipient: { id: '777' }, timestamp: 1, message: { text: 'no mid' } },
            'not an item',
            dm,
          ],
        },
        { time: 1 },
      ],
    });
    const skipped: SkippedItem[] = [];
    const events = flattenEnvelope(envelope, skipped);
    expect(events.map((e) => e.event.kind)).toEqual(['policy', 'message']);
    expect(events[0]).toMatchObject({ sessionId: 'account:messenger:777', event: { timestamp: 1700000000000 } });
    expect(events[0]?.event.userId).toBeUndefined();
    expect(skipped.map((s) => `${s.kind}:${s.reason}`)).toEqual([
      'handover:no_person',
      'optin:no_person',
      'unknown:unhandled',
      'message:invalid_body',
      'unknown:malformed',
      'entry:malformed',
    ]);
  });

  it('refuses numbers that are not numbers, even when quoted', () => {
    expect(numberish.safeParse('1700000000000').data).toBe(1700000000000);
    for (const bad of ['', '12a', '1e5', '-1', ' 1', '1'.repeat(17), Number.NaN, Number.POSITIVE_INFINITY])
      expect(numberish.safeParse(bad).success, String(bad)).toBe(false);
  });
});
