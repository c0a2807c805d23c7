/**
 * Pure: a gap group without some of its samples. Samples are End-User content; when the last one
 * goes, the topic terms (which were made from their words) go too, and only the count is left.
 */
export interface SampleRef {
  conversationId: string;
  contactId: string;
  messageIds?: string[];
  at: string;
}

export function withoutSamples<G extends { samples: S[]; terms: string[]; vector?: number[] }, S extends SampleRef>(
  gap: G,
  drop: (sample: S) => boolean,
): G {
  const samples = gap.samples.filter((s) => !drop(s));
  if (samples.length === gap.samples.length) return gap;
  if (samples.length > 0) return { ...gap, samples };
  const { vector: _vector, ...rest } = gap;
  return { ...(rest as G), samples, terms: [] };
}
