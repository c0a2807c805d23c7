import type { CosmosStore } from '../platform/cosmos.js';
import { deleteItem, deleteItems, idsOfTenant } from '../platform/delete-items.js';
import { createOnce, updateWithRetry } from '../platform/document-store.js';
import { MemoryTable, parseAllStored, parseStored } from '../platform/repository.js';
import { type MemberDoc, memberDocSchema, memberId } from './account-schemas.js';
import { type BotSettings, usableBotSettings } from './bot-settings.js';
import { type InvitationDoc, invitationDocSchema } from './invitations.js';
import { type TenantDoc, tenantDocSchema } from './tenant-doc.js';

const CONTAINER = 'tenants';

/**
 * The `tenants` container: per tenant partition, the tenant document itself (id = tenant id), its
 * members and its invitations. Every method names the tenant, except the two reads that cannot know
 * it yet (who is this person a member of, at login) or that are about every tenant (staff notices).
 */
export interface TenantRepository {
  /** The tenant with usable bot settings (bad stored fields read as their defaults), or undefined. */
  get(tenantId: string): Promise<TenantDoc | undefined>;
  /** Creates the tenant document; false when it already exists. */
  create(tenant: TenantDoc): Promise<boolean>;
  /**
   * Read-modify-write of the tenant document, retried on a concurrent change; `change` returns the
   * new document or undefined to leave it. `change` sees the bot settings as stored (not repaired),
   * so an update never rewrites settings it did not mean to. Undefined when there is no tenant.
   */
  update(tenantId: string, change: (tenant: TenantDoc) => TenantDoc | undefined): Promise<TenantDoc | undefined>;
  /** Cross-partition by design, for staff notices: every tenant that is not being deleted. */
  listNotDeleting(): Promise<TenantDoc[]>;
  /** Cross-partition, for the weekly and nightly timers: every active tenant. */
  listActive(): Promise<TenantDoc[]>;
  /**
   * Cross-partition, for the retention purge: tenants closed before a time, optionally only those
   * whose knowledge base has not been purged yet.
   */
  closedBefore(before: string, options?: { knowledgeNotPurged?: boolean }): Promise<TenantDoc[]>;
  /** Records that the knowledge base of a closed tenant was purged, so the purge does not repeat it. */
  markKnowledgePurged(tenantId: string, at: string): Promise<void>;

  getMember(tenantId: string, sub: string): Promise<MemberDoc | undefined>;
  /** Creates a membership; false when the person is already a member. */
  addMember(member: MemberDoc): Promise<boolean>;
  /** Creates or replaces a membership. */
  putMember(member: MemberDoc): Promise<void>;
  /** Ends a membership; false when the person was not a member. */
  removeMember(tenantId: string, sub: string): Promise<boolean>;
  listMembers(tenantId: string): Promise<MemberDoc[]>;
  /** Members of a tenant whose e-mail matches, ignoring case (`email` given in lower case). */
  membersWithEmail(tenantId: string, email: string): Promise<MemberDoc[]>;
  /** Cross-partition by design: at login we know the person, not yet their tenant. */
  membershipsOf(sub: string): Promise<MemberDoc[]>;

  /** An invitation, or undefined (also when the id names another kind of document). */
  getInvitation(tenantId: string, invitationId: string): Promise<InvitationDoc | undefined>;
  createInvitation(invitation: InvitationDoc): Promise<void>;
  /** Newest first. */
  listInvitations(tenantId: string): Promise<InvitationDoc[]>;
  /** Read-modify-write with retry, like `update`; undefined when there is no such invitation. */
  updateInvitation(
    tenantId: string,
    invitationId: string,
    change: (invitation: InvitationDoc) => InvitationDoc | undefined,
  ): Promise<InvitationDoc | undefined>;

  /** Deletes the tenant's members, invitations and, last, the tenant document; returns the count. */
  forgetTenant(tenantId: string): Promise<number>;
}

/** Validates a stored tenant, leaving its bot settings as stored. */
function storedTenant(doc: unknown): TenantDoc {
  const parsed = parseStored(tenantDocSchema, CONTAINER, doc);
  return { ...parsed, bot: parsed.bot as BotSettings };
}

function usableTenant(doc: unknown, botDefaults: BotSettings): TenantDoc {
  const tenant = storedTenant(doc);
  return { ...tenant, bot: usableBotSettings(tenant.id, tenant.bot, botDefaults) };
}

