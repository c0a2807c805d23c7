import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ThreadMessage } from '../../shared/messaging/graph-client.js';
import { findEarlierSend } from '../../shared/messaging/send-confirmation.js';
import { checkWithSeed } from '../helpers/meta-arbitraries.js';

const message = fc.record({
  id: fc.constantFrom('m_1', 'm_2', 'm_3', 'm_4'),
  createdTime: fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.constant(Number.NaN)),
  text: fc.constantFrom('See you at 10!', 'see you at 10!', 'Hi'),
  fromId: fc.constantFrom('page', 'person'),
});

describe('finding an earlier send in a Conversations API thread (issue 12, defect 6)', () => {
  it('picks only the account’s own message with the same text, not older than the part, not owned by another record', async () => {
    await checkWithSeed(
      fc.property(
        fc.array(message, { maxLength: 8 }),
        fc.subarray(['m_1', 'm_2', 'm_3', 'm_4']),
        (thread: ThreadMessage[], owned: string[]) => {
          const want = { fromId: 'page', text: 'See you at 10!', notBefore: 1_000, taken: new Set(owned) };
          const qualifies = (m: ThreadMessage) =>
            m.fromId === 'page' && m.text === want.text && !want.taken.has(m.id) && !(m.createdTime < want.notBefore);
          const found = findEarlierSend(thread, want);
          if (found) expect(qualifies(found)).toBe(true);
          else expect(thread.some(qualifies)).toBe(false);
        },
      ),
      500,
    );
  });

  it('keeps a message whose time Meta left unreadable rather than resending', () => {
    const thread: ThreadMessage[] = [{ id: 'm_9', createdTime: Number.NaN, text: 'ok', fromId: 'page' }];
    expect(findEarlierSend(thread, { fromId: 'page', text: 'ok', notBefore: 5, taken: new Set() })?.id).toBe('m_9');
  });
});
