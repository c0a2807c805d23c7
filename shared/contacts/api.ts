import { z } from 'zod';
import { audit } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema } from '../platform/paging.js';
import { deleteContact, exportContact } from '../privacy/index.js';
import { contactDeps } from './contact-deps.js';
import type { ContactDoc } from './contact-document.js';
import { findContact } from './find-contact.js';
import { rectifyContact } from './rectify-contact.js';
import { liftContactRestriction, restrictContact } from './restrict-contact.js';

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
    const page = await contactDeps(rt).contacts.list(
      tenantId,
      { ...(query.q ? { name: query.q } : {}) },
      {
        secret: rt.settings.PAGE_TOKEN_SECRET,
        kind: 'v1-contacts-list',
        limit: query.limit,
        token: query.continuationToken,
      },
    );
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
    body: view(await findContact(contactDeps(rt).contacts, tenantId, params.contactId)),
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
        .regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'a language code, optionally with a country: ro, en or en_GB')
        .optional(),
    })
    .meta({ id: 'ContactRectification' }),
  errors: [404],
  response: { status: 200, description: 'The contact', schema: contactView },
  handler: async ({ rt, tenantId, principal, params, body, ip }) => {
    const saved = await rectifyContact(contactDeps(rt), {
      tenantId,
      contactId: params.contactId,
      changes: body,
      actor: principal,
      ip,
    });
    return { status: 200, body: view(saved) };
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
    const request = { tenantId, contactId: params.contactId, actor: principal, ip };
    return { status: 200, body: view(await restrictContact(contactDeps(rt), request)) };
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
    const request = { tenantId, contactId: params.contactId, actor: principal, ip };
    return { status: 200, body: view(await liftContactRestriction(contactDeps(rt), request)) };
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
    const contact = await findContact(contactDeps(rt).contacts, tenantId, params.contactId);
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
    await findContact(contactDeps(rt).contacts, tenantId, params.contactId);
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
