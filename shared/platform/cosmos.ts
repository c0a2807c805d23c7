import { type Container, CosmosClient, type Database } from '@azure/cosmos';
import { CONTAINERS, type ContainerName, containerDefinitions } from './containers.js';
import { azureCredential } from './identity.js';

/** Connection facts for Cosmos DB; a key locally, the managed identity in Azure. */
export interface CosmosOptions {
  endpoint: string;
  key?: string;
  database: string;
}

/** A database handle with typed access to our containers. */
export class CosmosStore {
  readonly client: CosmosClient;
  readonly database: Database;

  constructor(readonly options: CosmosOptions) {
    this.client = new CosmosClient({
      endpoint: options.endpoint,
      ...(options.key ? { key: options.key } : { aadCredentials: azureCredential() }),
      // The embedded server and a single-region account have nothing to discover.
      connectionPolicy: { enableEndpointDiscovery: false },
    });
    this.database = this.client.database(options.database);
  }

  /** The container client for one of our containers. */
  container(name: ContainerName): Container {
    return this.database.container(CONTAINERS[name].id);
  }

  /**
   * Creates the database and every container if missing. Idempotent. In Azure the containers come
   * from Bicep and this only confirms they exist.
   */
  async ensure(): Promise<void> {
    await this.client.databases.createIfNotExists({ id: this.options.database });
    for (const def of containerDefinitions()) {
      await this.database.containers.createIfNotExists({
        id: def.id,
        partitionKey: { paths: [def.partitionKey] },
        ...(def.defaultTtl !== undefined ? { defaultTtl: def.defaultTtl } : {}),
      });
    }
  }

  /** Readiness: reads the database. */
  async ping(): Promise<void> {
    await this.database.read();
  }

  dispose(): void {
    this.client.dispose();
  }
}
