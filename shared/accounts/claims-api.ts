import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { json, readJson } from '../platform/http.js';
import { HttpProblem, problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { claimsOf } from './membership-claims.js';
import { tenantRepositoryOf } from './tenants.js';

const claimsRequestSchema = z.strictObject({ sub: z.string().min(1).max(200) });

function sameSecret(given: string, expected: string): boolean {
  // Hash both so the comparison is constant-time whatever their lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * POST /api/auth/claims: what the Auth0 post-login Action (infra/auth0/post-login.cjs) asks at every
 * login. It authenticates with the shared AUTH_ACTION_SECRET, not with a person's token, because it
 * runs before the person has one.
 */
export async function claimsHandler(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const secret = rt.settings.AUTH_ACTION_SECRET;
  if (!secret) throw problems.unavailable('The claims endpoint is not configured (AUTH_ACTION_SECRET).');
  const given = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
  if (!sameSecret(given, secret))
    throw new HttpProblem(
      401,
      'unauthorized',
      'Authentication failed',
      'Send the Action secret as "Authorization: Bearer <secret>".',
      undefined,
      { 'www-authenticate': 'Bearer' },
    );
  const body = await readJson(request, claimsRequestSchema, 4096);
  return json(200, await claimsOf(tenantRepositoryOf(rt), body.sub), { 'cache-control': 'no-store' });
}
