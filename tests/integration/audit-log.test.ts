import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import type { AuditDoc } from '../../shared/audit/audit.js';
import { processStripeEvent } from '../../shared/billing/events.js';
import { conversationIdOf } from '../../shared/conversations/ids.js';
import { keyedRef } from '../../shared/platform/crypto.js';
import { signRequest } from '../../shared/privacy/signed-request.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

const PRICE = 'price_audit_starter';

/**
 * §10 "audit logs of sensitive operations": one entry per kind, with actor, action, target and time,
 * kept 12 months (ttl or the daily purge, RETENTION.logs); people named only by keyed hashes.
 */
describe('§10 audit log: one entry per sensitive operation', () => {
  let host: LocalHost;
  const settle = async () => {
    for (let i = 0; i < 3; i++) await host.broker.whenIdle();
  };
  const entries = async (tenantId: string, action: string) =>
    (
      await host.runtime.cosmos
        .container('audit')
        .items.query<AuditDoc>({
          query: 'SELECT * FROM c WHERE c.tenantId = @t AND c.action = @a',
          parameters: [
            { name: '@t', value: tenantId },
            { name: '@a', value: action },
          ],
        })
        .fetchAll()
    ).resources;
  /** The one entry of an action, checked for the four fields §10 asks for. */
  const one = async (tenantId: string, action: string, actor?: string) => {
    const found = await entries(tenantId, action);
    expect(found, action).toHaveLength(1);
    const e = found[0] as AuditDoc;
    if (actor) expect(e.actor.sub, action).toBe(actor);
    else expect(e.actor.sub, action).toMatch(/^auth0\|/);
    expect(e.target, action).toMatchObject({ type: expect.any(String), id: expect.any(String) });
    expect(Date.parse(e.at), action).not.toBeNaN();
    return e;
  };
  const staffSub = () => `auth0|staff-${Math.random().toString(36).slice(2, 8)}`;
  const staffEntries = async (sub: string) =>
    (await entries('_platform', 'staff.action')).filter((e) => e.actor.sub === sub);

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '0', STRIPE_PRICE_STARTER: PRICE } });
  });
  afterAll(async () => host?.stop());

  it('§10 knowledge-base edits: create, update and delete an FAQ or service, the profile, and a document upload and delete', async () => {
    const t = await makeTenant(host);
    const created = await api(host, t.owner, 'POST', '/api/v1/knowledge/entries', {
      body: { kind: 'faq', data: { question: 'Do you have wifi?', answer: 'Yes, free.' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await one(t.id, 'knowledge.create')).target).toEqual({ type: 'kb-entry', id });
    expect(
      (
        await api(host, t.owner, 'PUT', `/api/v1/knowledge/entries/${id}`, {
          body: { version: 1, data: { question: 'Do you have wifi?', answer: 'Yes, free, ask for the code.' } },
        })
      ).status,
    ).toBe(200);
    expect((await entries(t.id, 'knowledge.update'))[0]?.target).toEqual({ type: 'kb-entry', id });
    expect((await api(host, t.owner, 'DELETE', `/api/v1/knowledge/entries/${id}`)).status).toBe(204);
    expect((await entries(t.id, 'knowledge.delete'))[0]?.target).toEqual({ type: 'kb-entry', id });
    expect(
      (await api(host, t.owner, 'PUT', '/api/v1/knowledge/profile', { body: { name: 'Salon Audit' } })).status,
    ).toBe(200);
    expect((await entries(t.id, 'knowledge.profile_update'))[0]?.target).toEqual({ type: 'kb-entry', id: 'profile' });
    const upload = await api(host, t.owner, 'POST', '/api/v1/knowledge/documents?fileName=prices.txt', {
      raw: Buffer.from('Manicure 80 RON'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(upload.status).toBe(202);
    expect((await entries(t.id, 'knowledge.document_upload'))[0]?.target).toEqual({
      type: 'kb-entry',
      id: upload.body.id,
    });
    await settle();
    expect((await api(host, t.owner, 'DELETE', `/api/v1/knowledge/documents/${upload.body.id}`)).status).toBe(204);
    expect((await entries(t.id, 'knowledge.document_delete'))[0]?.target).toEqual({
      type: 'kb-entry',
      id: upload.body.id,
    });
    for (const action of [
      'knowledge.update',
      'knowledge.delete',
      'knowledge.profile_update',
      'knowledge.document_upload',
      'knowledge.document_delete',
    ])
      await one(t.id, action);
  });

  it('§10 human replies: the conversation is named by its keyed hash, never the text', async () => {
    const t = await makeTenant(host);
    const userId = `7${Date.now()}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'hello' }),
      host.runtime.settings.META_APP_SECRET,
    );
    await settle();
    const conversationId = conversationIdOf('instagram', t.account, userId);
    const text = `See you Saturday ${Date.now()}`;
    expect(
      (await api(host, t.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, { body: { text } })).status,
    ).toBe(202);
    const [e] = await entries(t.id, 'conversation.reply');
    expect(e?.target).toEqual({
      type: 'conversation',
      id: keyedRef(host.runtime.settings.PSEUDONYM_KEY, 'conversation', conversationId),
      keyed: true,
    });
    await one(t.id, 'conversation.reply');
    expect(JSON.stringify(e)).not.toContain(text);
    expect(JSON.stringify(e)).not.toContain(conversationId);
  });

  it('§10 billing actions: checkout, the customer portal and a plan change reported by Stripe', async () => {
    const t = await makeTenant(host, {
      extra: {
        owner: { name: 'Owner', email: `owner-${Date.now()}@salon.example`, preferredLanguage: 'en', timeZone: 'UTC' },
      },
    });
    expect((await api(host, t.owner, 'POST', '/api/v1/billing/checkout', { body: { plan: 'starter' } })).status).toBe(
      201,
    );
    const checkout = (await entries(t.id, 'billing.checkout'))[0];
    expect(checkout?.details).toEqual({ plan: 'starter' });
    await one(t.id, 'billing.checkout');
    const customer = `cus_audit_${t.id}`;
    const subscriptionId = `sub_audit_${t.id}`;
    const sub = {
      id: subscriptionId,
      object: 'subscription',
      customer,
      status: 'active',
      metadata: { tenantId: t.id },
      items: { data: [{ price: { id: PRICE }, current_period_end: Math.floor(Date.now() / 1000) + 30 * 86_400 }] },
    };
    host.stripe.subscriptions.set(subscriptionId, sub);
    await processStripeEvent(host.runtime, {
      id: `evt_audit_${t.id}`,
      object: 'event',
      type: 'customer.subscription.created',
      created: Math.floor(Date.now() / 1000),
      data: { object: sub },
    } as never);
    const change = await one(t.id, 'billing.plan_change', 'stripe');
    expect(change.target).toEqual({ type: 'subscription', id: subscriptionId });
    expect(change.details).toMatchObject({ from: 'none', to: 'starter', status: 'active' });
    // The same event again changes nothing and writes nothing.
    await processStripeEvent(host.runtime, {
      id: `evt_audit2_${t.id}`,
      object: 'event',
      type: 'customer.subscription.updated',
      created: Math.floor(Date.now() / 1000),
      data: { object: sub },
    } as never);
    expect(await entries(t.id, 'billing.plan_change')).toHaveLength(1);
    expect((await api(host, t.owner, 'POST', '/api/v1/billing/portal')).status).toBe(201);
    expect((await one(t.id, 'billing.portal')).target).toEqual({ type: 'billing-customer', id: customer });
  });

  it('§10 Meta-callback deletions: the callback and the deletion it ran, each with the deletion request as target', async () => {
    const t = await makeTenant(host);
    const userId = `8${Date.now()}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'hello' }),
      host.runtime.settings.META_APP_SECRET,
    );
    await settle();
    const signed = signRequest(
      { algorithm: 'HMAC-SHA256', issued_at: Math.floor(Date.now() / 1000), user_id: userId },
      host.runtime.settings.META_APP_SECRET,
    );
    const res = await fetch(`${host.url}/api/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `signed_request=${encodeURIComponent(signed)}`,
    });
    const { confirmation_code: code } = (await res.json()) as { confirmation_code: string };
    await settle();
    const callback = (await entries('_platform', 'privacy.meta_callback')).filter((e) => e.target?.id === code);
    expect(callback).toHaveLength(1);
    expect(callback[0]?.actor).toEqual({ sub: 'meta', role: 'system' });
    const deletion = (
      await host.runtime.cosmos
        .container('audit')
        .items.query<AuditDoc>({
          query: "SELECT * FROM c WHERE c.action = 'privacy.deletion' AND c.target.id = @c",
          parameters: [{ name: '@c', value: code }],
        })
        .fetchAll()
    ).resources;
    expect(deletion).toHaveLength(1);
    expect(deletion[0]).toMatchObject({
      actor: { sub: 'meta-callback' },
      target: { type: 'deletion-request', id: code },
      details: { result: 'deleted', contacts: 1 },
    });
    expect(JSON.stringify([...callback, ...deletion])).not.toContain(userId);
  });

  it('§10 exports by staff, and what staff can see of queued messages: an entry with a target under _platform', async () => {
    const sub = staffSub();
    const staff = await host.auth.token({ sub, role: 'staff', mfa: true });
    const started = await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-exports', {
      body: { platformUserId: '123456789', notifyTo: 'dpo@aliat.example' },
    });
    expect(started.status).toBe(202);
    expect((await api(host, staff, 'GET', '/api/v1/staff/dead-letters')).status).toBe(200);
    const mine = await staffEntries(sub);
    expect(mine.map((e) => e.details?.action).sort()).toEqual(['dead_letter_list', 'end_user_export']);
    expect(mine.find((e) => e.details?.action === 'end_user_export')?.target).toEqual({
      type: 'export',
      id: started.body.exportId,
    });
    expect(mine.find((e) => e.details?.action === 'dead_letter_list')?.target).toEqual({
      type: 'dead-letter-queue',
      id: 'all',
    });
    expect(JSON.stringify(mine)).not.toContain('123456789');
  });
});
