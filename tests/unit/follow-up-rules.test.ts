import { describe, expect, it } from 'vitest';
import { evalRoot, loadBusiness } from '../../scripts/eval-harness.js';
import { defaultBotSettings } from '../../shared/accounts/bot-settings.js';
import { decideFallback } from '../../shared/replies/fallback-reply.js';

/**
 * Follow-ups on two of the eval's development businesses (eval/dev-kinds), turn by turn as the reply job
 * reads them: the second message with the first as the previous turn and the first answer as the focus.
 */
function conversation(business: string) {
  const { index, keyOf } = loadBusiness(business, evalRoot('dev-kinds'));
  return (first: string, second: string) => {
    const opening = decideFallback(index.facts, first);
    const focus = opening.hit ? [opening.hit.chunk.id] : [];
    const reply = decideFallback(index.facts, second, first, focus);
    return {
      first: opening.hit && keyOf.get(opening.hit.chunk.id),
      second: reply.hit && keyOf.get(reply.hit.chunk.id),
      confidence: reply.confidence,
    };
  };
}

describe('the fallback reads a follow-up with the conversation', () => {
  const tattoo = conversation('tattoo');
  const garage = conversation('garage');

  it('lets the conversation decide between passages the new message names equally', () => {
    // Alone, "sessions" fits the preparation FAQ and the payment policy as well as the laser service.
    expect(tattoo('do you do laser removal?', 'how many sessions will I need?')).toMatchObject({
      first: 'svc-laser',
      second: 'svc-laser',
    });
  });
  it('is as sure as the surer reading when both readings find the same fact', () => {
    const r = garage('faceti diagnoza?', 'daca fac reparatia la voi mai platesc diagnoza?');
    expect(r).toMatchObject({ first: 'svc-diag', second: 'svc-diag' });
    expect(r.confidence).toBeGreaterThanOrEqual(defaultBotSettings().handoffThreshold);
  });
  it('keeps a new message that names something else clearly on its own topic', () => {
    expect(tattoo('do you do laser removal?', 'do you take a deposit?').second).not.toBe('svc-laser');
  });
});
