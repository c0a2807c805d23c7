import type { Container } from '@azure/cosmos';
import type { Runtime } from '../platform/runtime.js';
import type { ContactDoc, ConversationDoc, MessageDoc } from './documents.js';

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

export async function readDoc<T extends object>(
  container: Container,
  id: string,
  partitionKey: string,
): Promise<T | undefined> {
  const { resource } = await container.item(id, partitionKey).read<T>();
  return resource;
}

export function getConversation(r: Runtime, tenantId: string, id: string): Promise<ConversationDoc | undefined> {
  return readDoc<ConversationDoc>(r.cosmos.container('conversations'), id, tenantId);
}

export function getContact(r: Runtime, tenantId: string, id: string): Promise<ContactDoc | undefined> {
  return readDoc<ContactDoc>(r.cosmos.container('contacts'), id, tenantId);
}

export function getMessage(r: Runtime, tenantId: string, id: string): Promise<MessageDoc | undefined> {
  return readDoc<MessageDoc>(r.cosmos.container('messages'), id, tenantId);
}

/** Messages of a conversation matching extra conditions, oldest first. Always scoped to one tenant partition. */
export async function queryMessages(
  r: Runtime,
  tenantId: string,
  conversationId: string,
  where = '',
  parameters: Array<{ name: string; value: string | number | boolean }> = [],
): Promise<MessageDoc[]> {
  const { resources } = await r.cosmos
    .container('messages')
    .items.query<MessageDoc>(
      {
        query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.conversationId = @conversationId ${where} ORDER BY c.timestamp ASC`,
        parameters: [
          { name: '@tenantId', value: tenantId },
          { name: '@conversationId', value: conversationId },
          ...parameters,
        ],
      },
      { partitionKey: tenantId },
    )
    .fetchAll();
  return resources;
}
