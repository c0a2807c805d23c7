import { errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { JwksCache } from './jwks-cache.js';
import { problems } from './problem.js';
import type { Settings } from './settings.js';

/**
 * Tenant and role come from namespaced custom claims that an Auth0 post-login Action copies from the
 * user's app_metadata. We chose these over Auth0 Organizations' `org_id` because our tenant id is
 * ours (no mapping table from Auth0 org ids), staff have no tenant at all, and the role travels in
 * the same signed token.
 */
export const CLAIM_NAMESPACE = 'https://aliat.app/';
export const TENANT_CLAIM = `${CLAIM_NAMESPACE}tenant_id`;
export const ROLE_CLAIM = `${CLAIM_NAMESPACE}role`;

export const roleSchema = z.enum(['owner', 'admin', 'agent', 'staff']);
export type Role = z.infer<typeof roleSchema>;

/** Who is calling, from a verified token only. */
export interface Principal {
  sub: string;
  role: Role;
  /** Absent for Aliat staff. */
  tenantId?: string;
  email?: string;
  /** `amr` contains `mfa`. */
  mfa: boolean;
}

const claimsSchema = z.looseObject({
  sub: z.string().min(1),
  [ROLE_CLAIM]: roleSchema,
  [TENANT_CLAIM]: z.string().min(1).optional(),
  email: z.string().optional(),
  amr: z.array(z.string()).optional(),
});

let cache: { url: string; jwks: JwksCache } | undefined;

function jwksFor(settings: Settings): JwksCache {
  const url = settings.AUTH_JWKS_URL ?? new URL('.well-known/jwks.json', settings.AUTH_ISSUER).href;
  if (cache?.url !== url) cache = { url, jwks: new JwksCache(url) };
  return cache.jwks;
}

/**
 * Verifies a dashboard access token: RS256 only, issuer, audience, expiry (required) and
 * not-before. Every failure is a 401 that says no more than it must.
 */
export async function authenticate(
  authorization: string | null,
  settings: Settings,
  options: { signup?: boolean } = {},
): Promise<Principal> {
  // RFC 6750: the scheme is case-insensitive ("bearer" is as good as "Bearer").
  const scheme = /^bearer[ ]+/i.exec(authorization ?? '');
  if (!scheme) throw problems.unauthorized('Send an access token as "Authorization: Bearer <token>".');
  const match = /^([\w-]+\.[\w-]+\.[\w-]*)[ ]*$/.exec((authorization as string).slice(scheme[0].length));
  if (!match) throw problems.unauthorized('The token is not valid.', 'invalid_token');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(match[1] as string, jwksFor(settings).getKey, {
      algorithms: ['RS256'],
      issuer: settings.AUTH_ISSUER,
      audience: settings.AUTH_AUDIENCE,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: 30,
    }));
  } catch (error) {
    const reason = error instanceof errors.JWTExpired ? 'The token has expired.' : 'The token is not valid.';
    throw problems.unauthorized(reason, 'invalid_token');
  }
  if (
    options.signup &&
    payload[ROLE_CLAIM] === undefined &&
    payload[TENANT_CLAIM] === undefined &&
    typeof payload.sub === 'string'
  ) {
    // A person who signed up with Auth0 but has no Aliat account yet.
    return {
      sub: payload.sub,
      role: 'owner',
      email: typeof payload.email === 'string' ? payload.email : undefined,
      mfa: false,
    };
  }
  if (payload[ROLE_CLAIM] === undefined && payload[TENANT_CLAIM] === undefined && typeof payload.sub === 'string')
    throw problems.noAccount();
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw problems.unauthorized('The token lacks the tenant or role claims.', 'invalid_token');
  const role = claims.data[ROLE_CLAIM] as Role;
  const tenantId = claims.data[TENANT_CLAIM] as string | undefined;
  if (role !== 'staff' && !tenantId) throw problems.unauthorized('The token names no tenant.', 'invalid_token');
  return {
    sub: claims.data.sub,
    role,
    tenantId: role === 'staff' ? undefined : tenantId,
    email: claims.data.email,
    mfa: claims.data.amr?.includes('mfa') ?? false,
  };
}
