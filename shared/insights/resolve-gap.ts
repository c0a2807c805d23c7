import { ConflictError, NotFoundError } from '../platform/domain-errors.js';
import type { Clock } from '../platform/runtime.js';
import { gapTopic } from './gaps.js';
import type { GapDoc } from './insights-documents.js';
import type { InsightsRepository } from './insights-repository.js';

/** The FAQ entry an answered gap becomes; the knowledge slice stores and re-indexes it. */
export interface FaqAnswer {
  question: string;
  answer: string;
}

export interface ResolveGapDeps {
  insights: InsightsRepository;
  clock: Clock;
  /** A fresh knowledge-base entry id, named on the gap before the entry exists. */
  newEntryId: () => string;
  /** Stores the FAQ entry and marks the knowledge base changed. */
  addFaq: (entryId: string, faq: FaqAnswer, at: string) => Promise<void>;
}

const ALREADY = 'This gap is already resolved.';

/**
 * Answers a gap: the owner's answer becomes a knowledge-base FAQ and the gap is closed. The gap is
 * claimed first, so two owners answering at once make one FAQ, not two.
 */
export async function resolveGap(
  deps: ResolveGapDeps,
  tenantId: string,
  actorSub: string,
  gapId: string,
  input: { answer: string; question?: string | undefined },
): Promise<GapDoc> {
  const gap = await deps.insights.getGap(tenantId, gapId);
  if (!gap) throw new NotFoundError('gap');
  if (gap.status === 'resolved') throw new ConflictError(ALREADY);
  const question = input.question ?? gapTopic(gap);
  const now = deps.clock.now().toISOString();
  const entryId = deps.newEntryId();
  let claimed = false;
  const saved = await deps.insights.updateGap(tenantId, gap.id, (g) => {
    if (g.status === 'resolved') return undefined;
    claimed = true;
    return { ...g, status: 'resolved', resolvedAt: now, resolvedBy: actorSub, faqEntryId: entryId };
  });
  if (!claimed || !saved) throw new ConflictError(ALREADY);
  await deps.addFaq(entryId, { question, answer: input.answer }, now);
  return saved;
}
