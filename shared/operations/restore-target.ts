import type { TokenCredential } from '@azure/identity';
import { containerDefinitions } from '../platform/containers.js';
import { CosmosStore } from '../platform/cosmos.js';

/**
 * Creates the empty database a restore writes into. The restore itself only writes documents: with
 * Entra tokens the Cosmos DB data plane cannot create databases or containers (and local auth is
 * off), so in Azure this is a control-plane call, made by the operator running the runbook.
 */
export interface RestoreTargetCreator {
  create(database: string): Promise<void>;
}

export interface ArmTarget {
  subscriptionId: string;
  resourceGroup: string;
  accountName: string;
  credential: TokenCredential;
}

/** Azure: Microsoft.DocumentDB control plane (`@azure/arm-cosmosdb`), containers as Bicep declares them. */
export class ArmRestoreTarget implements RestoreTargetCreator {
  constructor(private readonly target: ArmTarget) {}

  async create(database: string): Promise<void> {
    // Loaded here: a runbook tool, not something the function app ships or loads.
    const { CosmosDBManagementClient } = await import('@azure/arm-cosmosdb');
    const client = new CosmosDBManagementClient(this.target.credential, this.target.subscriptionId);
    const { resourceGroup: rg, accountName: account } = this.target;
    await client.sqlResources.createUpdateSqlDatabase(rg, account, database, { resource: { id: database } });
    for (const def of containerDefinitions()) {
      await client.sqlResources.createUpdateSqlContainer(rg, account, database, def.id, {
        resource: {
          id: def.id,
          partitionKey: { paths: [def.partitionKey], kind: 'Hash' },
          ...(def.defaultTtl !== undefined ? { defaultTtl: def.defaultTtl } : {}),
        },
      });
    }
  }
}

/** Local: the embedded server has no control plane, and its key-authenticated data plane may create. */
export class LocalRestoreTarget implements RestoreTargetCreator {
  constructor(
    private readonly endpoint: string,
    private readonly key: string,
  ) {}

  async create(database: string): Promise<void> {
    const store = new CosmosStore({ endpoint: this.endpoint, key: this.key, database });
    try {
      await store.ensure();
    } finally {
      store.dispose();
    }
  }
}
