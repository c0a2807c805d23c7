import { z } from 'zod';

/** Thrown when one or more settings are missing or invalid; the message names every bad setting. */
export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());
const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const intFromString = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every setting the app reads. In Azure these are app settings; locally the local host fills them
 * from local.settings.json (or local.settings.example.json) and the endpoints of its embedded servers.
 */
export const settingsSchema = z.object({
  /** Which environment this is; `production` refuses every local stand-in. */
  ALIAT_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Public base URL of this app, used in links we hand out (deletion status, exports). */
  PUBLIC_BASE_URL: z.url(),

  /** Cosmos DB account endpoint. */
  COSMOS_ENDPOINT: z.url(),
  /** Cosmos DB key; leave empty in Azure to use the managed identity. */
  COSMOS_KEY: optionalText,
  /** Cosmos DB database id. */
  COSMOS_DATABASE: z.string().min(1).default('aliat'),

  /** Blob Storage connection string (local Azurite); leave empty in Azure and set BLOB_ACCOUNT_URL. */
  BLOB_CONNECTION_STRING: optionalText,
  /** Blob Storage account URL, used with the managed identity. */
  BLOB_ACCOUNT_URL: optionalUrl,

  /** Service Bus connection string (the local peer uses UseDevelopmentEmulator=true). */
  ServiceBusConnection: optionalText,
  /** Service Bus namespace host name, used with the managed identity in Azure. */
  ServiceBusConnection__fullyQualifiedNamespace: optionalText,
  /** How long a bus send may take before it fails, in milliseconds. */
  BUS_SEND_TIMEOUT_MS: intFromString(10_000),

  /** Meta app secret: signs webhooks and the data deletion callback. A Key Vault reference in Azure. */
  META_APP_SECRET: z.string().min(16),
  /** The verify token Meta echoes when subscribing the webhook. */
  META_VERIFY_TOKEN: z.string().min(8),
  /** Our Meta app id; echoes carrying it are our own sends. */
  META_APP_ID: z.string().regex(/^\d+$/),
  /** Graph API base URL; the local host points it at its sandbox. */
  META_GRAPH_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().default('https://graph.facebook.com')),
  /** Graph API version, pinned everywhere. */
  META_GRAPH_VERSION: z
    .string()
    .regex(/^v\d+\.\d+$/)
    .default('v25.0'),
  /** Largest webhook body accepted, in bytes (Meta batches up to 1000 updates). */
  META_WEBHOOK_MAX_BYTES: intFromString(1024 * 1024),
  /** Default wait before answering, so a burst of short messages gets one answer (tenants can override). */
  BURST_WAIT_MS: z.coerce.number().int().min(0).default(3000),
  /** Default bot pause after a person answers from Meta's own inbox, in minutes (tenants can override). */
  HUMAN_HOLD_MINUTES: intFromString(60),
  /** First retry delay of a failed Send API call; rate limits wait five times longer. */
  SEND_RETRY_BASE_MS: intFromString(1000),
  /** How long a send interrupted before its record waits for Meta's echo before it is sent again. */
  SEND_ECHO_WAIT_MS: intFromString(120_000),
  /** How long one Send API call may take before it counts as ambiguous (Meta may still have accepted it). */
  META_SEND_TIMEOUT_MS: intFromString(10_000),
  /** Copy attachments from Meta's CDN (its links expire) into Blob Storage. */
  COPY_ATTACHMENTS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Largest attachment copied, in bytes (Meta's own limit is 25 MB). */
  ATTACHMENT_MAX_BYTES: intFromString(25 * 1024 * 1024),
  /** 32-byte key (base64) that encrypts page access tokens; a Key Vault reference in Azure. */
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded'),

  /** Token issuer of the dashboard (the Auth0 tenant URL, with its trailing slash). */
  AUTH_ISSUER: z.url(),
  /** Audience the dashboard's access tokens are minted for (the Auth0 API identifier). */
  AUTH_AUDIENCE: z.string().min(1),
  /** JWKS of the issuer; defaults to the issuer's /.well-known/jwks.json. */
  AUTH_JWKS_URL: optionalUrl,
  /** Dashboard API requests allowed per tenant per minute (per instance). */
  API_RATE_LIMIT_PER_MINUTE: intFromString(600),
  /** Browser origins of the dashboard allowed by CORS, comma-separated (no credentials are ever allowed). */
  DASHBOARD_ORIGINS: z
    .string()
    .default('http://localhost:5173,http://localhost:3000')
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url().refine((o) => new URL(o).origin === o, 'must be an origin: scheme, host and port only'))),
  /** Base URL of the dashboard, for links in e-mails (invitations); defaults to the first dashboard origin. */
  DASHBOARD_URL: optionalUrl,
  /** Shared secret the Auth0 post-login Action sends to POST /api/auth/claims; empty turns that route off. */
  AUTH_ACTION_SECRET: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16).optional()),
  /** Azure Web PubSub endpoint, used with the managed identity in Azure. */
  WEB_PUBSUB_ENDPOINT: optionalUrl,
  /** Web PubSub connection string with an access key (the local stand-in only; Azure has local auth off). */
  WEB_PUBSUB_CONNECTION_STRING: optionalText,
  /** Web PubSub hub of the live inbox. */
  WEB_PUBSUB_HUB: z
    .string()
    .regex(/^[A-Za-z][\w]{0,127}$/)
    .default('inbox'),
  /**
   * Anonymous requests (marketing subscribe and unsubscribe) allowed per route and client address per minute (per
   * instance).
   */
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: intFromString(20),
  /**
   * Proxies of ours in front of the app; the client address is the X-Forwarded-For entry this many hops from the right
   * (Azure's front end: 1).
   */
  TRUSTED_PROXY_HOPS: intFromString(1),

  /** Azure OpenAI endpoint; empty means replies come from the knowledge base alone. */
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  /** Azure OpenAI key; empty in Azure, where the managed identity is used. */
  AZURE_OPENAI_API_KEY: optionalText,
  /** Chat deployment name. */
  AZURE_OPENAI_CHAT_DEPLOYMENT: z.string().min(1).default('gpt-4o-mini'),
  /** Embedding deployment name; empty turns embeddings off (lexical retrieval only). */
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalText,
  /** Azure OpenAI API version. */
  AZURE_OPENAI_API_VERSION: z.string().min(1).default('2024-10-21'),
  /** How long one model call may take before the fallback answers. */
  OPENAI_TIMEOUT_MS: intFromString(15_000),
  /** Retries of a model call on 429/5xx (the SDK honours retry-after). */
  OPENAI_MAX_RETRIES: z.coerce.number().int().min(0).max(5).default(2),

  /** Most bytes a document may unpack to (DOCX zip entries, PDF compressed streams) before it is refused. */
  KB_MAX_INFLATED_BYTES: intFromString(48 * 1024 * 1024),
  /** Most characters of text one document may yield; more fails the document (split it). */
  KB_MAX_DOCUMENT_CHARS: intFromString(500_000),
  /** Most pages a PDF may have. */
  KB_MAX_PDF_PAGES: intFromString(500),
  /** How long reading one document may take, in milliseconds, before it is stopped and marked failed. */
  KB_EXTRACT_TIMEOUT_MS: intFromString(30_000),
  /** Heap (MB) of the worker thread that reads one document; reaching it fails that document only. */
  KB_EXTRACT_MAX_HEAP_MB: intFromString(384),
  /**
   * Knowledge bases whose passages fit this many prompt tokens (o200k tokenizer) go to the model whole; larger ones are
   * retrieved.
   */
  KB_WHOLE_PROMPT_TOKENS: intFromString(3000),

  /** NCRONTAB (UTC) of the daily page-token health check. */
  CHANNEL_HEALTH_SCHEDULE: z.string().min(11).default('0 0 4 * * *'),

  /**
   * How long after an account's erasure it is swept again. A request or queue job that read the account as live just
   * before the deletion began may still write; Azure stops any function run within 10 minutes, so 15 covers them all.
   */
  ACCOUNT_SWEEP_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(15 * 60_000),
  /** NCRONTAB (UTC) of the daily retention purge. */
  RETENTION_SCHEDULE: z.string().min(11).default('0 30 1 * * *'),
  /** NCRONTAB (UTC) of the nightly backup. */
  BACKUP_SCHEDULE: z.string().min(11).default('0 0 2 * * *'),
  /** Stripe secret key (a Key Vault reference in Azure). */
  STRIPE_SECRET_KEY: z.string().min(1),
  /** Stripe webhook signing secret (a Key Vault reference in Azure). */
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  /** Stripe API base URL; the local host points it at its Stripe peer. */
  STRIPE_API_BASE: z.preprocess((v) => (v === '' ? undefined : v), z.url().default('https://api.stripe.com')),
  /** Stripe price ids of the plans. */
  STRIPE_PRICE_STARTER: z.string().min(1).default('price_starter'),
  STRIPE_PRICE_GROWTH: z.string().min(1).default('price_growth'),
  STRIPE_PRICE_PRO: z.string().min(1).default('price_pro'),
  /** Days the bot keeps answering after a failed payment. */
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** SendGrid API key (a Key Vault reference in Azure). */
  SENDGRID_API_KEY: z.string().min(1),
  /** SendGrid API base URL; the local host points it at its mail peer. */
  SENDGRID_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url().default('https://api.sendgrid.com')),
  /** First retry delay of a failed SendGrid call, doubled on each attempt. */
  EMAIL_RETRY_BASE_MS: intFromString(30_000),
  /** Sender of every email. */
  EMAIL_FROM: z.string().min(3).default('Aliat <no-reply@aliat.app>'),
  /** Secret that signs one-click unsubscribe tokens (a Key Vault reference in Azure). */
  UNSUBSCRIBE_SECRET: z.string().min(16),
  /**
   * Key of the keyed hashes (HMAC-SHA256) that stand for people in tombstones, deletion records,
   * exports' records and audit targets (§10): without it nobody can link a raw id to them. A Key
   * Vault reference in Azure; the committed development key is refused in production.
   */
  PSEUDONYM_KEY: z.string().min(32).default('local-development-pseudonym-key-not-secret'),
  /**
   * Secret that signs the opaque page tokens of list routes (a Key Vault reference in Azure; the committed development
   * secret is refused in production).
   */
  PAGE_TOKEN_SECRET: z.string().min(16).default('local-development-page-token-secret'),

  /** The previous token key during a rotation: tokens sealed with it still open, and the daily check re-seals them. */
  TOKEN_ENCRYPTION_KEY_PREVIOUS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
  ),

  /** Client id of the user-assigned managed identity (Azure only). */
  AZURE_CLIENT_ID: optionalText,
  /** Application Insights connection string; when set, traces and logs are exported there. */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText,
  /** Minimum level written by the JSON logger. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** Names of settings that point at a stand-in only the local host provides. */
