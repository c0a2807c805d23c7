import { describe, expect, it } from 'vitest';
import { actOnDeadLetters } from '../../shared/operations/dead-letter-actions.js';
import type { DeadLetterStore } from '../../shared/platform/dead-letters.js';
import { NotFoundError } from '../../shared/platform/domain-errors.js';

function fakeStore(sequenceNumbers: number[]): DeadLetterStore & { done: string[] } {
  const done: string[] = [];
  return {
    done,
    list: async () =>
      sequenceNumbers.map((sequenceNumber) => ({
        queue: 'emails',
        sequenceNumber,
        messageId: `m${sequenceNumber}`,
        deliveryCount: 5,
        enqueuedAt: '2026-12-01T10:00:00.000Z',
      })),
    replay: async (_q, seq) => {
      done.push(`replay:${seq}`);
      return sequenceNumbers.includes(seq);
    },
    discard: async (_q, seq) => {
      done.push(`discard:${seq}`);
      return sequenceNumbers.includes(seq);
    },
    eraseMatching: async () => 0,
  };
}

describe('operations use-cases', () => {
  it('replays every dead letter of a queue, or discards the ones named, with a result each', async () => {
    const store = fakeStore([3, 4]);
    expect(await actOnDeadLetters(store, 'replay', 'emails', { all: true })).toEqual([
      { sequenceNumber: 3, ok: true },
      { sequenceNumber: 4, ok: true },
    ]);
    expect(await actOnDeadLetters(store, 'discard', 'emails', { sequenceNumbers: [4, 9] })).toEqual([
      { sequenceNumber: 4, ok: true },
      { sequenceNumber: 9, ok: false },
    ]);
    expect(store.done).toEqual(['replay:3', 'replay:4', 'discard:4', 'discard:9']);
  });

  it('answers NotFoundError when there is nothing to act on', async () => {
    await expect(actOnDeadLetters(fakeStore([]), 'replay', 'emails', { all: true })).rejects.toEqual(
      new NotFoundError('dead letter'),
    );
  });
});
