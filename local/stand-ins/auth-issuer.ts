import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type JWK, SignJWT } from 'jose';
import { ROLE_CLAIM, TENANT_CLAIM } from '../../shared/platform/principal.js';
import { type StandIn, type StandInRequest, standInJson } from '../stand-in.js';
import type { HostView } from './host-view.js';

/** What a test or the demo asks the local issuer to put in a token. */
export interface TokenRequest {
  sub: string;
  /** Without a role the token carries no tenant and no role: a person who has not signed up yet. */
  role?: 'owner' | 'admin' | 'agent' | 'staff';
  tenantId?: string;
  email?: string;
  mfa?: boolean;
  /** Seconds until expiry (default one hour). */
  expiresIn?: number;
}

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

interface ActionApi {
  accessToken: { setCustomClaim(name: string, value: unknown): void };
  access: { deny(reason: string): void };
}
type PostLoginAction = (event: unknown, api: ActionApi) => Promise<void>;

/** The Auth0 post-login Action from infra/auth0, found from the source tree or from dist/. */
function loadPostLoginAction(): PostLoginAction {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'infra', 'auth0', 'post-login.cjs');
    if (existsSync(file))
      return (createRequire(import.meta.url)(file) as { onExecutePostLogin: PostLoginAction }).onExecutePostLogin;
    dir = dirname(dir);
  }
  throw new Error('infra/auth0/post-login.cjs not found');
}

/**
 * The local stand-in for Auth0 at /local/auth: an RS256 key pair, its JWKS at
 * /local/auth/.well-known/jwks.json, and POST /local/auth/token, which logs a person in the way Auth0
 * does: it runs the repository's own post-login Action (infra/auth0/post-login.cjs) against this
 * host, so `{"sub": "..."}` gets exactly the claims that person would get from Auth0 now.
 */
export class AuthIssuer implements StandIn {
  readonly name = 'auth';
  private privateKey!: SigningKey;
  private jwk!: JWK;
  kid: string = randomUUID();
  /** Set to make the JWKS endpoint fail (an outage test). */
  jwksDown = false;

  constructor(
    private readonly host: HostView,
    /** Where the key pair is kept between runs (npm start), so tokens survive a restart. */
    private readonly keyFile?: string,
  ) {}

  async init(): Promise<this> {
    if (this.keyFile && existsSync(this.keyFile)) {
      const saved = JSON.parse(readFileSync(this.keyFile, 'utf8')) as {
        kid: string;
        privateKey: string;
        publicKey: string;
      };
      this.kid = saved.kid;
      this.privateKey = await importPKCS8(saved.privateKey, 'RS256', { extractable: true });
      this.jwk = {
        ...(await exportJWK(await importSPKI(saved.publicKey, 'RS256', { extractable: true }))),
        kid: this.kid,
        alg: 'RS256',
        use: 'sig',
      };
      return this;
    }
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = privateKey;
    this.jwk = { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
    if (this.keyFile) {
      mkdirSync(dirname(this.keyFile), { recursive: true });
      writeFileSync(
        this.keyFile,
        JSON.stringify({
          kid: this.kid,
          privateKey: await exportPKCS8(privateKey),
          publicKey: await exportSPKI(publicKey),
        }),
        { mode: 0o600 },
      );
    }
    return this;
  }

  get issuer(): string {
    return this.host.runtime.settings.AUTH_ISSUER;
  }

  /** Mints an access token with exactly the claims asked for. */
  async token(request: TokenRequest): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      ...(request.role ? { [ROLE_CLAIM]: request.role } : {}),
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

  /**
   * Logs a person in as Auth0 would: runs the post-login Action, which asks this host's
   * /api/auth/claims for their membership, and mints a token with the claims it set.
   */
  async login(person: {
    sub: string;
    email?: string;
    mfa?: boolean;
    staff?: boolean;
    expiresIn?: number;
  }): Promise<string> {
    const claims: Record<string, unknown> = {};
    let denied: string | undefined;
    const action = loadPostLoginAction();
    await action(
      {
        user: { user_id: person.sub, ...(person.email ? { email: person.email, email_verified: true } : {}) },
        authorization: { roles: person.staff ? ['aliat-staff'] : [] },
        secrets: {
          ALIAT_API_BASE: this.host.url,
          ALIAT_ACTION_SECRET: this.host.runtime.settings.AUTH_ACTION_SECRET ?? '',
        },
      },
      {
        accessToken: {
          setCustomClaim: (name, value) => {
            claims[name] = value;
          },
        },
        access: {
          deny: (reason) => {
            denied = reason;
          },
        },
      },
    );
    if (denied) throw new LoginDenied(denied);
    return this.token({
      sub: person.sub,
      role: claims[ROLE_CLAIM] as TokenRequest['role'],
      tenantId: claims[TENANT_CLAIM] as string | undefined,
      email: claims.email as string | undefined,
      mfa: person.mfa,
      expiresIn: person.expiresIn,
    });
  }

  /** Signs arbitrary claims and header fields with the issuer's key (token-attack tests). */
  async signCustom(claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT', ...header })
      .sign(this.privateKey);
  }

  async handle(req: StandInRequest) {
    const cors = { 'access-control-allow-origin': '*' };
    if (req.method === 'OPTIONS') {
      // The local login page of a browser test calls this issuer from another origin.
      return {
        status: 204,
        headers: [
          ['access-control-allow-origin', '*'],
          ['access-control-allow-methods', 'GET, POST'],
          ['access-control-allow-headers', 'content-type'],
        ] as Array<[string, string]>,
        body: Buffer.alloc(0),
      };
    }
    if (req.path === '/.well-known/jwks.json' && req.method === 'GET') {
      if (this.jwksDown) return standInJson(503, { error: 'jwks unavailable' });
      return standInJson(200, { keys: [this.jwk] }, cors);
    }
    if (req.path === '/token' && req.method === 'POST') {
      let body: TokenRequest & { staff?: boolean };
      try {
        body = JSON.parse(req.body.toString('utf8') || '{}') as TokenRequest & { staff?: boolean };
      } catch {
        return standInJson(400, { error: 'the body is not JSON' }, cors);
      }
      if (typeof body.sub !== 'string' || !body.sub) return standInJson(400, { error: 'sub is required' }, cors);
      try {
        // With a role, the caller (a test, a script) says exactly what to mint; with only sub, it is a login.
        const token = body.role ? await this.token(body) : await this.login(body);
        return standInJson(
          200,
          { access_token: token, token_type: 'Bearer', expires_in: body.expiresIn ?? 3600 },
          cors,
        );
      } catch (error) {
        if (error instanceof LoginDenied)
          return standInJson(403, { error: 'access_denied', error_description: error.message }, cors);
        throw error;
      }
    }
    return undefined;
  }
}

/** The post-login Action refused the login. */
export class LoginDenied extends Error {}
