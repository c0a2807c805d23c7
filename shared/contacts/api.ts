import { z } from 'zod';
import { audit } from '../audit/index.js';
import { applyTransition, conversationsOf } from '../conversations/index.js';
import { defineRoute } from '../platform/api.js';
import { updateWithRetry } from '../platform/document-store.js';
import { isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema, queryPage } from '../platform/paging.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { deleteContact, exportContact } from '../privacy/index.js';
import type { ContactDoc } from './contact-document.js';
import { getContact } from './reads.js';

const idParams = z.object({ contactId: z.string().regex(/^ct_[\w-]{10,64}$/) });

const contactView = z
  .object({
    id: z.string(),
    channelId: z.string(),
    platform: z.enum(['messenger', 'instagram']),
    name: z.string().optional(),
    profilePicUrl: z.string().optional(),
    locale: z.string().optional(),
    restrictedAt: isoTime.optional(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Contact' });

function view(c: ContactDoc): z.infer<typeof contactView> {
  return {
    id: c.id,
    channelId: c.channelId,
    platform: c.platform,
    ...(c.name ? { name: c.name } : {}),
    ...(c.profilePicUrl ? { profilePicUrl: c.profilePicUrl } : {}),
    ...(c.locale ? { locale: c.locale } : {}),
    ...(c.restrictedAt ? { restrictedAt: c.restrictedAt } : {}),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

async function contactOr404(rt: Runtime, tenantId: string, id: string): Promise<ContactDoc> {
  const c = await getContact(rt, tenantId, id);
  if (!c) throw problems.notFound('contact');
  return c;
}

export const listContactsRoute = defineRoute({
  name: 'v1-contacts-list',
  method: 'GET',
  path: 'v1/contacts',
  summary: 'List contacts, newest first; `q` searches by name (case-insensitive)',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  query: z.object({ q: z.string().trim().min(1).max(100).optional().describe('Part of the name'), ...pageQuery }),
  response: { status: 200, description: 'A page of contacts', schema: pageSchema(contactView) },
  handler: async ({ rt, tenantId, query }) => {
    const byName = query.q ? ' AND IS_STRING(c.name) AND CONTAINS(LOWER(c.name), @q)' : '';
    const page = await queryPage<ContactDoc>(rt.cosmos.container('contacts'), {
      secret: rt.settings.PAGE_TOKEN_SECRET,
      kind: 'v1-contacts-list',
      tenantId,
      query: `SELECT * FROM c WHERE c.tenantId = @tenantId AND c.type = 'contact'${byName} ORDER BY c.createdAt DESC`,
      parameters: query.q ? [{ name: '@q', value: query.q.toLowerCase() }] : [],
      limit: query.limit,
      token: query.continuationToken,
    });
    return {
      status: 200,
      body: {
        items: page.items.map(view),
        ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
      },
    };
  },
});

export const getContactRoute = defineRoute({
  name: 'v1-contacts-get',
  method: 'GET',
  path: 'v1/contacts/{contactId}',
  summary: 'Read one contact',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: { status: 200, description: 'The contact', schema: contactView },
  handler: async ({ rt, tenantId, params }) => ({
    status: 200,
    body: view(await contactOr404(rt, tenantId, params.contactId)),
  }),
});

export const rectifyContactRoute = defineRoute({
  name: 'v1-contacts-rectify',
  method: 'PATCH',
  path: 'v1/contacts/{contactId}',
  summary: 'Rectify a contact (GDPR Art. 16)',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  body: z
    .strictObject({
      name: z.string().trim().min(1).max(200).optional(),
      locale: z
        .string()
        .regex(/^[a-z]{2}(_[A-Z]{2})?$/)
        .optional(),
    })
    .meta({ id: 'ContactRectification' }),
  errors: [404],
  response: { status: 200, description: 'The contact', schema: contactView },
  handler: async ({ rt, tenantId, principal, params, body, ip }) => {
    await contactOr404(rt, tenantId, params.contactId);
    const saved = await updateWithRetry<ContactDoc>(
      rt.cosmos.container('contacts'),
      params.contactId,
      tenantId,
      (c) => ({ ...c, ...body, updatedAt: rt.clock.now().toISOString() }),
    );
    await audit(rt, {
      tenantId,
      action: 'contact.rectify',
      actor: principal,
      ip,
      target: { type: 'contact', id: params.contactId },
      details: { fields: Object.keys(body) },
    });
    return { status: 200, body: view(saved as ContactDoc) };
  },
});

export const restrictContactRoute = defineRoute({
  name: 'v1-contacts-restrict',
  method: 'POST',
  path: 'v1/contacts/{contactId}/restriction',
  summary: 'Restrict processing (GDPR Art. 18): the bot stops and nothing new is stored',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: { status: 200, description: 'The contact', schema: contactView },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await contactOr404(rt, tenantId, params.contactId);
    const saved = await updateWithRetry<ContactDoc>(rt.cosmos.container('contacts'), params.contactId, tenantId, (c) =>
      c.restrictedAt
        ? undefined
        : { ...c, restrictedAt: rt.clock.now().toISOString(), updatedAt: rt.clock.now().toISOString() },
    );
    for (const c of await conversationsOf(rt, tenantId, params.contactId))
      await applyTransition(rt, tenantId, c.id, { type: 'restrict', by: principal.sub });
    await audit(rt, {
      tenantId,
      action: 'contact.restrict',
      actor: principal,
      ip,
      target: { type: 'contact', id: params.contactId },
    });
    return { status: 200, body: view(saved as ContactDoc) };
  },
});

export const liftRestrictionRoute = defineRoute({
  name: 'v1-contacts-lift-restriction',
  method: 'DELETE',
  path: 'v1/contacts/{contactId}/restriction',
  summary: 'Lift a restriction of processing',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: { status: 200, description: 'The contact', schema: contactView },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await contactOr404(rt, tenantId, params.contactId);
    const saved = await updateWithRetry<ContactDoc>(
      rt.cosmos.container('contacts'),
      params.contactId,
      tenantId,
      (c) => {
        if (!c.restrictedAt) return undefined;
        const { restrictedAt: _r, ...rest } = c;
        return { ...rest, updatedAt: rt.clock.now().toISOString() } as ContactDoc;
      },
    );
    for (const c of await conversationsOf(rt, tenantId, params.contactId)) {
      if (c.state === 'restricted')
        await applyTransition(rt, tenantId, c.id, { type: 'lift_restriction', by: principal.sub });
    }
    await audit(rt, {
      tenantId,
      action: 'contact.lift_restriction',
      actor: principal,
      ip,
      target: { type: 'contact', id: params.contactId },
    });
    return { status: 200, body: view(saved as ContactDoc) };
  },
});

export const exportContactRoute = defineRoute({
  name: 'v1-contacts-export',
  method: 'GET',
  path: 'v1/contacts/{contactId}/export',
  summary: 'Everything held about one contact, as JSON (GDPR Art. 15 and 20)',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: {
    status: 200,
    description: 'The export',
    schema: z
      .object({
        format: z.literal('aliat.contact-export.v1'),
        exportedAt: isoTime,
        contact: z.record(z.string(), z.unknown()),
        conversations: z.array(z.record(z.string(), z.unknown())),
      })
      .meta({ id: 'ContactExport' }),
  },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    const contact = await contactOr404(rt, tenantId, params.contactId);
    const data = await exportContact(rt, contact);
    await audit(rt, {
      tenantId,
      action: 'contact.export',
      actor: principal,
      ip,
      target: { type: 'contact', id: contact.id },
      details: { conversations: data.conversations.length },
    });
    return {
      status: 200,
      body: { format: 'aliat.contact-export.v1', exportedAt: rt.clock.now().toISOString(), ...data },
      headers: { 'content-disposition': `attachment; filename="${contact.id}.json"` },
    };
  },
});

export const deleteContactRoute = defineRoute({
  name: 'v1-contacts-delete',
  method: 'DELETE',
  path: 'v1/contacts/{contactId}',
  summary: 'Delete a contact and everything about them (GDPR Art. 17)',
  tag: 'Contacts',
  roles: ['owner', 'admin'],
  params: idParams,
  errors: [404],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await contactOr404(rt, tenantId, params.contactId);
    const counts = await deleteContact(rt, tenantId, params.contactId);
    await audit(rt, {
      tenantId,
      action: 'contact.delete',
      actor: principal,
      ip,
      target: { type: 'contact', id: params.contactId },
      details: counts,
    });
    return { status: 204 };
  },
});

export const contactRoutes = [
  listContactsRoute,
  getContactRoute,
  rectifyContactRoute,
  restrictContactRoute,
  liftRestrictionRoute,
  exportContactRoute,
  deleteContactRoute,
];
