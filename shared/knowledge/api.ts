import { z } from 'zod';
import { messageRepository } from '../conversations/index.js';
import { defineRoute } from '../platform/api.js';
import { InvalidInputError } from '../platform/domain-errors.js';
import { readRawBody } from '../platform/http.js';
import { isoTime } from '../platform/iso-time.js';
import { pageQuery, pageSchema } from '../platform/paging.js';
import { problems } from '../platform/problem.js';
import type { Runtime } from '../platform/runtime.js';
import { createEntry } from './create-entry.js';
import { deleteDocument, deleteEntry } from './delete-entry.js';
import { entrySchema, view } from './entry-view.js';
import { knowledgeDeps } from './knowledge-deps.js';
import { documentTypeOf, readMultipart, type Upload } from './multipart-upload.js';
import { type ProfilePatch, patchProfile, readProfile, saveProfile } from './profile.js';
import { knowledgeStatus, listEntries, readDocumentOriginal, readDocumentText, readEntry } from './read-entries.js';
import {
  DOCUMENT_TYPES,
  type Faq,
  faqSchema,
  type KbEntryDoc,
  MAX_DOCUMENT_BYTES,
  profileSchema,
  type Service,
  serviceSchema,
} from './schemas.js';
import { updateEntry } from './update-entry.js';
import { uploadDocument } from './upload-document.js';

const EDITORS = ['owner', 'admin'] as const;
const entryIdParams = z.object({ entryId: z.string().regex(/^[\w-]{1,64}$/) });
const documentIdParams = z.object({ documentId: z.string().regex(/^[\w-]{1,64}$/) });

const newEntrySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('service'), data: serviceSchema }),
    z.strictObject({ kind: z.literal('faq'), data: faqSchema }),
  ])
  .meta({ id: 'NewKnowledgeEntry' });

/** One page of entries as a list route answers it; `list` names the route, so its tokens open only there. */
async function entriesPage(
  rt: Runtime,
  tenantId: string,
  kind: KbEntryDoc['kind'] | undefined,
  list: string,
  query: { limit: number; continuationToken?: string | undefined },
) {
  const page = await listEntries(knowledgeDeps(rt), tenantId, kind, {
    secret: rt.settings.PAGE_TOKEN_SECRET,
    kind: list,
    limit: query.limit,
    token: query.continuationToken,
  });
  return {
    status: 200 as const,
    body: {
      items: page.items.map(view),
      ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
    },
  };
}

export const listEntriesRoute = defineRoute({
  name: 'v1-knowledge-entries-list',
  method: 'GET',
  path: 'v1/knowledge/entries',
  summary: 'List knowledge base entries, oldest first, a page at a time',
  description:
    'Every entry the assistant answers from: the profile (kind `profile`, also at /v1/knowledge/profile), services, ' +
    'FAQs and documents. `kind` lists one of them, such as `kind=service` for a price list.',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  query: z.object({ kind: z.enum(['profile', 'service', 'faq', 'document']).optional(), ...pageQuery }),
  response: { status: 200, description: 'A page of entries', schema: pageSchema(entrySchema) },
  handler: async ({ rt, tenantId, query }) => entriesPage(rt, tenantId, query.kind, 'v1-knowledge-entries-list', query),
});

/** An entry answered with its version as the ETag, the value `If-Match` (profile) and `version` (entries) take. */
function versioned<S extends 200 | 201>(status: S, entry: KbEntryDoc, headers: Record<string, string> = {}) {
  return { status, body: view(entry), headers: { etag: `"${entry.version}"`, ...headers } };
}

export const createEntryRoute = defineRoute({
  name: 'v1-knowledge-entries-create',
  method: 'POST',
  path: 'v1/knowledge/entries',
  summary: 'Add a service or an FAQ entry',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  body: newEntrySchema,
  response: { headers: ['Location', 'ETag'], status: 201, description: 'The new entry', schema: entrySchema },
  handler: async ({ rt, tenantId, principal, body, ip }) => {
    const entry = await createEntry(knowledgeDeps(rt), tenantId, { ...principal, ip }, body);
    return versioned(201, entry, { location: `/api/v1/knowledge/entries/${entry.id}` });
  },
});

