import type { Container } from '@azure/cosmos';
import type { z } from 'zod';
import { createOnce, updateWithRetry } from './document-store.js';
import { assertTenant, parseStored } from './repository.js';

/** updateWithRetry (platform/document-store.ts) with the stored document validated before `change` sees it. */
export async function updateValidated<S extends z.ZodType<{ id: string }>>(
  container: Container,
  schema: S,
  name: string,
  id: string,
  partition: string,
  change: (current: z.infer<S>) => z.infer<S> | undefined,
): Promise<z.infer<S> | undefined> {
  const saved = await updateWithRetry<{ id: string; _etag?: string }>(container, id, partition, (raw) =>
    change(parseStored(schema, name, raw)),
  );
  return saved ? parseStored(schema, name, saved) : undefined;
}

/** Reads one document of a partition, validated; undefined when there is none. */
export async function readValidated<S extends z.ZodType>(
  container: Container,
  schema: S,
  name: string,
  id: string,
  partition: string,
): Promise<z.infer<S> | undefined> {
  const { resource } = await container.item(id, partition).read();
  return resource ? parseStored(schema, name, resource) : undefined;
}

/** Creates a document once (createOnce), in the tenant's partition only. */
export async function createInTenant<T extends { id: string; tenantId: string }>(
  container: Container,
  tenantId: string,
  doc: T,
): Promise<boolean> {
  assertTenant(tenantId, doc);
  return createOnce(container, doc);
}
