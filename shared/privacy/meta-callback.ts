import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { audit } from '../audit/index.js';
import { InvalidInputError, NotFoundError } from '../platform/domain-errors.js';
import { json, readRawBody } from '../platform/http.js';
import { log } from '../platform/log.js';
import { QUEUES, sendToQueue } from '../platform/queues.js';
import type { Runtime } from '../platform/runtime.js';
import { createDeletionRequest, deletionStatusView, derivedConfirmationCode, getDeletionRequest } from './requests.js';
import { verifySignedRequest } from './signed-request.js';
import { subjectRef } from './tombstones.js';

/**
 * POST /api/meta/data-deletion (§12.3): Meta's data deletion callback. Verifies the signed_request,
 * schedules deletion of everything tied to that user id, and answers { url, confirmation_code }.
 */
export async function metaDataDeletion(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const raw = (await readRawBody(request, 16 * 1024)).toString('utf8');
  const signed = new URLSearchParams(raw).get('signed_request') ?? '';
  if (!signed)
    throw new InvalidInputError('signed_request is missing.', [{ field: 'signed_request', message: 'required' }]);
  const result = verifySignedRequest(signed, rt.settings.META_APP_SECRET, Math.floor(rt.clock.now().getTime() / 1000));
  if (!result.ok) {
    log.warn('privacy.meta_callback_refused', { reason: result.reason });
    throw new InvalidInputError(`The signed_request is not valid (${result.reason}).`, [
      { field: 'signed_request', message: result.reason },
    ]);
  }
  // Meta retrying the same callback gets the same code and schedules no second job.
  const confirmation = derivedConfirmationCode(rt, 'meta-callback', signed);
  const existing = await getDeletionRequest(rt, confirmation);
  const request_ =
    existing ??
    (await createDeletionRequest(rt, 'meta-callback', subjectRef(rt, 'end-user', result.userId), confirmation));
  if (!existing) {
    await sendToQueue(rt.bus, QUEUES.privacyJobs, {
      kind: 'end-user-deletion',
      code: request_.code,
      platformUserId: result.userId,
      appScoped: true,
      language: 'en',
      subjectRef: request_.subjectRef,
    });
  }
  await audit(rt, {
    tenantId: '_platform',
    action: 'privacy.meta_callback',
    actor: { sub: 'meta', role: 'system' },
    target: { type: 'deletion-request', id: request_.code },
    details: { replay: Boolean(existing) },
  });
  return json(200, {
    url: `${rt.settings.PUBLIC_BASE_URL}/api/meta/data-deletion/${request_.code}`,
    confirmation_code: request_.code,
  });
}

/** GET /api/meta/data-deletion/{confirmationCode}: pending or completed, with dates and nothing personal. */
export async function metaDataDeletionStatus(rt: Runtime, request: HttpRequest): Promise<HttpResponseInit> {
  const doc = await getDeletionRequest(rt, request.params.confirmationCode ?? '');
  if (!doc) throw new NotFoundError('deletion request');
  return json(200, deletionStatusView(doc), { 'cache-control': 'no-store' });
}
