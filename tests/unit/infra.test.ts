import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registrations } from '../../local/functions-core.js';
import { BLOB_CONTAINERS } from '../../shared/platform/blob.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { QUEUES, type QueueDefinition } from '../../shared/platform/queues.js';
import { parseSettings, settingsSchema } from '../../shared/platform/settings.js';
import { PLATFORM_RETENTION, RETENTION } from '../../shared/privacy/policy.js';
import { type BicepFile, type BicepValue, body, type Declaration, get, literal, parseBicep } from '../helpers/bicep.js';

/**
 * The Bicep, read as a tree (tests/helpers/bicep.ts) and checked the way an Azure reviewer would:
 * regions, transport and auth settings, every role assignment against a table of least roles, the
 * app settings against the app's own settings schema, and outputs.
 */

const infra = new URL('../../infra/', import.meta.url);
const moduleFiles = readdirSync(new URL('modules/', infra))
  .filter((f) => f.endsWith('.bicep'))
  .map((f) => `modules/${f}`);
const files = new Map<string, BicepFile>(
  ['main.bicep', ...moduleFiles].map((f) => [f, parseBicep(readFileSync(new URL(f, infra), 'utf8'), f)]),
);
const main = files.get('main.bicep') as BicepFile;
/** Raw text, for the few checks that are about wording (CORS, Web PubSub) rather than structure. */
const src = (f: string) => readFileSync(new URL(f, infra), 'utf8');

const decl = (file: BicepFile, keyword: Declaration['keyword'], name: string) =>
  file.declarations.find((d) => d.keyword === keyword && d.name === name);
const resourcesOf = (file: BicepFile) => file.declarations.filter((d) => d.keyword === 'resource' && !d.existing);
const typeOf = (d: Declaration) => (d.type ?? '').split('@')[0] as string;
const allResources = () =>
  [...files.entries()].flatMap(([path, file]) => resourcesOf(file).map((d) => ({ path, file, d, type: typeOf(d) })));

/** main.bicep's `module` that deploys a file, and the arguments it passes. */
function moduleCall(path: string): { d: Declaration; params: Map<string, BicepValue> } | undefined {
  const d = main.declarations.find((x) => x.keyword === 'module' && x.type === path);
  const params = get(d?.value, 'params');
  return d && params?.kind === 'object' ? { d, params: params.properties } : undefined;
}

/** Where a module's parameter comes from in main.bicep, as source text. */
function argumentOf(path: string, param: string): string | undefined {
  if (path === 'main.bicep') return param;
  return moduleCall(path)?.params.get(param)?.text;
}

/** Literal string items of a `var` array in a file. */
function stringArray(file: BicepFile, name: string): string[] {
  const v = decl(file, 'var', name)?.value;
  if (v?.kind !== 'array') throw new Error(`${file.path}: var ${name} is not an array literal`);
  return v.items.map((i) => {
    const value = literal(i);
    if (typeof value !== 'string') throw new Error(`${file.path}: ${name} holds a non-literal ${i.text}`);
    return value;
  });
}

const EU_REGIONS = new Set([
  'westeurope',
  'northeurope',
  'swedencentral',
  'francecentral',
  'germanywestcentral',
  'italynorth',
  'spaincentral',
  'polandcentral',
]);
const GLOBAL_TYPES = new Set(['Microsoft.Insights/actionGroups', 'Microsoft.Insights/metricAlerts']);

/** Transport and authentication settings each type must carry, as literals. */
const HARDENING: Record<string, Array<[string[], string | boolean]>> = {
  'Microsoft.Storage/storageAccounts': [
    [['properties', 'minimumTlsVersion'], 'TLS1_2'],
    [['properties', 'supportsHttpsTrafficOnly'], true],
    [['properties', 'allowSharedKeyAccess'], false],
    [['properties', 'allowBlobPublicAccess'], false],
    [['properties', 'defaultToOAuthAuthentication'], true],
  ],
  'Microsoft.DocumentDB/databaseAccounts': [
    [['properties', 'disableLocalAuth'], true],
    [['properties', 'minimalTlsVersion'], 'Tls12'],
  ],
  'Microsoft.ServiceBus/namespaces': [
    [['properties', 'disableLocalAuth'], true],
    [['properties', 'minimumTlsVersion'], '1.2'],
  ],
  'Microsoft.CognitiveServices/accounts': [[['properties', 'disableLocalAuth'], true]],
  'Microsoft.Insights/components': [[['properties', 'DisableLocalAuth'], true]],
  'Microsoft.OperationalInsights/workspaces': [[['properties', 'features', 'disableLocalAuth'], true]],
  'Microsoft.Web/sites': [
    [['properties', 'httpsOnly'], true],
    [['properties', 'siteConfig', 'minTlsVersion'], '1.2'],
    [['properties', 'siteConfig', 'ftpsState'], 'Disabled'],
  ],
  'Microsoft.KeyVault/vaults': [
    [['properties', 'enableRbacAuthorization'], true],
    [['properties', 'enablePurgeProtection'], true],
  ],
  'Microsoft.SignalRService/webPubSub': [
    [['properties', 'disableLocalAuth'], true],
    [['properties', 'disableAadAuth'], false],
  ],
};

