import type { TestProject } from 'vitest/node';
import { EmbeddedAzurite } from '../local/embedded-azurite.js';
import { EmbeddedCosmos } from '../local/embedded-cosmos.js';

/** One embedded Cosmos DB server and one Azurite for the whole run; each test host gets its own database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cosmos = new EmbeddedCosmos();
  const azurite = new EmbeddedAzurite();
  await Promise.all([cosmos.start(), azurite.start()]);
  project.provide('cosmosEndpoint', cosmos.endpoint);
  project.provide('cosmosKey', cosmos.key);
  project.provide('blobConnectionString', azurite.connectionString);
  return async () => {
    await Promise.all([cosmos.stop(), azurite.stop()]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    cosmosEndpoint: string;
    cosmosKey: string;
    blobConnectionString: string;
  }
}
