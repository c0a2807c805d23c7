import type { Container } from '@azure/cosmos';
import type { z } from 'zod';
import { assertTenant, parseStored } from './repository.js';

/** True when a Cosmos error is a conflict (the document already exists). */
export function isConflict(error: unknown): boolean {
  return (error as { code?: number }).code === 409;
}

function isPreconditionFailed(error: unknown): boolean {
  return (error as { code?: number }).code === 412;
}

/** Creates a document; returns false if it already existed (idempotent create). */
export async function createOnce<T extends { id: string }>(container: Container, doc: T): Promise<boolean> {
  try {
    await container.items.create(doc);
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/**
 * Read-modify-write with an etag, retried on a concurrent change. `change` returns the new document,
 * or undefined to leave it alone.
 */
export async function updateWithRetry<T extends { id: string; _etag?: string }>(
  container: Container,
  id: string,
  partitionKey: string,
  change: (current: T) => T | undefined,
  attempts = 5,
): Promise<T | undefined> {
  for (let i = 0; i < attempts; i++) {
    const { resource } = await container.item(id, partitionKey).read<T>();
    if (!resource) return undefined;
    const next = change(resource);
    if (!next) return resource;
    try {
      const { resource: saved } = await container
        .item(id, partitionKey)
        .replace(next, { accessCondition: { type: 'IfMatch', condition: resource._etag as string } });
      return saved as T;
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
    }
  }
  throw new Error(`Gave up updating ${id} after ${attempts} concurrent changes`);
}

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