export const getEntryRoute = defineRoute({
  name: 'v1-knowledge-entries-get',
  method: 'GET',
  path: 'v1/knowledge/entries/{entryId}',
  summary: 'Read one entry',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: entryIdParams,
  errors: [404],
  response: { headers: ['ETag'], status: 200, description: 'The entry', schema: entrySchema },
  handler: async ({ rt, tenantId, params }) =>
    versioned(200, await readEntry(knowledgeDeps(rt), tenantId, params.entryId)),
});

/**
 * The body of a PUT. Its data is checked by the entry's own kind in `updateEntry`, so errors name the
 * fields of that kind ("data.answer" for an FAQ); here the union only documents the two shapes.
 */
const putEntrySchema = z.strictObject({
  version: z.number().int().positive(),
  kind: z
    .enum(['service', 'faq'])
    .optional()
    .describe("Optional; when sent it must be the entry's own kind, which never changes"),
  data: z
    .custom<Service | Faq>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object')
    .meta({ type: 'object', anyOf: [{ $ref: '#/components/schemas/Service' }, { $ref: '#/components/schemas/Faq' }] }),
});

export const updateEntryRoute = defineRoute({
  name: 'v1-knowledge-entries-update',
  method: 'PUT',
  path: 'v1/knowledge/entries/{entryId}',
  summary: 'Replace a service or FAQ entry; send the version you read',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: entryIdParams,
  body: putEntrySchema,
  errors: [404, 409],
  response: { headers: ['ETag'], status: 200, description: 'The updated entry', schema: entrySchema },
  handler: async ({ rt, tenantId, principal, params, body, ip }) =>
    versioned(200, await updateEntry(knowledgeDeps(rt), tenantId, { ...principal, ip }, params.entryId, body)),
});

export const deleteEntryRoute = defineRoute({
  name: 'v1-knowledge-entries-delete',
  method: 'DELETE',
  path: 'v1/knowledge/entries/{entryId}',
  summary: 'Delete an entry (documents too, with their files)',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: entryIdParams,
  errors: [404],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await deleteEntry(knowledgeDeps(rt), tenantId, { ...principal, ip }, params.entryId);
    return { status: 204 };
  },
});

const replyUseSchema = z
  .object({
    messageId: z.string(),
    conversationId: z.string(),
    text: z.string().optional(),
    createdAt: isoTime,
    passageIds: z.array(z.string()),
  })
  .meta({ id: 'ReplyUse' });

export const entryRepliesRoute = defineRoute({
  name: 'v1-knowledge-entries-replies',
  method: 'GET',
  path: 'v1/knowledge/entries/{entryId}/replies',
  summary: 'Bot replies that used this entry (lineage), newest first',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: entryIdParams,
  errors: [404],
  response: { status: 200, description: 'Replies', schema: z.object({ items: z.array(replyUseSchema) }) },
  handler: async ({ rt, tenantId, params }) => {
    const resources = await messageRepository(rt).repliesUsingEntry(tenantId, params.entryId);
    // A deleted entry still shows the replies that used it; an id this tenant never had is not found.
    if (resources.length === 0) await readEntry(knowledgeDeps(rt), tenantId, params.entryId);
    return {
      status: 200,
      body: {
        items: resources.slice(0, 100).map((m) => ({
          messageId: m.id,
          conversationId: m.conversationId,
          text: m.text,
          createdAt: m.createdAt,
          passageIds: (m.lineage?.passageIds as string[] | undefined) ?? [],
        })),
      },
    };
  },
});

export const getProfileRoute = defineRoute({
  name: 'v1-knowledge-profile-get',
  method: 'GET',
  path: 'v1/knowledge/profile',
  summary: 'Read the business profile',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  errors: [404],
  response: { headers: ['ETag'], status: 200, description: 'The profile', schema: entrySchema },
  handler: async ({ rt, tenantId }) => versioned(200, await readProfile(knowledgeDeps(rt), tenantId)),
});

/** The profile's save routes read the version the caller read from `If-Match`. */
const ifMatchHeader = z.object({
  'If-Match': z
    .string()
    .optional()
    .meta({ description: 'The version you read, "3" (or W/"3"); "0" before the first save.', example: '"3"' }),
});

const ifMatchOf = (request: { headers: { get(name: string): string | null } }) =>
  versionIn(request.headers.get('if-match'));

