import type { Container } from '@azure/cosmos';

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