/** Types that have no transport or authentication settings of their own (children, assignments, alerts). */
const NOTHING_TO_HARDEN = new Set([
  'Microsoft.Authorization/roleAssignments',
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases',
  'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers',
  'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments',
  'Microsoft.ServiceBus/namespaces/queues',
  'Microsoft.CognitiveServices/accounts/deployments',
  'Microsoft.Storage/storageAccounts/blobServices',
  'Microsoft.Storage/storageAccounts/blobServices/containers',
  'Microsoft.Storage/storageAccounts/managementPolicies',
  'Microsoft.Web/serverfarms',
  'Microsoft.Web/sites/config',
  'Microsoft.ManagedIdentity/userAssignedIdentities',
  'Microsoft.Insights/metricAlerts',
  'Microsoft.Insights/actionGroups',
  'Microsoft.KeyVault/vaults/secrets',
  'Microsoft.SignalRService/webPubSub/hubs',
]);

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  cosmosDataContributor: '00000000-0000-0000-0000-000000000002',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  openAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  webPubSubServiceOwner: '12cf5a90-567b-43ae-8102-96cf46c7d9b4',
} as const;

/**
 * The least roles, per principal and per resource they are scoped to. The app: what its code and
 * the Functions host do. The operator (AZURE_PRINCIPAL_ID): what the runbooks do — set Key Vault
 * secrets, read backups, write a restore and read tombstones. Nothing at resource-group scope.
 */
const LEAST_ROLES: Record<'app' | 'operator', Record<string, string[]>> = {
  app: {
    'Microsoft.Storage/storageAccounts': [
      ROLE.storageBlobDataOwner,
      ROLE.storageQueueDataContributor,
      ROLE.storageTableDataContributor,
    ],
    'Microsoft.ServiceBus/namespaces': [ROLE.serviceBusDataReceiver, ROLE.serviceBusDataSender],
    'Microsoft.DocumentDB/databaseAccounts': [ROLE.cosmosDataContributor],
    'Microsoft.KeyVault/vaults': [ROLE.keyVaultSecretsUser],
    'Microsoft.CognitiveServices/accounts': [ROLE.openAiUser],
    'Microsoft.Insights/components': [ROLE.monitoringMetricsPublisher],
    'Microsoft.SignalRService/webPubSub': [ROLE.webPubSubServiceOwner],
  },
  operator: {
    'Microsoft.KeyVault/vaults': [ROLE.keyVaultSecretsOfficer],
    'Microsoft.Storage/storageAccounts': [ROLE.storageBlobDataReader],
    'Microsoft.DocumentDB/databaseAccounts': [ROLE.cosmosDataContributor],
  },
};

interface Assignment {
  where: string;
  principal: 'app' | 'operator' | string;
  principalType?: string;
  scopeType: string;
  roles: string[];
}

/** Whom a module's principal parameter stands for, from what main.bicep passes. */
function principalOf(path: string, expression: string): string {
  const argument = argumentOf(path, expression) ?? expression;
  if (argument === 'identity.outputs.principalId') return 'app';
  if (argument === 'principalId') return 'operator';
  return `unknown (${argument})`;
}

/** Role ids an assignment grants: a literal, or the items of the var its for loop walks. */
function rolesOf(file: BicepFile, d: Declaration, roleDefinition: BicepValue | undefined): string[] {
  const text = roleDefinition?.text ?? '';
  const guid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(text)?.[1];
  if (guid) return [guid.toLowerCase()];
  const loop = d.value?.kind === 'for' ? d.value : undefined;
  const argument = /subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', (\w+)\)/.exec(text)?.[1];
  if (loop && argument === loop.variable) return stringArray(file, loop.source);
  throw new Error(`${file.path} ${d.name}: cannot read the role of ${text}`);
}

