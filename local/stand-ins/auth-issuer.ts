import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { ROLE_CLAIM, TENANT_CLAIM } from '../../shared/auth/principal.js';
import type { LocalHost } from '../host.js';
import { type StandIn, type StandInRequest, standInJson } from '../stand-in.js';

/** What a test or the demo asks the local issuer to put in a token. */
export interface TokenRequest {
  sub: string;
  role: 'owner' | 'admin' | 'agent' | 'staff';
  tenantId?: string;
  email?: string;
  mfa?: boolean;
  /** Seconds until expiry (default one hour). */
  expiresIn?: number;
}

/**
 * The local stand-in for Auth0 at /local/auth: an RS256 key pair, its JWKS at
 * /local/auth/.well-known/jwks.json, and POST /local/auth/token minting access tokens with the
 * same claims the Auth0 post-login Action adds.
 */
export class AuthIssuer implements StandIn {
  readonly name = 'auth';
  private privateKey!: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  private jwk!: JWK;
  readonly kid = randomUUID();
  /** Set to make the JWKS endpoint fail (an outage test). */
  jwksDown = false;

  constructor(private readonly host: LocalHost) {}

  async init(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = privateKey;
    this.jwk = { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
    return this;
  }

  get issuer(): string {
    return this.host.runtime.settings.AUTH_ISSUER;
  }

  /** Mints an access token. */
  async token(request: TokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      [ROLE_CLAIM]: request.role,
      ...(request.tenantId ? { [TENANT_CLAIM]: request.tenantId } : {}),
      ...(request.email ? { email: request.email } : {}),
      amr: request.mfa ? ['pwd', 'mfa'] : ['pwd'],
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.host.runtime.settings.AUTH_AUDIENCE)
      .setSubject(request.sub)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + (request.expiresIn ?? 3600))
      .sign(this.privateKey);
  }

  /** Signs arbitrary claims and header fields with the issuer's key (token-attack tests). */
  async signCustom(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT', ...header }).sign(this.privateKey);
  }

  async handle(req: StandInRequest) {
    if (req.path === '/.well-known/jwks.json' && req.method === 'GET') {
      if (this.jwksDown) return standInJson(503, { error: 'jwks unavailable' });
      return standInJson(200, { keys: [this.jwk] });
    }
    if (req.path === '/token' && req.method === 'POST') {
      const body = JSON.parse(req.body.toString('utf8') || '{}') as TokenRequest;
      if (!body.sub || !body.role) return standInJson(400, { error: 'sub and role are required' });
      return standInJson(200, { access_token: await this.token(body), token_type: 'Bearer', expires_in: body.expiresIn ?? 3600 });
    }
    return undefined;
  }
}
