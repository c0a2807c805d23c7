import { createHash } from 'node:crypto';
import type { Runtime } from '../platform/runtime.js';

/**
 * A tombstone says "this subject was erased at this time" with a one-way reference instead of
 * the id, so it holds no personal data, yet a restore can find and drop the subject's documents.
 */
export interface TombstoneDoc {
  id: string;
  type: 'tombstone';
  kind: 'tenant' | 'contact' | 'end-user' | 'knowledge-base';
  ref: string;
  erasedAt: string;
}

/** The one-way reference of a subject id. */
export function subjectRef(kind: TombstoneDoc['kind'], id: string): string {
  return createHash('sha256').update(`${kind}|${id}`).digest('base64url').slice(0, 43);
}

export async function writeTombstone(r: Runtime, kind: TombstoneDoc['kind'], id: string): Promise<TombstoneDoc> {
  const ref = subjectRef(kind, id);
  const doc: TombstoneDoc = { id: `ts_${kind}_${ref}`, type: 'tombstone', kind, ref, erasedAt: r.clock.now().toISOString() };
  await r.cosmos.container('privacy').items.upsert(doc);
  return doc;
}

/** The tombstone of a subject, if it was erased. */
export async function findTombstone(r: Runtime, kind: TombstoneDoc['kind'], id: string): Promise<TombstoneDoc | undefined> {
  const docId = `ts_${kind}_${subjectRef(kind, id)}`;
  const { resource } = await r.cosmos.container('privacy').item(docId, docId).read<TombstoneDoc>();
  return resource;
}

/** Tombstones written since a time (a restore replays them). */
export async function tombstonesSince(r: Runtime, since: Date): Promise<TombstoneDoc[]> {
  const { resources } = await r.cosmos
    .container('privacy')
    .items.query<TombstoneDoc>({ query: "SELECT * FROM c WHERE c.type = 'tombstone' AND c.erasedAt >= @since", parameters: [{ name: '@since', value: since.toISOString() }] })
    .fetchAll();
  return resources;
}
