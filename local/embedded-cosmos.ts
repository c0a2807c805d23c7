import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { CosmosClient, type PartitionKeyDefinition } from '@azure/cosmos';
import { createHttpServer } from '@vercel/cosmosdb-server';

/** What a snapshot file holds: every database, its containers' definitions and their documents. */
interface Snapshot {
  version: 1;
  savedAt: string;
  databases: Array<{
    id: string;
    containers: Array<{
      id: string;
      partitionKey: PartitionKeyDefinition;
      defaultTtl?: number;
      items: Array<Record<string, unknown>>;
    }>;
  }>;
}

/** Fields the server assigns; they are assigned again when a document is written back. */
const SYSTEM_FIELDS = ['_rid', '_self', '_etag', '_attachments', '_ts'];

/**
 * The embedded Cosmos DB server (`@vercel/cosmosdb-server`), spoken to by the real `@azure/cosmos`
 * SDK. It keeps everything in memory; `save` and `load` write it to and read it from a JSON file
 * through the SDK itself, so the local host keeps its data between runs.
 */
export class EmbeddedCosmos {
  private server: Server | undefined;
  endpoint = '';
  /** Any key works against the embedded server; the SDK only needs one to sign requests. */
  readonly key = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

  async start(port = 0): Promise<void> {
    const server = createHttpServer() as unknown as Server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private client(): CosmosClient {
    return new CosmosClient({
      endpoint: this.endpoint,
      key: this.key,
      connectionPolicy: { enableEndpointDiscovery: false },
    });
  }

  /**
   * Writes every database to `file` (atomically: a half-written snapshot never replaces a good one). Returns the
   * document count.
   */
  async save(file: string): Promise<number> {
    const client = this.client();
    const snapshot: Snapshot = { version: 1, savedAt: new Date().toISOString(), databases: [] };
    let count = 0;
    try {
      const { resources: databases } = await client.databases.readAll().fetchAll();
      for (const db of databases) {
        const entry: Snapshot['databases'][number] = { id: db.id, containers: [] };
        const { resources: containers } = await client.database(db.id).containers.readAll().fetchAll();
        for (const c of containers) {
          const { resources: items } = await client
            .database(db.id)
            .container(c.id)
            .items.readAll<Record<string, unknown>>()
            .fetchAll();
          const clean = items.map((item) =>
            Object.fromEntries(Object.entries(item).filter(([k]) => !SYSTEM_FIELDS.includes(k))),
          );
          count += clean.length;
          entry.containers.push({
            id: c.id,
            partitionKey: c.partitionKey as PartitionKeyDefinition,
            ...(c.defaultTtl !== undefined ? { defaultTtl: c.defaultTtl } : {}),
            items: clean,
          });
        }
        snapshot.databases.push(entry);
      }
    } finally {
      client.dispose();
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file);
    return count;
  }

  /** Loads a snapshot written by `save`, if there is one. Returns the document count (0 without a file). */
  async load(file: string): Promise<number> {
    if (!existsSync(file)) return 0;
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    if (snapshot.version !== 1) throw new Error(`${file}: unknown snapshot version ${String(snapshot.version)}`);
    const client = this.client();
    let count = 0;
    try {
      for (const db of snapshot.databases) {
        const { database } = await client.databases.createIfNotExists({ id: db.id });
        for (const c of db.containers) {
          const { container } = await database.containers.createIfNotExists({
            id: c.id,
            partitionKey: c.partitionKey,
            ...(c.defaultTtl !== undefined ? { defaultTtl: c.defaultTtl } : {}),
          });
          let next = 0;
          await Promise.all(
            Array.from({ length: 8 }, async () => {
              while (next < c.items.length) await container.items.upsert(c.items[next++] as Record<string, unknown>);
            }),
          );
          count += c.items.length;
        }
      }
    } finally {
      client.dispose();
    }
    return count;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections?.();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}
