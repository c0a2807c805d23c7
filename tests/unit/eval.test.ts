import { describe, expect, it } from 'vitest';
import {
  businesses,
  evalRoot,
  questionsOf,
  runEval,
  runFresh,
  score,
  splitViolations,
  TARGETS,
} from '../../scripts/eval-harness.js';

/**
 * The eval (eval/businesses, `npm run eval`) as a test, on the held-out split. The targets
 * are asserted where they are met; where they are not yet met, the floor measured is asserted
 * instead, so the number cannot slip back unnoticed (see docs/knowledge.md for the table). Lowered
 * once, from 0.76 on 2026-12-06 to 0.75 on 2026-12-07, by a rule that stops a follow-up from
 * repeating the last answer when it clearly asks something else (even on tune and dev, one held-out
 * answer became a handoff; see the third round in docs/knowledge.md); back at 0.76 after the fourth round, 0.78
 * (56/72) after the fifth.
 */
const MEASURED_FLOOR = { fallbackRight: 0.77 } as const;
/**
 * eval/fresh, measured on 2026-12-06 before anything was tuned to it: right facts can only rise, wrong answers only fall.
 */
const FRESH_MEASURED = { fallbackRight: 0.2, fallbackWrongAnswers: 13 } as const;
/**
 * eval/dev-kinds, measured on 2026-12-07 (the first four: 0.57 and 21 wrong when written; with the vet and the dry
 * cleaner, written later the same day, 130 of 204 and 16 wrong), raised as rules are tuned on it.
 */
const DEV_KINDS_MEASURED = { fallbackRight: 0.75, fallbackWrongAnswers: 8 } as const;

describe('eval: four businesses, EN/RO, held-out split', async () => {
  const outcomes = (await runEval()).filter((o) => o.question.split === 'heldout');
  const fallback = score(outcomes.filter((o) => o.mode === 'fallback'));
  const scripted = score(outcomes.filter((o) => o.mode === 'scripted'));

  it('keeps every question in the split it was written in', () => {
    for (const b of businesses()) expect(splitViolations(questionsOf(b)), b).toEqual([]);
  });
  it('scripted model (the retrieval ceiling): right fact at the target, no unanswerable question answered', () => {
    expect(scripted.rightRate).toBeGreaterThanOrEqual(TARGETS.scripted);
    expect(scripted.unanswerableAnswered).toBe(0);
  });
  it('replies in the question language, in both modes', () => {
    expect(fallback.languageRate).toBe(TARGETS.language);
    expect(scripted.languageRate).toBe(TARGETS.language);
  });
  it(`fallback: right fact at least ${MEASURED_FLOOR.fallbackRight} (measured floor; target ${TARGETS.fallback} not met yet)`, () => {
    expect(fallback.rightRate).toBeGreaterThanOrEqual(MEASURED_FLOOR.fallbackRight);
  });
  it('fallback: no unanswerable question answered (the target)', () => {
    expect(fallback.unanswerableAnswered).toBe(0);
  });
});

/**
 * The businesses of another folder: their shape, the scripted model's ceiling, and the fallback's measured
 * floor (right facts can only rise, wrong answers only fall).
 */
function otherKinds(
  folder: 'fresh' | 'dev-kinds',
  title: string,
  measured: { fallbackRight: number; fallbackWrongAnswers: number },
  businessCount: number,
) {
  describe(title, async () => {
    const outcomes = await runFresh(3000, folder);
    const fallback = score(outcomes.filter((o) => o.mode === 'fallback'));
    const scripted = score(outcomes.filter((o) => o.mode === 'scripted'));

    it(`holds ${businessCount} businesses of 40 questions each, six of them unanswerable`, () => {
      const root = evalRoot(folder);
      expect(businesses(root)).toHaveLength(businessCount);
      for (const b of businesses(root)) {
        const qs = questionsOf(b, root);
        expect(qs, b).toHaveLength(40);
        expect(
          qs.filter((q) => q.expect === null),
          b,
        ).toHaveLength(6);
        expect(new Set(qs.map((q) => q.split)), b).toEqual(new Set([folder]));
      }
    });
    it('scripted model: every answerable question right, no unanswerable one answered', () => {
      expect(scripted.rightRate).toBe(1);
      expect(scripted.unanswerableAnswered).toBe(0);
    });
    it(`fallback: right fact at least ${measured.fallbackRight}, at most ${measured.fallbackWrongAnswers} wrong answers (measured, not a target)`, () => {
      expect(fallback.rightRate).toBeGreaterThanOrEqual(measured.fallbackRight);
      expect(fallback.wrongAnswers).toBeLessThanOrEqual(measured.fallbackWrongAnswers);
    });
  });
}

otherKinds('fresh', 'eval: fresh businesses of kinds never tuned on (eval/fresh)', FRESH_MEASURED, 8);
otherKinds('dev-kinds', 'eval: six more kinds, written blind and tuned on (eval/dev-kinds)', DEV_KINDS_MEASURED, 6);
