import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChannelClaim, claimProblem, type GraphFacts } from '../../shared/channels/ownership.js';
import { checkWithSeed } from '../helpers/meta-arbitraries.js';

// A small pool of ids, so claims and facts often name the same ones (the interesting cases).
const id = fc.constantFrom('100', '200', '17841400', '17841401');
const claim = fc.record({
  platform: fc.constantFrom<'messenger' | 'instagram'>('messenger', 'instagram'),
  accountId: id,
  pageId: id,
  pageAccessToken: fc.constant('EAA.token-of-some-page'),
});
const facts = fc.record({ tokenPageId: id, linkedInstagramId: fc.option(id, { nil: undefined }) });

describe('channel ownership proof (issue 12, defect 2)', () => {
  it('accepts a claim only when the token is the Page’s and the account is that Page (Messenger) or its linked account (Instagram)', async () => {
    await checkWithSeed(
      fc.property(claim, facts, (c: ChannelClaim, f: GraphFacts) => {
        const proven =
          f.tokenPageId === c.pageId &&
          (c.platform === 'messenger' ? c.accountId === c.pageId : f.linkedInstagramId === c.accountId);
        expect(claimProblem(c, f) === undefined).toBe(proven);
      }),
      500,
    );
  });

  it('blames the token first, so a stranger’s token never learns anything about the account', () => {
    const problem = claimProblem(
      { platform: 'instagram', accountId: '17841401', pageId: '200', pageAccessToken: 'x'.repeat(20) },
      { tokenPageId: '100', linkedInstagramId: '17841401' },
    );
    expect(problem).toEqual({ field: 'pageAccessToken', message: 'does not belong to pageId' });
  });
});