export const putProfileRoute = defineRoute({
  name: 'v1-knowledge-profile-put',
  method: 'PUT',
  path: 'v1/knowledge/profile',
  summary: 'Create or replace the business profile',
  description:
    'Send `If-Match` with the `version` you read (`"3"`, or `"0"` before the first save) and a profile someone ' +
    'changed meanwhile is refused with 409 instead of overwritten. Without it the profile is replaced as sent.',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  body: profileSchema,
  headers: ifMatchHeader,
  response: { headers: ['ETag'], status: 200, description: 'The profile', schema: entrySchema },
  errors: [409],
  handler: async ({ rt, tenantId, principal, body, ip, request }) =>
    versioned(200, await saveProfile(knowledgeDeps(rt), tenantId, { ...principal, ip }, body, ifMatchOf(request))),
});

/** Every profile field optional, and `null` to clear one. */
const profilePatchSchema = (
  z.strictObject(
    Object.fromEntries(
      Object.entries(profileSchema.partial().shape).map(([field, schema]) => [field, schema.nullable()]),
    ),
  ) as unknown as z.ZodType<ProfilePatch>
).meta({ id: 'BusinessProfilePatch' });

export const patchProfileRoute = defineRoute({
  name: 'v1-knowledge-profile-patch',
  method: 'PATCH',
  path: 'v1/knowledge/profile',
  summary: 'Change some fields of the business profile',
  description:
    'JSON Merge Patch (RFC 7396): a field sent is set, a field sent as `null` is cleared, a field left out stays as ' +
    'it is, so a form that edits the phone never erases the policies. One level deep: `hours` is sent and replaced ' +
    'whole. The result must still be a whole profile (a `name`). `If-Match` works as on PUT.',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  body: profilePatchSchema,
  headers: ifMatchHeader,
  response: { headers: ['ETag'], status: 200, description: 'The profile', schema: entrySchema },
  errors: [409],
  handler: async ({ rt, tenantId, principal, body, ip, request }) =>
    versioned(200, await patchProfile(knowledgeDeps(rt), tenantId, { ...principal, ip }, body, ifMatchOf(request))),
});

/** Pure: the version an `If-Match` header names ("3", `W/"3"`), undefined for none or "*"; anything else is refused. */
function versionIn(ifMatch: string | null): number | undefined {
  if (ifMatch === null || ifMatch.trim() === '*') return undefined;
  const version = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch)?.[1];
  if (version === undefined)
    throw new InvalidInputError('If-Match must be the version you read, such as "3".', [
      { field: 'If-Match', message: 'must be a version number' },
    ]);
  return Number(version);
}

const binary = z.string().meta({ format: 'binary' });

export const uploadDocumentRoute = defineRoute({
  name: 'v1-knowledge-documents-upload',
  method: 'POST',
  path: 'v1/knowledge/documents',
  summary:
    'Upload a document (txt, md, html, pdf, docx) as multipart/form-data (field "file", as a browser form sends it) or as the raw body with ?fileName=; its text is extracted and indexed',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  query: z.object({
    fileName: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .regex(/^[^/\\]+$/, 'must be a plain file name')
      .optional()
      .describe('Required with a raw body; multipart takes the file name from the part'),
  }),
  requestBody: {
    required: true,
    description: 'The document, as multipart/form-data or as the raw bytes with their own content type',
    content: {
      'multipart/form-data': {
        schema: z.object({
          file: binary.describe('The document'),
          fileName: z.string().optional().describe("Overrides the part's file name"),
        }),
      },
      ...Object.fromEntries(Object.keys(DOCUMENT_TYPES).map((type) => [type, { schema: binary }])),
    },
  },
  errors: [413, 415],
  response: { headers: ['Location'], status: 202, description: 'Accepted; indexing follows', schema: entrySchema },
  handler: async ({ rt, tenantId, principal, query, request, ip }) => {
    const header = request.headers.get('content-type') ?? '';
    const multipart = /^multipart\/form-data\b/i.test(header);
    // Multipart adds a little framing around the file; the file itself is held to the same limit.
    const body = await readRawBody(request, multipart ? MAX_DOCUMENT_BYTES + 64 * 1024 : MAX_DOCUMENT_BYTES);
    const upload: Upload = multipart
      ? await readMultipart(body, header, MAX_DOCUMENT_BYTES)
      : { fileName: query.fileName, contentType: header, bytes: body };
    const fileName = upload.fileName?.trim().split(/[/\\]/).pop();
    if (!fileName)
      throw problems.badRequest('Name the file: ?fileName= with a raw body, or a file name on the multipart part.', [
        { field: 'query.fileName', message: 'required' },
      ]);
    const contentType = documentTypeOf(upload.contentType, fileName);
    if (!contentType) throw problems.unsupportedMediaType(Object.keys(DOCUMENT_TYPES).join(', '));
    const doc = await uploadDocument(
      knowledgeDeps(rt),
      tenantId,
      { ...principal, ip },
      {
        fileName,
        contentType,
        bytes: upload.bytes,
      },
    );
    // Where to watch the extraction: the entry's status goes from "processing" to "ready" or "failed".
    return { status: 202, body: view(doc), headers: { location: `/api/v1/knowledge/entries/${doc.id}` } };
  },
});