const parseMember = (doc: unknown) => parseStored(memberDocSchema, CONTAINER, doc);
const parseInvitation = (doc: unknown) => parseStored(invitationDocSchema, CONTAINER, doc);

type Stored = { id: string; _etag?: string; [key: string]: unknown };

export function cosmosTenantRepository(cosmos: CosmosStore, botDefaults: BotSettings): TenantRepository {
  const container = cosmos.container('tenants');
  const inTenant = async <T>(tenantId: string, where: string, params: Array<{ name: string; value: string }> = []) =>
    (
      await container.items
        .query<T>(
          {
            query: `SELECT * FROM c WHERE c.tenantId = @t AND ${where}`,
            parameters: [{ name: '@t', value: tenantId }, ...params],
          },
          { partitionKey: tenantId },
        )
        .fetchAll()
    ).resources;
  const read = async (tenantId: string, id: string) => (await container.item(id, tenantId).read<Stored>()).resource;

  return {
    async get(tenantId) {
      const doc = await read(tenantId, tenantId);
      return doc ? usableTenant(doc, botDefaults) : undefined;
    },
    create: (tenant) => createOnce(container, tenant),
    async update(tenantId, change) {
      const saved = await updateWithRetry<Stored>(container, tenantId, tenantId, (doc) => change(storedTenant(doc)));
      return saved ? usableTenant(saved, botDefaults) : undefined;
    },
    async listNotDeleting() {
      const { resources } = await container.items
        .query("SELECT * FROM c WHERE c.type = 'tenant' AND c.status != 'deleting'")
        .fetchAll();
      return resources.map((doc) => usableTenant(doc, botDefaults));
    },
    async listActive() {
      const { resources } = await container.items
        .query("SELECT * FROM c WHERE c.type = 'tenant' AND c.status = 'active'")
        .fetchAll();
      return resources.map((doc) => usableTenant(doc, botDefaults));
    },
    async closedBefore(before, options = {}) {
      const { resources } = await container.items
        .query({
          // A mark older than the closure is an earlier closure's (an account reopened before reopening cleared it).
          query: `SELECT * FROM c WHERE c.type = 'tenant' AND c.status = 'closed' AND c.closedAt < @before ${options.knowledgeNotPurged ? 'AND (NOT IS_DEFINED(c.kbPurgedAt) OR c.kbPurgedAt < c.closedAt)' : ''}`,
          parameters: [{ name: '@before', value: before }],
        })
        .fetchAll();
      return resources.map((doc) => usableTenant(doc, botDefaults));
    },
    async markKnowledgePurged(tenantId, at) {
      await container.item(tenantId, tenantId).patch([{ op: 'set', path: '/kbPurgedAt', value: at }]);
    },

    async getMember(tenantId, sub) {
      const doc = await read(tenantId, memberId(sub));
      return doc ? parseMember(doc) : undefined;
    },
    addMember: (member) => createOnce(container, member),
    async putMember(member) {
      await container.items.upsert(member);
    },
    removeMember: (tenantId, sub) => deleteItem(container, memberId(sub), tenantId),
    async listMembers(tenantId) {
      return parseAllStored(memberDocSchema, CONTAINER, await inTenant(tenantId, "c.type = 'member'"));
    },
    async membersWithEmail(tenantId, email) {
      const docs = await inTenant(tenantId, "c.type = 'member' AND LOWER(c.email) = @e", [
        { name: '@e', value: email },
      ]);
      return parseAllStored(memberDocSchema, CONTAINER, docs);
    },
    async membershipsOf(sub) {
      const { resources } = await container.items
        .query({
          query: "SELECT * FROM c WHERE c.type = 'member' AND c.sub = @sub",
          parameters: [{ name: '@sub', value: sub }],
        })
        .fetchAll();
      return parseAllStored(memberDocSchema, CONTAINER, resources);
    },

    async getInvitation(tenantId, invitationId) {
      const doc = await read(tenantId, invitationId);
      return doc?.type === 'invitation' ? parseInvitation(doc) : undefined;
    },
    async createInvitation(invitation) {
      await container.items.create(invitation);
    },
    async listInvitations(tenantId) {
      const docs = await inTenant(tenantId, "c.type = 'invitation' ORDER BY c.createdAt DESC");
      return parseAllStored(invitationDocSchema, CONTAINER, docs);
    },
    async updateInvitation(tenantId, invitationId, change) {
      const saved = await updateWithRetry<Stored>(container, invitationId, tenantId, (doc) =>
        change(parseInvitation(doc)),
      );
      return saved ? parseInvitation(saved) : undefined;
    },

    async forgetTenant(tenantId) {
      const refs = await idsOfTenant(container, tenantId);
      // The tenant document goes last: until then an interrupted erasure can find the tenant and resume.
      const others = await deleteItems(
        container,
        refs.filter((r) => r.id !== tenantId),
      );
      return (
        others +
        (await deleteItems(
          container,
          refs.filter((r) => r.id === tenantId),
        ))
      );
    },
  };
}

