import { ConflictError, InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import { fieldProblems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { profileHours } from './chunking.js';
import type { OpeningHours } from './hours.js';
import { knowledgeStores } from './knowledge-base.js';
import type { Actor, KnowledgeDeps } from './knowledge-deps.js';
import { actorOf } from './knowledge-deps.js';
import { type KbEntryDoc, type Profile, profileSchema } from './schemas.js';

export async function readProfile(deps: Pick<KnowledgeDeps, 'entries'>, tenantId: string): Promise<KbEntryDoc> {
  const entry = await deps.entries.getEntry(tenantId, 'profile');
  if (!entry) throw new NotFoundError('profile');
  return entry;
}

/**
 * The opening hours the tenant's stored profile states (the structured ones, else read whole from
 * its text, as the replies use them), or undefined when there is no profile or no readable hours.
 */
export async function profileOpeningHours(
  deps: Pick<KnowledgeDeps, 'entries'>,
  tenantId: string,
): Promise<OpeningHours | undefined> {
  const entry = await deps.entries.getEntry(tenantId, 'profile');
  return entry?.kind === 'profile' ? profileHours(entry.data).hours : undefined;
}

/** The same, read from this runtime's knowledge store. */
export function tenantOpeningHours(rt: Runtime, tenantId: string): Promise<OpeningHours | undefined> {
  return profileOpeningHours(knowledgeStores(rt), tenantId);
}

/**
 * Creates the business profile on first save, then replaces it, one version up each time. With `expectedVersion`
 * (the version the caller read; 0 for none yet), a profile that moved meanwhile is refused, as entries are.
 */
export async function saveProfile(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  profile: Profile,
  expectedVersion?: number,
  changedFields: string[] = Object.keys(profile),
): Promise<KbEntryDoc> {
  if (expectedVersion !== undefined) {
    const at = (await deps.entries.getEntry(tenantId, 'profile'))?.version ?? 0;
    if (at !== expectedVersion) throw new ConflictError(`The profile is at version ${at}; reload it and try again.`);
  }
  const now = deps.now().toISOString();
  await deps.entries.createEntry(tenantId, {
    id: 'profile',
    tenantId,
    type: 'kb-entry',
    kind: 'profile',
    version: 0,
    createdAt: now,
    updatedAt: now,
    updatedBy: actor.sub,
    data: profile,
  });
  const saved = await deps.entries.updateEntry(tenantId, 'profile', (e) =>
    expectedVersion === undefined || e.version === expectedVersion
      ? ({ ...e, data: profile, version: e.version + 1, updatedAt: now, updatedBy: actor.sub } as KbEntryDoc)
      : undefined,
  );
  if (!saved) throw new ConflictError('The profile changed meanwhile; reload it and try again.');
  await deps.changed(tenantId);
  await deps.audit({
    tenantId,
    action: 'knowledge.profile_update',
    actor: actorOf(actor),
    ip: actor.ip,
    target: { type: 'kb-entry', id: 'profile' },
    details: { fields: changedFields },
  });
  return saved as KbEntryDoc;
}

/** A change to some fields of the profile: a value sets a field, `null` clears it, a field left out stays. */
export type ProfilePatch = { [K in keyof Profile]?: Profile[K] | null };

/** Pure: the profile with a patch applied (JSON Merge Patch, RFC 7396, one level deep: `hours` is replaced whole). */
export function patchedProfile(current: Partial<Profile>, patch: ProfilePatch): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  return next;
}

/**
 * Changes only the fields sent, so a dashboard that edits the phone never erases the policies it did not load. The
 * result must still be a whole profile (a name). With `expectedVersion` a profile changed meanwhile is refused; without
 * it, the patch applies to the newest version, read again if another save lands in between.
 */
export async function patchProfile(
  deps: KnowledgeDeps,
  tenantId: string,
  actor: Actor,
  patch: ProfilePatch,
  expectedVersion?: number,
): Promise<KbEntryDoc> {
  for (let attempt = 0; ; attempt++) {
    const entry = await deps.entries.getEntry(tenantId, 'profile');
    const current = entry?.kind === 'profile' ? entry.data : {};
    const merged = profileSchema.safeParse(patchedProfile(current, patch));
    if (!merged.success)
      throw new InvalidInputError('The profile would not be whole after this change.', fieldProblems(merged.error));
    try {
      return await saveProfile(
        deps,
        tenantId,
        actor,
        merged.data,
        expectedVersion ?? entry?.version ?? 0,
        Object.keys(patch),
      );
    } catch (error) {
      if (expectedVersion !== undefined || !(error instanceof ConflictError) || attempt >= 2) throw error;
    }
  }
}