export const downloadDocumentRoute = defineRoute({
  name: 'v1-knowledge-documents-original',
  method: 'GET',
  path: 'v1/knowledge/documents/{documentId}/original',
  summary: 'Download the original file as it was uploaded',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: documentIdParams,
  errors: [404],
  response: { status: 200, description: 'The file', raw: Object.keys(DOCUMENT_TYPES) },
  handler: async ({ rt, tenantId, params }) => {
    const { entry, bytes } = await readDocumentOriginal(knowledgeDeps(rt), tenantId, params.documentId);
    const ascii = entry.data.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
    return {
      status: 200,
      raw: bytes,
      headers: {
        'content-type': entry.data.contentType,
        'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(entry.data.fileName)}`,
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      },
    };
  },
});

export const documentTextRoute = defineRoute({
  name: 'v1-knowledge-documents-text',
  method: 'GET',
  path: 'v1/knowledge/documents/{documentId}/text',
  summary: 'The text extracted from a document, as the assistant reads it',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: documentIdParams,
  errors: [404, 409],
  response: {
    status: 200,
    description: 'The extracted text',
    schema: z
      .object({ documentId: z.string(), fileName: z.string(), chars: z.number().int(), text: z.string() })
      .meta({ id: 'DocumentText' }),
  },
  handler: async ({ rt, tenantId, params }) => {
    const { entry, text } = await readDocumentText(knowledgeDeps(rt), tenantId, params.documentId);
    return { status: 200, body: { documentId: entry.id, fileName: entry.data.fileName, chars: text.length, text } };
  },
});

export const listDocumentsRoute = defineRoute({
  name: 'v1-knowledge-documents-list',
  method: 'GET',
  path: 'v1/knowledge/documents',
  summary: 'List uploaded documents with their extraction status, a page at a time',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  query: z.object(pageQuery),
  response: { status: 200, description: 'A page of documents', schema: pageSchema(entrySchema) },
  handler: async ({ rt, tenantId, query }) =>
    entriesPage(rt, tenantId, 'document', 'v1-knowledge-documents-list', query),
});

export const deleteDocumentRoute = defineRoute({
  name: 'v1-knowledge-documents-delete',
  method: 'DELETE',
  path: 'v1/knowledge/documents/{documentId}',
  summary: 'Delete a document and its files',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  params: documentIdParams,
  errors: [404],
  response: { status: 204, description: 'Deleted' },
  handler: async ({ rt, tenantId, principal, params, ip }) => {
    await deleteDocument(knowledgeDeps(rt), tenantId, { ...principal, ip }, params.documentId);
    return { status: 204 };
  },
});

export const indexStatusRoute = defineRoute({
  name: 'v1-knowledge-status',
  method: 'GET',
  path: 'v1/knowledge/status',
  summary: 'Indexing status of the knowledge base',
  tag: 'Knowledge base',
  roles: [...EDITORS],
  response: {
    status: 200,
    description: 'Index state',
    schema: z
      .object({
        version: z.number().int(),
        builtVersion: z.number().int(),
        status: z.enum(['ready', 'stale', 'building', 'failed', 'empty']),
        chunkCount: z.number().int(),
        builtAt: isoTime.optional(),
        embeddings: z.boolean(),
      })
      .meta({ id: 'KnowledgeStatus' }),
  },
  handler: async ({ rt, tenantId }) => ({ status: 200, body: await knowledgeStatus(knowledgeDeps(rt), tenantId) }),
});

export const knowledgeRoutes = [
  listEntriesRoute,
  createEntryRoute,
  getEntryRoute,
  updateEntryRoute,
  deleteEntryRoute,
  entryRepliesRoute,
  getProfileRoute,
  putProfileRoute,
  patchProfileRoute,
  uploadDocumentRoute,
  listDocumentsRoute,
  downloadDocumentRoute,
  documentTextRoute,
  deleteDocumentRoute,
  indexStatusRoute,
];