export interface LocalStandIn {
  setting: keyof Settings;
  why: string;
}

/** The development key and secret committed in local.settings.example.json; never valid in production. */
export const LOCAL_TOKEN_KEY = 'bG9jYWwtZGV2LW9ubHktdG9rZW4ta2V5LTMyYnl0ZXM=';
export const LOCAL_META_APP_SECRET = 'local-dev-meta-app-secret';
export const LOCAL_AUTH_ACTION_SECRET = 'local-development-auth-action-secret';
export const LOCAL_PSEUDONYM_KEY = 'local-development-pseudonym-key-not-secret';
export const LOCAL_PAGE_TOKEN_SECRET = 'local-development-page-token-secret';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    return LOOPBACK.test(new URL(value).hostname);
  } catch {
    return false;
  }
}

/** Pure rule: which settings point at local stand-ins (embedded stores, local bus, sandboxes). */
export function findLocalStandIns(s: Settings): LocalStandIn[] {
  const found: LocalStandIn[] = [];
  if (isLoopbackUrl(s.COSMOS_ENDPOINT))
    found.push({ setting: 'COSMOS_ENDPOINT', why: 'points at the embedded Cosmos DB server' });
  if (s.COSMOS_KEY)
    found.push({ setting: 'COSMOS_KEY', why: 'production uses the managed identity, not an account key' });
  const blob = s.BLOB_CONNECTION_STRING ?? '';
  if (/UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(blob)) {
    found.push({ setting: 'BLOB_CONNECTION_STRING', why: 'points at Azurite' });
  }
  if (isLoopbackUrl(s.BLOB_ACCOUNT_URL)) found.push({ setting: 'BLOB_ACCOUNT_URL', why: 'points at Azurite' });
  if (/UseDevelopmentEmulator=true/i.test(s.ServiceBusConnection ?? '')) {
    found.push({ setting: 'ServiceBusConnection', why: 'points at the local Service Bus peer' });
  }
  if (isLoopbackUrl(s.AUTH_ISSUER)) found.push({ setting: 'AUTH_ISSUER', why: 'points at the local token issuer' });
  if (isLoopbackUrl(s.AUTH_JWKS_URL)) found.push({ setting: 'AUTH_JWKS_URL', why: 'points at the local token issuer' });
  if (isLoopbackUrl(s.AZURE_OPENAI_ENDPOINT))
    found.push({ setting: 'AZURE_OPENAI_ENDPOINT', why: 'points at the local OpenAI peer' });
  if (s.AZURE_OPENAI_API_KEY)
    found.push({ setting: 'AZURE_OPENAI_API_KEY', why: 'production uses the managed identity, not a key' });
  if (isLoopbackUrl(s.STRIPE_API_BASE))
    found.push({ setting: 'STRIPE_API_BASE', why: 'points at the local Stripe peer' });
  if (/^sk_test_|^sk_local/.test(s.STRIPE_SECRET_KEY))
    found.push({ setting: 'STRIPE_SECRET_KEY', why: 'is a test or local key' });
  if (isLoopbackUrl(s.SENDGRID_BASE_URL))
    found.push({ setting: 'SENDGRID_BASE_URL', why: 'points at the local mail peer' });
  if (isLoopbackUrl(s.META_GRAPH_BASE_URL))
    found.push({ setting: 'META_GRAPH_BASE_URL', why: 'points at the local Graph API sandbox' });
  if (isLoopbackUrl(s.WEB_PUBSUB_ENDPOINT))
    found.push({ setting: 'WEB_PUBSUB_ENDPOINT', why: 'points at the local Web PubSub stand-in' });
  if (s.WEB_PUBSUB_CONNECTION_STRING)
    found.push({
      setting: 'WEB_PUBSUB_CONNECTION_STRING',
      why: 'production uses the managed identity (local auth is off), not an access key',
    });
  if (s.TOKEN_ENCRYPTION_KEY === LOCAL_TOKEN_KEY)
    found.push({ setting: 'TOKEN_ENCRYPTION_KEY', why: 'is the published local development key' });
  if (s.PSEUDONYM_KEY === LOCAL_PSEUDONYM_KEY)
    found.push({ setting: 'PSEUDONYM_KEY', why: 'is the published local development key' });
  if (s.META_APP_SECRET === LOCAL_META_APP_SECRET)
    found.push({ setting: 'META_APP_SECRET', why: 'is the published local development secret' });
  if (s.AUTH_ACTION_SECRET === LOCAL_AUTH_ACTION_SECRET)
    found.push({ setting: 'AUTH_ACTION_SECRET', why: 'is the published local development secret' });
  if (s.PAGE_TOKEN_SECRET === LOCAL_PAGE_TOKEN_SECRET)
    found.push({ setting: 'PAGE_TOKEN_SECRET', why: 'is the published local development secret' });
  return found;
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.') || '(root)';
    return `${name}: ${issue.message}`;
  });
}

/** Cross-setting rules that a single field cannot express. */
function crossChecks(s: Settings): string[] {
  const problems: string[] = [];
  if (!s.BLOB_CONNECTION_STRING && !s.BLOB_ACCOUNT_URL) {
    problems.push('BLOB_CONNECTION_STRING / BLOB_ACCOUNT_URL: one of them is required');
  }
  if (!s.ServiceBusConnection && !s.ServiceBusConnection__fullyQualifiedNamespace) {
    problems.push('ServiceBusConnection / ServiceBusConnection__fullyQualifiedNamespace: one of them is required');
  }
  if (s.ALIAT_ENV === 'production') {
    for (const standIn of findLocalStandIns(s)) {
      problems.push(`${standIn.setting}: refused in production because it ${standIn.why}`);
    }
  }
  return problems;
}

/**
 * Parses settings from an environment, collecting every problem at once so start-up fails with a
 * single message that names each bad setting and why.
 */
export function parseSettings(env: Record<string, string | undefined>): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) throw new SettingsError(describeIssues(parsed.error));
  const problems = crossChecks(parsed.data);
  if (problems.length > 0) throw new SettingsError(problems);
  return parsed.data;
}
