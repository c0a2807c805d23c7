import { deadLetterStore } from '../platform/dead-letters.js';
import { QUEUES } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';

const DAY = 86_400_000;

/** Pure: does a message body name any of these ids? Bodies are JSON; ids are matched as whole strings. */
export function bodyNames(body: unknown, needles: string[]): boolean {
  const text =
    typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? null);
  return needles.some((n) => n.length > 0 && text.includes(n));
}

/**
 * §9, Art. 17: removes every dead letter, in every queue, whose body names the subject (a platform
 * user id, a contact, conversation or tenant id, a connected account). Azure dead letters never
 * expire on their own, so erasure must reach them. Returns how many were removed.
 */
export async function eraseDeadLettersAbout(rt: Runtime, needles: string[]): Promise<number> {
  const ids = needles.filter(Boolean);
  if (ids.length === 0) return 0;
  const store = deadLetterStore(rt);
  let n = 0;
  for (const q of Object.values(QUEUES)) n += await store.eraseMatching(q.name, (m) => bodyNames(m.body, ids));
  return n;
}

/** The daily retention of dead letters: older than `days`, they are removed for good. */
export async function purgeDeadLetters(rt: Runtime, days: number): Promise<number> {
  const cutoff = rt.clock.now().getTime() - days * DAY;
  const store = deadLetterStore(rt);
  let n = 0;
  for (const q of Object.values(QUEUES)) n += await store.eraseMatching(q.name, (m) => m.enqueuedAt.getTime() < cutoff);
  return n;
}
