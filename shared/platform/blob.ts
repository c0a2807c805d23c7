import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { azureCredential } from './identity.js';

/** Every blob container the app uses; Bicep declares the same list. */
export const BLOB_CONTAINERS = {
  knowledge: 'knowledge',
  attachments: 'attachments',
  exports: 'exports',
  backups: 'backups',
} as const;

export type BlobContainerName = keyof typeof BLOB_CONTAINERS;

/**
 * Connection facts for Blob Storage: a connection string locally, an account URL with the managed identity in Azure.
 */
export interface BlobOptions {
  connectionString?: string;
  accountUrl?: string;
}

/** Blob Storage with typed access to our containers. */
export class BlobStore {
  readonly service: BlobServiceClient;

  constructor(options: BlobOptions) {
    if (options.connectionString) {
      this.service = BlobServiceClient.fromConnectionString(options.connectionString);
    } else if (options.accountUrl) {
      this.service = new BlobServiceClient(options.accountUrl, azureCredential());
    } else {
      throw new Error('BlobStore needs a connection string or an account URL');
    }
  }

  container(name: BlobContainerName): ContainerClient {
    return this.service.getContainerClient(BLOB_CONTAINERS[name]);
  }

  /** Creates every container if missing. Idempotent. */
  async ensure(): Promise<void> {
    for (const name of Object.values(BLOB_CONTAINERS)) {
      await this.service.getContainerClient(name).createIfNotExists();
    }
  }

  /** Readiness: checks that the knowledge container answers. */
  async ping(): Promise<void> {
    await this.container('knowledge').getProperties();
  }
}

/**
 * Deletes every blob under a prefix and returns how many went. The one way slices delete blobs:
 * a blob that is already gone (404, a concurrent delete or a retry) counts as deleted, and any
 * other failure is thrown so the caller's job is retried. Soft-deleted copies expire by the
 * account's retention (infra), which is why nothing here undeletes or lists versions.
 */
export async function deleteBlobsUnder(
  container: ContainerClient,
  prefix: string,
  options: { keep?: (name: string) => boolean } = {},
): Promise<number> {
  let deleted = 0;
  for await (const blob of container.listBlobsFlat({ prefix })) {
    if (options.keep?.(blob.name)) continue;
    await container.getBlobClient(blob.name).deleteIfExists({ deleteSnapshots: 'include' });
    deleted++;
  }
  return deleted;
}
