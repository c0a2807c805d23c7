import { keyedRef } from '../platform/crypto.js';
import type { Runtime } from '../platform/runtime.js';

/** What can be erased: each deletion path leaves a tombstone of one of these kinds. */
export type SubjectKind = 'tenant' | 'contact' | 'end-user' | 'knowledge-base' | 'conversation' | 'message';

/**
 * A tombstone says "this subject was erased at this time" with a keyed hash instead of the id, so
 * it holds no personal data, yet a restore (which has the key) can find and drop the subject's
 * documents. `path` says which deletion path wrote it (Customer, End-User, Meta, unsend, retention,
 * account deletion), for the audit of erasure itself.
 */
export interface TombstoneDoc {
  id: string;
  type: 'tombstone';
  kind: SubjectKind;
  ref: string;
  erasedAt: string;
  path?: DeletionPath;
}

export type DeletionPath =
  | 'customer'
  | 'end-user'
  | 'meta-callback'
  | 'unsend'
  | 'retention'
  | 'account-deletion'
  | 'child';

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
  await rt.cosmos.container('privacy').items.upsert(doc);
  return doc;
}

/** The tombstone of a subject, if it was erased. */
export async function findTombstone(rt: Runtime, kind: SubjectKind, id: string): Promise<TombstoneDoc | undefined> {
  const docId = tombstoneId(subjectRef(rt, kind, id), kind);
  const { resource } = await rt.cosmos.container('privacy').item(docId, docId).read<TombstoneDoc>();
  return resource;
}

/** Tombstones written since a time (a restore replays them). */
export async function tombstonesSince(rt: Pick<Runtime, 'cosmos'>, since: Date): Promise<TombstoneDoc[]> {
  const { resources } = await rt.cosmos
    .container('privacy')
    .items.query<TombstoneDoc>({
      query: "SELECT * FROM c WHERE c.type = 'tombstone' AND c.erasedAt >= @since",
      parameters: [{ name: '@since', value: since.toISOString() }],
    })
    .fetchAll();
  return resources;
}
