import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registrations } from '../../local/functions-core.js';
import { BLOB_CONTAINERS } from '../../shared/platform/blob.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { QUEUES, type QueueDefinition } from '../../shared/platform/queues.js';

const infra = new URL('../../infra/', import.meta.url);
const files = ['main.bicep', ...readdirSync(new URL('modules/', infra)).map((f) => `modules/${f}`)];
const text = Object.fromEntries(files.map((f) => [f, readFileSync(new URL(f, infra), 'utf8')]));
const all = Object.values(text).join('\n');
const main = text['main.bicep'] as string;

/** The `name` of every resource declared in a file, with its body up to the next resource. */
function resources(source: string): Array<{ type: string; body: string }> {
  return source
    .split(/\nresource /)
    .slice(1)
    .map((chunk) => ({ type: /'([^@']+)@/.exec(chunk)?.[1] ?? '', body: chunk }));
}

describe('infrastructure as code', () => {
  it('puts every resource in the one EU region parameter, defaulting to West Europe', () => {
    expect(main).toMatch(/param location string = 'westeurope'/);
    expect(main).toMatch(/@allowed\(\['westeurope', 'northeurope', 'swedencentral', 'francecentral', 'germanywestcentral'\]\)/);
    for (const [file, source] of Object.entries(text)) {
      for (const r of resources(source)) {
        if (r.body.includes(' existing = {')) continue;
        const loc = /\n\s+location: ([^\n]+)/.exec(r.body)?.[1]?.trim();
        if (!loc) continue;
        if (['Microsoft.Insights/actionGroups', 'Microsoft.Insights/metricAlerts'].includes(r.type)) expect(loc, `${file} ${r.type}`).toBe("'global'");
        else expect(loc, `${file} ${r.type}`).toBe('location');
      }
    }
  });

  it('turns on TLS 1.2 and HTTPS, and turns off local auth and shared keys', () => {
    expect(text['modules/storage.bicep']).toMatch(/minimumTlsVersion: 'TLS1_2'/);
    expect(text['modules/storage.bicep']).toMatch(/supportsHttpsTrafficOnly: true/);
    expect(text['modules/storage.bicep']).toMatch(/allowSharedKeyAccess: false/);
    expect(text['modules/storage.bicep']).toMatch(/allowBlobPublicAccess: false/);
    expect(text['modules/cosmos.bicep']).toMatch(/disableLocalAuth: true/);
    expect(text['modules/cosmos.bicep']).toMatch(/minimalTlsVersion: 'Tls12'/);
    expect(text['modules/servicebus.bicep']).toMatch(/disableLocalAuth: true/);
    expect(text['modules/servicebus.bicep']).toMatch(/minimumTlsVersion: '1.2'/);
    expect(text['modules/openai.bicep']).toMatch(/disableLocalAuth: true/);
    expect(text['modules/monitoring.bicep']).toMatch(/DisableLocalAuth: true/);
    expect(text['modules/functionapp.bicep']).toMatch(/httpsOnly: true/);
    expect(text['modules/functionapp.bicep']).toMatch(/minTlsVersion: '1.2'/);
    expect(text['modules/keyvault.bicep']).toMatch(/enableRbacAuthorization: true/);
    expect(text['modules/keyvault.bicep']).toMatch(/enablePurgeProtection: true/);
    expect(text['modules/openai.bicep']).toMatch(/name: 'DataZoneStandard'/);
    expect(text['modules/functionapp.bicep']).toMatch(/runtime: \{ name: 'node', version: '22' \}/);
    expect(all).not.toMatch(/listKeys\(|AccountKey=|SharedAccessKey=|primaryKey/i);
  });

  it('keeps logs 365 days (§9 Logs) and backups and soft delete within 90 days (§9 Backups)', () => {
    expect(text['modules/monitoring.bicep']).toMatch(/var logRetentionDays = 365/);
    expect(text['modules/monitoring.bicep']).toMatch(/retentionInDays: logRetentionDays/);
    expect(text['modules/monitoring.bicep']).toMatch(/RetentionInDays: logRetentionDays/);
    for (const m of all.matchAll(/(?:softDeleteDays|softDeleteRetentionInDays|daysAfterCreationGreaterThan)\s*[=:]\s*(\d+)/g)) expect(Number(m[1])).toBeLessThanOrEqual(90);
    expect(text['modules/storage.bicep']).toMatch(/prefixMatch: \['backups\/'\] \}\n\s+actions: \{ baseBlob: \{ delete: \{ daysAfterCreationGreaterThan: 90 \} \} \}/);
    expect(text['modules/cosmos.bicep']).toMatch(/tier: 'Continuous30Days'/);
  });

  it('outputs no secret', () => {
    for (const [file, source] of Object.entries(text)) {
      for (const line of source.split('\n').filter((l) => l.startsWith('output '))) {
        expect(line, file).not.toMatch(/secret|password|connectionstring|accesskey|apikey|listkeys|token|\.keys/i);
      }
    }
  });

  describe('agrees with the app', () => {
    const triggers: Array<{ queueName: string; isSessionsEnabled: boolean }> = [];

    beforeAll(async () => {
      const dir = new URL('../../functions/', import.meta.url);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) await import(new URL(f, dir).href);
      for (const r of registrations()) {
        if (r.trigger.type === 'serviceBusTrigger' && r.source.includes('/functions/')) triggers.push({ queueName: String(r.trigger.queueName), isSessionsEnabled: Boolean(r.trigger.isSessionsEnabled) });
      }
    });

    it('declares exactly the queues the functions listen on and send to, with the same settings', () => {
      const bicep = [...main.matchAll(/\{ name: '([\w-]+)', requiresSession: (true|false), maxDeliveryCount: (\d+), duplicateDetectionWindow: 'PT(\d+)M' \}/g)].map((m) => ({
        name: m[1] as string,
        requiresSession: m[2] === 'true',
        maxDeliveryCount: Number(m[3]),
        duplicateDetectionWindowMinutes: Number(m[4]),
      }));
      const app = Object.values(QUEUES) as QueueDefinition[];
      const used = new Set([...triggers.map((t) => t.queueName), ...app.map((q) => q.name)]);
      expect(bicep.map((q) => q.name).sort()).toEqual([...used].sort());
      expect(bicep.sort((a, b) => a.name.localeCompare(b.name))).toEqual([...app].sort((a, b) => a.name.localeCompare(b.name)));
      for (const t of triggers) expect(bicep.find((q) => q.name === t.queueName)?.requiresSession, t.queueName).toBe(t.isSessionsEnabled);
      expect(triggers.length).toBeGreaterThanOrEqual(7);
    });

    it('declares exactly the Cosmos containers, partition keys and TTLs of the app', () => {
      const bicep = [...main.matchAll(/\{ name: '([\w-]+)', partitionKey: '([^']+)'(?:, defaultTtl: (\d+))? \}/g)].map((m) => ({ id: m[1], partitionKey: m[2], defaultTtl: m[3] ? Number(m[3]) : undefined }));
      const app = containerDefinitions().map((d) => ({ id: d.id, partitionKey: d.partitionKey, defaultTtl: d.defaultTtl }));
      expect(bicep).toEqual(app);
    });

    it('declares exactly the blob containers of the app, plus the deployment package', () => {
      const list = /var blobContainers = \[([^\]]+)\]/.exec(main)?.[1]?.match(/'([\w-]+)'/g)?.map((s) => s.slice(1, -1));
      expect(list?.sort()).toEqual(Object.values(BLOB_CONTAINERS).sort());
    });

    it('answers CORS for the dashboard origins only, without credentials, from the same list as DASHBOARD_ORIGINS', () => {
      expect(text['modules/functionapp.bicep']).toMatch(/cors: \{ allowedOrigins: dashboardOrigins, supportCredentials: false \}/);
      expect(main).toMatch(/dashboardOrigins: dashboardOrigins/);
      expect(main).toMatch(/DASHBOARD_ORIGINS: join\(dashboardOrigins, ','\)/);
      expect(main).not.toMatch(/allowedOrigins: \[\s*'\*'/);
    });

    it('adds Web PubSub with identity-based access only: local auth off, Service Owner for the app, no anonymous clients', () => {
      const wps = text['modules/webpubsub.bicep'] as string;
      expect(wps).toMatch(/'Microsoft\.SignalRService\/webPubSub@/);
      expect(wps).toMatch(/disableLocalAuth: true/);
      expect(wps).toMatch(/anonymousConnectPolicy: 'deny'/);
      // Web PubSub Service Owner, granted to the app's managed identity.
      expect(wps).toMatch(/roleDefinitions', '12cf5a90-567b-43ae-8102-96cf46c7d9b4'/);
      expect(main).toMatch(/module webPubSub 'modules\/webpubsub\.bicep'[\s\S]*principalId: identity\.outputs\.principalId/);
      expect(main).toMatch(/WEB_PUBSUB_ENDPOINT: webPubSub\.outputs\.endpoint/);
      expect(main).not.toMatch(/WEB_PUBSUB_CONNECTION_STRING/);
      expect(text['modules/functionapp.bicep']).not.toMatch(/WEB_PUBSUB_CONNECTION_STRING/);
    });

    it('reads every secret setting from Key Vault', () => {
      for (const name of ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'TOKEN_ENCRYPTION_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'SENDGRID_API_KEY', 'UNSUBSCRIBE_SECRET', 'AUTH_ACTION_SECRET', 'PSEUDONYM_KEY']) {
        expect(text['modules/functionapp.bicep'], name).toMatch(new RegExp(`${name}: '\\$\\{kvRef\\}[\\w-]+/\\)'`));
      }
    });
  });
});
