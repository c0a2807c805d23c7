import { keyedRef } from '../platform/crypto.js';
import type { Runtime } from '../platform/runtime.js';
import type { DeletionPath, SubjectKind, TombstoneDoc } from './privacy-documents.js';
import { cosmosPrivacyRecordsRepository } from './privacy-records-repository.js';

/**
 * Each deletion path leaves a tombstone: "this subject was erased at this time", with a keyed hash
 * instead of the id, so a restore can drop the subject's documents again.
 */
export type { DeletionPath, SubjectKind, TombstoneDoc } from './privacy-documents.js';

/** The keyed reference of a subject, with the runtime's key. */
export function subjectRef(rt: { settings: { PSEUDONYM_KEY: string } }, kind: SubjectKind, id: string): string {
  return keyedRef(rt.settings.PSEUDONYM_KEY, kind, id);
}

export function tombstoneId(ref: string, kind: SubjectKind): string {
  return `ts_${kind}_${ref}`;
}

export async function writeTombstone(
  rt: Runtime,
  kind: SubjectKind,
  id: string,
  path?: DeletionPath,
): Promise<TombstoneDoc> {
  const ref = subjectRef(rt, kind, id);
  const doc: TombstoneDoc = {
    id: tombstoneId(ref, kind),
    type: 'tombstone',
    kind,
    ref,
    erasedAt: rt.clock.now().toISOString(),
    ...(path ? { path } : {}),
  };
  await cosmosPrivacyRecordsRepository(rt.cosmos).saveTombstone(doc);
  return doc;
}

/** The tombstone of a subject, if it was erased. */
export async function findTombstone(rt: Runtime, kind: SubjectKind, id: string): Promise<TombstoneDoc | undefined> {
  const docId = tombstoneId(subjectRef(rt, kind, id), kind);
  return cosmosPrivacyRecordsRepository(rt.cosmos).getTombstone(docId);
}

/** Tombstones written since a time (a restore replays them). */
export function tombstonesSince(rt: Pick<Runtime, 'cosmos'>, since: Date): Promise<TombstoneDoc[]> {
  return cosmosPrivacyRecordsRepository(rt.cosmos).tombstonesSince(since);
}
