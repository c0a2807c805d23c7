import type { DeadLetterStore } from '../platform/dead-letters.js';
import { NotFoundError } from '../platform/domain-errors.js';

/** How many dead letters one "all" action takes at most. */
const ALL_AT_ONCE = 500;

/**
 * Replays (sends back to their queue) or discards dead letters: the ones named, or all of a
 * queue's. Nothing to act on is NotFoundError. Returns the result per message.
 */
export async function actOnDeadLetters(
  store: DeadLetterStore,
  action: 'replay' | 'discard',
  queue: string,
  which: { all?: true | undefined; sequenceNumbers?: number[] | undefined },
): Promise<Array<{ sequenceNumber: number; ok: boolean }>> {
  const targets = which.all
    ? (await store.list(queue, ALL_AT_ONCE)).map((d) => d.sequenceNumber)
    : (which.sequenceNumbers ?? []);
  if (targets.length === 0) throw new NotFoundError('dead letter');
  const results = [];
  for (const seq of targets)
    results.push({
      sequenceNumber: seq,
      ok: action === 'replay' ? await store.replay(queue, seq) : await store.discard(queue, seq),
    });
  return results;
}