type AnyDoc = TenantDoc | MemberDoc | InvitationDoc;

/** The same behaviour on memory, for unit tests of the use-cases. */
export function memoryTenantRepository(botDefaults: BotSettings): TenantRepository {
  const table = new MemoryTable<AnyDoc>();
  const partitions = new Set<string>();
  const all = (where: (doc: AnyDoc) => boolean) => [...partitions].flatMap((p) => table.list(p, where));
  const put = (tenantId: string, doc: AnyDoc) => {
    partitions.add(tenantId);
    table.put(tenantId, doc);
  };
  const members = (tenantId: string, where: (m: MemberDoc) => boolean = () => true) =>
    table.list(tenantId, (d) => d.type === 'member' && where(parseMember(d))).map(parseMember);

  return {
    async get(tenantId) {
      const doc = table.get(tenantId, tenantId);
      return doc ? usableTenant(doc, botDefaults) : undefined;
    },
    async create(tenant) {
      partitions.add(tenant.tenantId);
      return table.create(tenant.tenantId, tenant);
    },
    async update(tenantId, change) {
      const doc = table.get(tenantId, tenantId);
      if (!doc) return undefined;
      const next = change(storedTenant(doc));
      if (next) put(tenantId, next);
      return usableTenant(next ?? doc, botDefaults);
    },
    async listNotDeleting() {
      return all((d) => d.type === 'tenant' && d.status !== 'deleting').map((d) => usableTenant(d, botDefaults));
    },
    async listActive() {
      return all((d) => d.type === 'tenant' && d.status === 'active').map((d) => usableTenant(d, botDefaults));
    },
    async closedBefore(before, options = {}) {
      return all(
        (d) =>
          d.type === 'tenant' &&
          d.status === 'closed' &&
          typeof d.closedAt === 'string' &&
          d.closedAt < before &&
          !(options.knowledgeNotPurged && typeof d.kbPurgedAt === 'string' && d.kbPurgedAt >= d.closedAt),
      ).map((d) => usableTenant(d, botDefaults));
    },
    async markKnowledgePurged(tenantId, at) {
      const doc = table.get(tenantId, tenantId);
      if (doc) table.put(tenantId, { ...doc, kbPurgedAt: at });
    },

    async getMember(tenantId, sub) {
      const doc = table.get(tenantId, memberId(sub));
      return doc ? parseMember(doc) : undefined;
    },
    async addMember(member) {
      partitions.add(member.tenantId);
      return table.create(member.tenantId, member);
    },
    async putMember(member) {
      put(member.tenantId, member);
    },
    removeMember: async (tenantId, sub) =>
      table.get(tenantId, memberId(sub))?.type === 'member' && table.delete(tenantId, memberId(sub)),
    listMembers: async (tenantId) => members(tenantId),
    membersWithEmail: async (tenantId, email) => members(tenantId, (m) => m.email?.toLowerCase() === email),
    membershipsOf: async (sub) => all((d) => d.type === 'member' && d.sub === sub).map(parseMember),

    async getInvitation(tenantId, invitationId) {
      const doc = table.get(tenantId, invitationId);
      return doc?.type === 'invitation' ? parseInvitation(doc) : undefined;
    },
    async createInvitation(invitation) {
      partitions.add(invitation.tenantId);
      if (!table.create(invitation.tenantId, invitation)) throw Object.assign(new Error('Conflict'), { code: 409 });
    },
    async listInvitations(tenantId) {
      return table
        .list(tenantId, (d) => d.type === 'invitation')
        .map(parseInvitation)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    async updateInvitation(tenantId, invitationId, change) {
      const doc = table.get(tenantId, invitationId);
      if (!doc) return undefined;
      const next = change(parseInvitation(doc));
      if (next) put(tenantId, next);
      return parseInvitation(next ?? doc);
    },

    async forgetTenant(tenantId) {
      return table.deleteWhere(tenantId, (d) => d.id !== tenantId) + table.deleteWhere(tenantId);
    },
  };
}