function assignments(): Assignment[] {
  const found: Assignment[] = [];
  for (const { path, file, d, type } of allResources()) {
    if (type === 'Microsoft.Authorization/roleAssignments') {
      const scopeName = get(d.value, 'scope')?.text ?? '(resource group)';
      const scope = file.declarations.find((x) => x.keyword === 'resource' && x.name === scopeName);
      found.push({
        where: `${path} ${d.name}`,
        principal: principalOf(path, get(d.value, 'properties', 'principalId')?.text ?? ''),
        principalType: get(d.value, 'properties', 'principalType')?.text,
        scopeType: scope ? typeOf(scope) : scopeName,
        roles: rolesOf(file, d, get(d.value, 'properties', 'roleDefinitionId')),
      });
    } else if (type === 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments') {
      const parent = file.declarations.find((x) => x.keyword === 'resource' && x.name === get(d.value, 'parent')?.text);
      expect(get(d.value, 'properties', 'scope')?.text, `${path} ${d.name} is scoped to its account`).toBe(
        `${parent?.name}.id`,
      );
      found.push({
        where: `${path} ${d.name}`,
        principal: principalOf(path, get(d.value, 'properties', 'principalId')?.text ?? ''),
        scopeType: parent ? typeOf(parent) : '(unknown)',
        roles: rolesOf(file, d, get(d.value, 'properties', 'roleDefinitionId')),
      });
    }
  }
  return found;
}

/** The function app's settings: main's plain settings joined with the module's platform settings. */
function appSettings(): Map<string, BicepValue> {
  const path = 'modules/functionapp.bicep';
  const file = files.get(path) as BicepFile;
  const config = resourcesOf(file).find(
    (d) => typeOf(d) === 'Microsoft.Web/sites/config' && literal(get(d.value, 'name')) === 'appsettings',
  );
  const properties = get(config?.value, 'properties');
  const args = /^union\(([\w\s,]+)\)$/
    .exec(properties?.text ?? '')?.[1]
    ?.split(',')
    .map((s) => s.trim());
  if (!args) throw new Error(`app settings must be union(<objects>), found ${properties?.text}`);
  const merged = new Map<string, BicepValue>();
  for (const name of args) {
    const own = decl(file, 'var', name)?.value;
    const passed = decl(file, 'param', name) ? moduleCall(path)?.params.get(name) : undefined;
    const object = own ?? passed;
    if (object?.kind !== 'object') throw new Error(`${name} in the app settings union is not an object literal`);
    for (const [k, v] of object.properties) merged.set(k, v);
  }
  return merged;
}

/** Whether a settings field takes a value (some refinements throw on a value of the wrong shape). */
function accepts(field: { safeParse(v: unknown): { success: boolean } } | undefined, value: string): boolean {
  try {
    return field ? field.safeParse(value).success : true;
  } catch {
    return false;
  }
}

