import { describe, expect, it } from 'vitest';
import {
  findLocalStandIns,
  LOCAL_META_APP_SECRET,
  LOCAL_PAGE_TOKEN_SECRET,
  LOCAL_TOKEN_KEY,
  parseSettings,
  SettingsError,
} from '../../shared/platform/settings.js';

const meta = {
  STRIPE_SECRET_KEY: 'sk_live_x',
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  SENDGRID_API_KEY: 'SG.real',
  UNSUBSCRIBE_SECRET: 'a-long-unsubscribe-secret',
  PSEUDONYM_KEY: 'a-real-pseudonym-key-from-key-vault-0123',
  PAGE_TOKEN_SECRET: 'a-long-page-token-secret',
  AUTH_ISSUER: 'https://aliat.eu.auth0.com/',
  AUTH_AUDIENCE: 'https://api.aliat.app',
  META_APP_SECRET: 'a-real-looking-app-secret-0123',
  META_VERIFY_TOKEN: 'verify-me-please',
  META_APP_ID: '123456789',
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
};

const valid = {
  ...meta,
  PUBLIC_BASE_URL: 'https://api.aliat.app',
  COSMOS_ENDPOINT: 'https://aliat.documents.azure.com:443/',
  BLOB_ACCOUNT_URL: 'https://aliatdata.blob.core.windows.net',
  ServiceBusConnection__fullyQualifiedNamespace: 'aliat.servicebus.windows.net',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseSettings(env);
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('settings', () => {
  it('accepts a complete Azure configuration and fills defaults', () => {
    const s = parseSettings({ ...valid, ALIAT_ENV: 'production' });
    expect(s.COSMOS_DATABASE).toBe('aliat');
    expect(s.BUS_SEND_TIMEOUT_MS).toBe(10_000);
  });

  it('names every bad setting at once, with why', () => {
    const problems = problemsOf({
      ALIAT_ENV: 'staging',
      COSMOS_ENDPOINT: 'not a url',
      BUS_SEND_TIMEOUT_MS: '-5',
      LOG_LEVEL: 'loud',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining(['ALIAT_ENV', 'PUBLIC_BASE_URL', 'COSMOS_ENDPOINT', 'BUS_SEND_TIMEOUT_MS', 'LOG_LEVEL']),
    );
    expect(problems.find((p) => p.startsWith('COSMOS_ENDPOINT'))).toMatch(/URL/i);
  });

  it('puts every problem in one start-up message', () => {
    expect(() => parseSettings({})).toThrowError(/PUBLIC_BASE_URL[\s\S]*COSMOS_ENDPOINT/);
  });

  it('requires a blob store and a bus, one way or the other', () => {
    const problems = problemsOf({
      ...meta,
      PUBLIC_BASE_URL: valid.PUBLIC_BASE_URL,
      COSMOS_ENDPOINT: valid.COSMOS_ENDPOINT,
    });
    expect(problems.some((p) => p.startsWith('BLOB_CONNECTION_STRING / BLOB_ACCOUNT_URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('ServiceBusConnection'))).toBe(true);
  });

  describe('production refuses local stand-ins', () => {
    const local = {
      META_APP_SECRET: LOCAL_META_APP_SECRET,
      META_VERIFY_TOKEN: 'local-verify-token',
      META_APP_ID: '1',
      TOKEN_ENCRYPTION_KEY: LOCAL_TOKEN_KEY,
      META_GRAPH_BASE_URL: 'http://localhost:7071/local/graph',
      AUTH_ISSUER: 'http://localhost:7071/local/auth/',
      SENDGRID_API_KEY: 'SG.local',
      STRIPE_SECRET_KEY: 'sk_local_development',
      STRIPE_WEBHOOK_SECRET: 'whsec_local',
      UNSUBSCRIBE_SECRET: 'local-development-unsubscribe-secret',
      PAGE_TOKEN_SECRET: LOCAL_PAGE_TOKEN_SECRET,
      AUTH_AUDIENCE: 'https://api.aliat.app',
      PUBLIC_BASE_URL: 'http://localhost:7071',
      COSMOS_ENDPOINT: 'http://127.0.0.1:8081',
      COSMOS_KEY: 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==',
      BLOB_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      ServiceBusConnection:
        'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=l;SharedAccessKey=l;UseDevelopmentEmulator=true',
    };

    it('runs on them in development', () => {
      expect(() => parseSettings(local)).not.toThrow();
    });

    it('names each stand-in it refuses', () => {
      const problems = problemsOf({ ...local, ALIAT_ENV: 'production' });
      for (const name of [
        'COSMOS_ENDPOINT',
        'COSMOS_KEY',
        'BLOB_CONNECTION_STRING',
        'ServiceBusConnection',
        'META_GRAPH_BASE_URL',
        'AUTH_ISSUER',
        'TOKEN_ENCRYPTION_KEY',
        'META_APP_SECRET',
        'PAGE_TOKEN_SECRET',
      ]) {
        expect(problems.some((p) => p.startsWith(`${name}: refused in production`))).toBe(true);
      }
    });

    it('treats Azurite by address as a stand-in too', () => {
      const s = parseSettings({ ...valid, BLOB_ACCOUNT_URL: 'http://127.0.0.1:10000/devstoreaccount1' });
      expect(findLocalStandIns(s).map((f) => f.setting)).toEqual(['BLOB_ACCOUNT_URL']);
    });
  });
});
