import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../functions/api-routes.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the README examples the API accepts', () => {
  it('gives a sandbox Page token that connecting a channel accepts (outside audit m4)', () => {
    const example = /the sandbox takes any `pageAccessToken`[\s\S]*?e\.g\. `(EAA\.<pageId>\.[^`]+)`/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const connect = API_ROUTES.find((r) => r.name === 'v1-channels-connect');
    const pageId = '555001';
    const parsed = connect?.body?.safeParse({
      platform: 'messenger',
      accountId: pageId,
      pageId,
      name: 'P',
      pageAccessToken: (example as string).replace('<pageId>', pageId),
    });
    expect(parsed?.success, JSON.stringify(parsed?.error?.issues)).toBe(true);
  });
});