describe('infrastructure as code, read as a tree', () => {
  it('reads every Bicep file strictly', () => {
    expect(() => parseBicep("resource x 'A/b@1' = {\n  name: 'x' 'y'\n}")).toThrow(/expected a new line/);
    expect([...files.keys()]).toContain('modules/functionapp.bicep');
    expect(allResources().length).toBeGreaterThan(15);
  });

  it('puts every resource in West Europe: AZURE_LOCATION, allowed and defaulting to westeurope only', () => {
    const location = decl(main, 'param', 'location');
    expect(literal(location?.value)).toBe('westeurope');
    const allowed = location?.decorators.find((x) => x.name === 'allowed')?.args[0];
    expect(allowed?.kind === 'array' ? allowed.items.map(literal) : undefined).toEqual(['westeurope']);
    const parameters = JSON.parse(readFileSync(new URL('main.parameters.json', infra), 'utf8')).parameters;
    expect(parameters.location.value).toBe('${AZURE_LOCATION=westeurope}');
    for (const { path, file, d, type } of allResources()) {
      const where = `${path} ${d.name}`;
      const location = get(d.value, 'location');
      if (GLOBAL_TYPES.has(type)) {
        expect(literal(location), where).toBe('global');
        continue;
      }
      if (!location) {
        // Child resources and role assignments live where their parent does.
        expect(
          get(d.value, 'parent') ?? get(d.value, 'scope') ?? (type.split('/').length > 2 ? 'child' : undefined),
          `${where} has no location and no parent`,
        ).toBeDefined();
        continue;
      }
      // A module parameter fed by main's location, or a main parameter allowed only EU regions.
      const argument = decl(file, 'param', location.text) ? argumentOf(path, location.text) : undefined;
      expect(argument, `${where} location ${location.text}`).toBeDefined();
      const mainParam = decl(main, 'param', argument as string);
      const values = mainParam?.decorators.find((x) => x.name === 'allowed')?.args[0];
      expect(values?.kind, `${where}: main parameter ${argument} lists its allowed regions`).toBe('array');
      for (const v of values?.kind === 'array' ? values.items : [])
        expect(EU_REGIONS.has(String(literal(v))), `${where}: ${v.text}`).toBe(true);
    }
  });

  it('turns on TLS 1.2 and HTTPS and turns off local auth and shared keys on every resource that has them', () => {
    for (const { path, d, type } of allResources()) {
      const rules = HARDENING[type];
      if (!rules) {
        expect(
          NOTHING_TO_HARDEN.has(type),
          `${path} ${d.name}: ${type} is not in the hardening table; add its TLS/auth settings`,
        ).toBe(true);
        continue;
      }
      for (const [property, expected] of rules)
        expect(literal(get(body(d), ...property)), `${path} ${d.name} ${property.join('.')}`).toBe(expected);
    }
    for (const [path, file] of files) {
      for (const d of file.declarations)
        expect(d.value?.text ?? '', `${path} ${d.name}`).not.toMatch(
          /listKeys\(|listConnectionStrings\(|AccountKey=|SharedAccessKey=|primaryKey/i,
        );
    }
  });

  it('uses GA API versions only (Service Bus 2024-01-01)', () => {
    for (const { path, d } of allResources()) expect(d.type, `${path} ${d.name}`).not.toMatch(/-preview$/);
    expect(
      allResources()
        .filter((r) => r.type.startsWith('Microsoft.ServiceBus/'))
        .map((r) => r.d.type?.split('@')[1]),
    ).toEqual(['2024-01-01', '2024-01-01']);
  });

  it('grants the app and the operator (AZURE_PRINCIPAL_ID) exactly the least roles of the table, each on one resource', () => {
    const parameters = JSON.parse(readFileSync(new URL('main.parameters.json', infra), 'utf8')).parameters;
    expect(parameters.principalId.value).toBe('${AZURE_PRINCIPAL_ID}');
    const granted: Record<string, Record<string, string[]>> = {};
    for (const a of assignments()) {
      expect(['app', 'operator'], `${a.where}: principal`).toContain(a.principal);
      expect(a.scopeType, `${a.where}: scoped to a resource, never the resource group`).toMatch(/^Microsoft\./);
      if (a.principal === 'app' && a.principalType) expect(a.principalType, a.where).toBe("'ServicePrincipal'");
      // The operator may be a person or a CI identity: its type comes from AZURE_PRINCIPAL_TYPE.
      if (a.principal === 'operator' && a.principalType)
        expect(argumentOf(a.where.split(' ')[0] as string, a.principalType), a.where).toBe('principalType');
      granted[a.principal] ??= {};
      const perScope = granted[a.principal] as Record<string, string[]>;
      perScope[a.scopeType] = [...(perScope[a.scopeType] ?? []), ...a.roles].sort();
    }
    const expected = Object.fromEntries(
      Object.entries(LEAST_ROLES).map(([p, scopes]) => [
        p,
        Object.fromEntries(Object.entries(scopes).map(([s, r]) => [s, [...r].sort()])),
      ]),
    );
    expect(granted).toEqual(expected);
  });

  it('gives the app every required production setting of the schema, secrets from Key Vault, and no local stand-in', () => {
    const settings = appSettings();
    const shape = settingsSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    const hostSettings =
      /^(AzureWebJobsStorage__|ServiceBusConnection__(credential|clientId)$|APPLICATIONINSIGHTS_AUTHENTICATION_STRING$)/;
    for (const key of settings.keys())
      expect(key in shape || hostSettings.test(key), `${key} is neither an app setting nor a host setting`).toBe(true);
    // What would stand in for a local service must not be set at all in Azure.
    for (const key of ['COSMOS_KEY', 'AZURE_OPENAI_API_KEY', 'BLOB_CONNECTION_STRING', 'ServiceBusConnection'])
      expect(settings.has(key), key).toBe(false);
    expect(literal(settings.get('ALIAT_ENV'))).toBe('production');
    // Resolve each value as Azure would: Key Vault references to a secret, expressions to a real endpoint.
    const values: Record<string, string> = {};
    for (const [key, value] of settings) {
      const isKeyVault = value.kind === 'string' && value.value.startsWith('${kvRef}');
      const fixed = literal(value);
      if (typeof fixed === 'string') values[key] = fixed;
      else if (isKeyVault)
        values[key] =
          key === 'TOKEN_ENCRYPTION_KEY' ? randomBytes(32).toString('base64') : `kv-${randomBytes(16).toString('hex')}`;
      else
        values[key] =
          [
            'https://resolved.example.net',
            'https://resolved.example.net/',
            '1234567890',
            'resolved_value',
            'resolved-value',
          ].find((v) => accepts(shape[key], v)) ?? 'resolved-value';
    }
    const parsed = parseSettings(values);
    expect(parsed.ALIAT_ENV).toBe('production');
    // Every setting the schema requires (no default, not optional) is there.
    for (const [key, field] of Object.entries(shape))
      if (!field.safeParse(undefined).success) expect(settings.has(key), `required setting ${key}`).toBe(true);
    for (const key of [
      'BLOB_ACCOUNT_URL',
      'ServiceBusConnection__fullyQualifiedNamespace',
      'AZURE_CLIENT_ID',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
    ])
      expect(settings.has(key), key).toBe(true);
    for (const key of [
      'META_APP_SECRET',
      'META_VERIFY_TOKEN',
      'TOKEN_ENCRYPTION_KEY',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
      'SENDGRID_API_KEY',
      'UNSUBSCRIBE_SECRET',
      'AUTH_ACTION_SECRET',
      'PSEUDONYM_KEY',
      'PAGE_TOKEN_SECRET',
    ]) {
      const value = settings.get(key);
      expect(value?.kind === 'string' && value.value.startsWith('${kvRef}'), `${key} is a Key Vault reference`).toBe(
        true,
      );
    }
  });

  it('outputs no secret', () => {
    for (const [path, file] of files) {
      for (const d of file.declarations.filter((x) => x.keyword === 'output')) {
        expect(
          d.decorators.map((x) => x.name),
          `${path} ${d.name}`,
        ).not.toContain('secure');
        expect(d.name, path).not.toMatch(/secret|password|connectionstring|key$|keys|token/i);
        expect(d.value?.text ?? '', `${path} ${d.name}`).not.toMatch(
          /listKeys|listConnectionStrings|connectionString|\.keys|primaryKey|secret/i,
        );
      }
    }
  });

  it('names the Key Vault from the environment and a generation that changes after azd down', () => {
    const name = get(moduleCall('modules/keyvault.bicep')?.d.value, 'params', 'name');
    expect(name?.text).toMatch(
      /uniqueString\(subscription\(\)\.id, resourceGroup\(\)\.id, environmentName, keyVaultGeneration\)/,
    );
    const azureYaml = readFileSync(new URL('../../azure.yaml', import.meta.url), 'utf8');
    expect(azureYaml).toMatch(/postdown:\n\s+shell: sh\n\s+run: azd env set AZURE_KEY_VAULT_GENERATION/);
  });

  it('makes the function app wait for the storage role assignments', () => {
    const call = main.declarations.find((x) => x.keyword === 'module' && x.type === 'modules/functionapp.bicep');
    const dependsOn = get(call?.value, 'dependsOn');
    expect(dependsOn?.kind === 'array' ? dependsOn.items.map((i) => i.text) : []).toContain('storage');
    const storage = files.get('modules/storage.bicep') as BicepFile;
    expect(
      resourcesOf(storage).some(
        (d) =>
          typeOf(d) === 'Microsoft.Authorization/roleAssignments' &&
          principalOf('modules/storage.bicep', get(d.value, 'properties', 'principalId')?.text ?? '') === 'app',
      ),
    ).toBe(true);
  });

  it('runs the Functions host in OpenTelemetry mode and ships only dist/ and production dependencies', () => {
    const host = JSON.parse(readFileSync(new URL('../../host.json', import.meta.url), 'utf8'));
    expect(host.telemetryMode).toBe('OpenTelemetry');
    const ignore = readFileSync(new URL('../../.funcignore', import.meta.url), 'utf8').split('\n');
    for (const entry of ['functions/', 'shared/', 'local/', 'tests/', 'infra/', 'dist/local/', 'local.settings.json'])
      expect(ignore, entry).toContain(entry);
    const azureYaml = readFileSync(new URL('../../azure.yaml', import.meta.url), 'utf8');
    expect(azureYaml).toMatch(/prepackage:\n\s+shell: sh\n\s+run: npm ci && npm run build && npm prune --omit=dev/);
  });

  describe('agrees with the app', () => {
    const triggers: Array<{ queueName: string; isSessionsEnabled: boolean }> = [];

    beforeAll(async () => {
      const dir = new URL('../../functions/', import.meta.url);
      for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) await import(new URL(f, dir).href);
      for (const r of registrations()) {
        if (r.trigger.type === 'serviceBusTrigger' && r.source.includes('/functions/'))
          triggers.push({
            queueName: String(r.trigger.queueName),
            isSessionsEnabled: Boolean(r.trigger.isSessionsEnabled),
          });
      }
    });

    function objects(name: string): Array<Record<string, unknown>> {
      const v = decl(main, 'var', name)?.value;
      if (v?.kind !== 'array') throw new Error(`var ${name} is not an array`);
      return v.items.map((item) =>
        Object.fromEntries(
          [...(item.kind === 'object' ? item.properties : new Map())].map(([k, x]) => [k, literal(x as BicepValue)]),
        ),
      );
    }

    it('declares exactly the queues the functions listen on and send to, with the same settings', () => {
      const bicep = objects('queues').map((q) => ({
        name: q.name as string,
        requiresSession: q.requiresSession as boolean,
        maxDeliveryCount: q.maxDeliveryCount as number,
        duplicateDetectionWindowMinutes: Number(/^PT(\d+)M$/.exec(String(q.duplicateDetectionWindow))?.[1]),
      }));
      const app: QueueDefinition[] = Object.values(QUEUES).map((q) => ({
        name: q.name,
        requiresSession: q.requiresSession,
        maxDeliveryCount: q.maxDeliveryCount,
        duplicateDetectionWindowMinutes: q.duplicateDetectionWindowMinutes,
      }));
      const used = new Set([...triggers.map((t) => t.queueName), ...app.map((q) => q.name)]);
      expect(bicep.map((q) => q.name).sort()).toEqual([...used].sort());
      expect(bicep.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        [...app].sort((a, b) => a.name.localeCompare(b.name)),
      );
      for (const t of triggers)
        expect(bicep.find((q) => q.name === t.queueName)?.requiresSession, t.queueName).toBe(t.isSessionsEnabled);
      expect(triggers.length).toBeGreaterThanOrEqual(7);
    });

    it('declares exactly the Cosmos containers, partition keys and TTLs of the app', () => {
      const bicep = objects('containers').map((c) => ({
        id: c.name,
        partitionKey: c.partitionKey,
        defaultTtl: c.defaultTtl ?? undefined,
      }));
      const app = containerDefinitions().map((d) => ({
        id: d.id,
        partitionKey: d.partitionKey,
        defaultTtl: d.defaultTtl,
      }));
      expect(bicep).toEqual(app);
    });

    it('declares exactly the blob containers of the app, plus the deployment package', () => {
      expect(stringArray(main, 'blobContainers').sort()).toEqual(Object.values(BLOB_CONTAINERS).sort());
    });

    it('answers CORS for the dashboard origins only, without credentials, from the same list as DASHBOARD_ORIGINS', () => {
      expect(src('modules/functionapp.bicep')).toMatch(
        /cors: \{ allowedOrigins: dashboardOrigins, supportCredentials: false \}/,
      );
      expect(src('main.bicep')).toMatch(/dashboardOrigins: dashboardOrigins/);
      expect(src('main.bicep')).toMatch(/DASHBOARD_ORIGINS: join\(dashboardOrigins, ','\)/);
      expect(src('main.bicep')).not.toMatch(/allowedOrigins: \[\s*'\*'/);
    });

    it('adds Web PubSub with identity-based access only: local auth off, Service Owner for the app, no anonymous clients', () => {
      const wps = src('modules/webpubsub.bicep');
      expect(wps).toMatch(/'Microsoft\.SignalRService\/webPubSub@/);
      expect(wps).toMatch(/disableLocalAuth: true/);
      expect(wps).toMatch(/anonymousConnectPolicy: 'deny'/);
      // Web PubSub Service Owner, granted to the app's managed identity.
      expect(wps).toMatch(/roleDefinitions', '12cf5a90-567b-43ae-8102-96cf46c7d9b4'/);
      expect(src('main.bicep')).toMatch(
        /module webPubSub 'modules\/webpubsub\.bicep'[\s\S]*principalId: identity\.outputs\.principalId/,
      );
      expect(src('main.bicep')).toMatch(/WEB_PUBSUB_ENDPOINT: webPubSub\.outputs\.endpoint/);
      expect(src('main.bicep')).not.toMatch(/WEB_PUBSUB_CONNECTION_STRING/);
      expect(src('modules/functionapp.bicep')).not.toMatch(/WEB_PUBSUB_CONNECTION_STRING/);
    });
  });
});

describe('retention (§9)', () => {
  const text = Object.fromEntries([...files.keys()].map((f) => [f, readFileSync(new URL(f, infra), 'utf8')]));
  const all = Object.values(text).join('\n');

  const storage = files.get('modules/storage.bicep') as BicepFile;
  const varOf = (file: BicepFile, name: string) => literal(decl(file, 'var', name)?.value);
  /** A number in Bicep: a literal, or the literal var it names. */
  const numberIn = (file: BicepFile, v: BicepValue | undefined) =>
    v?.kind === 'expr' ? varOf(file, v.text) : literal(v);

  it('keeps logs as long as the policy table says (§9 Logs), in the workspace and Application Insights', () => {
    const monitoring = files.get('modules/monitoring.bicep') as BicepFile;
    expect(varOf(monitoring, 'logRetentionDays')).toBe(PLATFORM_RETENTION.logDays);
    expect(PLATFORM_RETENTION.logDays).toBe(RETENTION.logs?.days);
    for (const d of resourcesOf(monitoring).filter((x) =>
      ['Microsoft.OperationalInsights/workspaces', 'Microsoft.Insights/components'].includes(typeOf(x)),
    )) {
      expect(
        get(
          d.value,
          'properties',
          typeOf(d) === 'Microsoft.Insights/components' ? 'RetentionInDays' : 'retentionInDays',
        )?.text,
        d.name,
      ).toBe('logRetentionDays');
    }
  });

  it('sets blob soft delete (blobs and containers) to the policy table, so backups plus soft delete fit §9 Backups', () => {
    const blobService = resourcesOf(storage).find(
      (d) => typeOf(d) === 'Microsoft.Storage/storageAccounts/blobServices',
    ) as Declaration;
    for (const policy of ['deleteRetentionPolicy', 'containerDeleteRetentionPolicy']) {
      expect(literal(get(blobService.value, 'properties', policy, 'enabled')), policy).toBe(true);
      expect(numberIn(storage, get(blobService.value, 'properties', policy, 'days')), policy).toBe(
        PLATFORM_RETENTION.blobSoftDeleteDays,
      );
    }
  });

  it('deletes backups and exports by lifecycle rules at the ages of the policy table', () => {
    const lifecycle = resourcesOf(storage).find(
      (d) => typeOf(d) === 'Microsoft.Storage/storageAccounts/managementPolicies',
    ) as Declaration;
    const rules = get(lifecycle.value, 'properties', 'policy', 'rules');
    if (rules?.kind !== 'array') throw new Error('lifecycle rules are not an array literal');
    const ageFor = (prefix: string) => {
      const rule = rules.items.find((x) => {
        const p = get(x, 'definition', 'filters', 'prefixMatch');
        return p?.kind === 'array' && p.items.some((i) => literal(i) === prefix);
      });
      expect(literal(get(rule, 'enabled')), prefix).toBe(true);
      return numberIn(
        storage,
        get(rule, 'definition', 'actions', 'baseBlob', 'delete', 'daysAfterCreationGreaterThan'),
      );
    };
    expect(ageFor('backups/')).toBe(PLATFORM_RETENTION.backupBlobDays);
    expect(ageFor('exports/')).toBe(PLATFORM_RETENTION.exportBlobDays);
  });

  it('keeps Cosmos continuous backup and Service Bus messages no longer than the policy table', () => {
    const cosmos = resourcesOf(files.get('modules/cosmos.bicep') as BicepFile).find(
      (d) => typeOf(d) === 'Microsoft.DocumentDB/databaseAccounts',
    ) as Declaration;
    expect(literal(get(cosmos.value, 'properties', 'backupPolicy', 'continuousModeProperties', 'tier'))).toBe(
      `Continuous${PLATFORM_RETENTION.cosmosContinuousBackupDays}Days`,
    );
    const queues = resourcesOf(files.get('modules/servicebus.bicep') as BicepFile).find(
      (d) => typeOf(d) === 'Microsoft.ServiceBus/namespaces/queues',
    ) as Declaration;
    expect(literal(get(queues.value, 'properties', 'defaultMessageTimeToLive'))).toBe(
      `P${PLATFORM_RETENTION.queueMessageDays}D`,
    );
    expect(literal(get(queues.value, 'properties', 'deadLetteringOnMessageExpiration'))).toBe(true);
  });

  it('keeps no other soft delete or lifecycle age beyond 90 days (§9 Backups)', () => {
    for (const m of all.matchAll(
      /(?:softDeleteDays|softDeleteRetentionInDays|daysAfterCreationGreaterThan)\s*[=:]\s*(\d+)/g,
    ))
      expect(Number(m[1])).toBeLessThanOrEqual(RETENTION.backups?.days ?? 0);
  });
});

/**
 * Models Azure OpenAI offers as a regional Standard deployment in westeurope (model@version), from the
 * model matrix of MicrosoftDocs/azure-ai-docs (articles/ai-foundry/openai/includes/model-matrix/
 * standard-models.md, ms.date 2025-08-12). Not offered there: gpt-4o-mini, text-embedding-3-small.
 */
const WESTEUROPE_STANDARD = new Set(['gpt-4.1-mini@2025-04-14', 'text-embedding-ada-002@2', 'whisper@001']);

describe('model deployments (§7.1 West Europe, §13)', () => {
  const openai = files.get('modules/openai.bicep') as BicepFile;
  const deployments = resourcesOf(openai).filter(
    (d) => typeOf(d) === 'Microsoft.CognitiveServices/accounts/deployments',
  );
  const discrepancies =
    readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8')
      .split(/^## Policy discrepancies/m)[1]
      ?.split(/^## /m)[0] ?? '';

  it('deploys each model as regional Standard in West Europe where offered there, else EU Data Zone recorded as a discrepancy', () => {
    expect(deployments.length).toBe(2);
    for (const d of deployments) {
      const model = `${literal(get(d.value, 'properties', 'model', 'name'))}@${literal(get(d.value, 'properties', 'model', 'version'))}`;
      const sku = literal(get(d.value, 'sku', 'name'));
      if (WESTEUROPE_STANDARD.has(model)) expect(sku, model).toBe('Standard');
      else {
        expect(sku, `${model} is not offered as Standard in westeurope; only an EU data zone keeps it in the EU`).toBe(
          'DataZoneStandard',
        );
        expect(discrepancies, `${model} must be named under "Policy discrepancies" in docs/privacy.md`).toContain(
          String(literal(get(d.value, 'properties', 'model', 'name'))),
        );
      }
    }
  });

  it('names each deployment after its model and hands exactly those names to the app settings', () => {
    for (const d of deployments)
      expect(literal(get(d.value, 'name'))).toBe(literal(get(d.value, 'properties', 'model', 'name')));
    const call = moduleCall('modules/functionapp.bicep');
    expect(call?.params.get('openAiChatDeployment')?.text).toBe('openAi.outputs.chatDeployment');
    expect(call?.params.get('openAiEmbeddingDeployment')?.text).toBe('openAi.outputs.embeddingDeployment');
    expect(decl(openai, 'output', 'chatDeployment')?.value?.text).toBe('chat.name');
    expect(decl(openai, 'output', 'embeddingDeployment')?.value?.text).toBe('embedding.name');
    const app = files.get('modules/functionapp.bicep') as BicepFile;
    const settingsText = src('modules/functionapp.bicep');
    expect(settingsText).toMatch(/AZURE_OPENAI_CHAT_DEPLOYMENT: openAiChatDeployment\n/);
    expect(settingsText).toMatch(/AZURE_OPENAI_EMBEDDING_DEPLOYMENT: openAiEmbeddingDeployment\n/);
    expect(decl(app, 'param', 'openAiChatDeployment')).toBeDefined();
  });
});
