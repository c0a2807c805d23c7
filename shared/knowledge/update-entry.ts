import { z } from 'zod';
import { ConflictError, InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import type { Actor, KnowledgeDeps } from './knowledge-deps.js';
import { actorOf } from './knowledge-deps.js';
import { type Faq, faqSchema, type KbEntryDoc, type Service, serviceSchema } from './schemas.js';

/**
 * Replaces a service or FAQ entry, only from the version the caller read (optimistic concurrency).
 * Profiles and documents have their own paths and are not found here. Data of the wrong kind
 * fails with a ZodError, which the edge answers as a validation problem.
 */
export async function updateEntry(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  entryId: string,
  input: { version: number; kind?: 'service' | 'faq' | undefined; data: Service | Faq },
): Promise<KbEntryDoc> {
  const existing = await deps.entries.getEntry(tenantId, entryId);
  if (!existing || existing.kind === 'document' || existing.kind === 'profile') throw new NotFoundError('entry');
  // A client may send back the entry as it read it, kind included; a different kind is another entry.
  if (input.kind !== undefined && input.kind !== existing.kind)
    throw new InvalidInputError(`This entry is a ${existing.kind}; its kind cannot change.`, [
      { field: 'kind', message: `must be "${existing.kind}"` },
    ]);
  // Parsed under "data" so a refusal names fields as the request does ("data.answer"); a bad body is a 400
  // whatever the version, so the client fixes it before it reloads.
  const { data } = z.object({ data: existing.kind === 'service' ? serviceSchema : faqSchema }).parse(input);
  if (existing.version !== input.version)
    throw new ConflictError(`The entry is at version ${existing.version}; reload it and try again.`);
  const saved = await deps.entries.updateEntry(tenantId, existing.id, (e) =>
    e.version === input.version
      ? ({
          ...e,
          data,
          version: e.version + 1,
          updatedAt: deps.now().toISOString(),
          updatedBy: actor.sub,
        } as KbEntryDoc)
      : undefined,
  );
  // Nothing written: another save moved the entry on between the read and the write.
  if (!saved) throw new ConflictError('The entry changed meanwhile; reload it and try again.');
  await deps.changed(tenantId);
  await deps.audit({
    tenantId,
    action: 'knowledge.update',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id: saved.id },
    details: { kind: saved.kind, version: saved.version },
  });
  return saved;
}
