import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { BlobStore } from '../../shared/platform/blob.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';

describe('Cosmos DB through the real SDK against the embedded server', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `stores-${randomUUID().slice(0, 8)}`,
  });
  afterAll(() => store.dispose());

  it('creates every defined container, idempotently, with its partition key', async () => {
    await store.ensure();
    await store.ensure();
    for (const def of containerDefinitions()) {
      const { resource } = await store.database.container(def.id).read();
      expect(resource?.partitionKey?.paths).toEqual([def.partitionKey]);
    }
  });

  it('keeps documents apart by tenant partition and checks etags', async () => {
    const contacts = store.container('contacts');
    await contacts.items.create({ id: 'c1', tenantId: 'tenant-a', note: 'a' });
    await contacts.items.create({ id: 'c1', tenantId: 'tenant-b', note: 'b' });
    const { resource: a } = await contacts.item('c1', 'tenant-a').read();
    expect(a.note).toBe('a');
    const stale = a._etag;
    await contacts.item('c1', 'tenant-a').replace({ ...a, note: 'a2' });
    const conflict = await contacts
      .item('c1', 'tenant-a')
      .replace({ ...a, note: 'a3' }, { accessCondition: { type: 'IfMatch', condition: stale } })
      .catch((e: { code: number }) => e.code);
    expect(conflict).toBe(412);
  });
});

describe('Blob Storage through the real SDK against Azurite', () => {
  const blob = new BlobStore({ connectionString: inject('blobConnectionString') });

  it('creates the containers and round-trips a blob', async () => {
    await blob.ensure();
    await blob.ensure();
    const name = `tests/${randomUUID()}.txt`;
    const client = blob.container('knowledge').getBlockBlobClient(name);
    await client.upload('Prețuri: tuns 80 lei', Buffer.byteLength('Prețuri: tuns 80 lei'));
    expect((await client.downloadToBuffer()).toString('utf8')).toBe('Prețuri: tuns 80 lei');
    await client.delete();
    expect(await client.exists()).toBe(false);
  });
});
