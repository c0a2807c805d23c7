import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cosmosBillingRepository } from '../../shared/billing/billing-repository.js';
import type { BillingRecordDoc } from '../../shared/billing/documents.js';
import { cosmosProcessedStripeEvents } from '../../shared/billing/processed-events.js';
import { cosmosUsageRepository } from '../../shared/billing/usage-repository.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

const at = new Date('2026-03-10T12:00:00.000Z');
const record = (tenantId: string, id: string, createdAt: string): BillingRecordDoc => ({
  id,
  tenantId,
  type: 'billing-record',
  invoiceId: id.slice(3),
  status: 'paid',
  amountDue: 4900,
  amountPaid: 4900,
  currency: 'ron',
  createdAt,
  updatedAt: createdAt,
});

describe('the billing and usage repositories against the embedded Cosmos server', () => {
  const cosmos = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `billing-${randomUUID().slice(0, 8)}`,
  });
  const billing = cosmosBillingRepository(cosmos);
  const usage = cosmosUsageRepository(cosmos);
  const a = `tn_a_${randomUUID().slice(0, 8)}`;
  const b = `tn_b_${randomUUID().slice(0, 8)}`;

  beforeAll(() => cosmos.ensure());
  afterAll(() => cosmos.dispose());

  it('keeps billing state and records per tenant, and finds a tenant by its Stripe customer', async () => {
    await billing.saveState(a, {
      id: 'billing',
      tenantId: a,
      type: 'billing-customer',
      customerId: `cus_${a}`,
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    await billing.saveRecord(a, record(a, 'br_in_1', '2026-01-01T00:00:00.000Z'));
    await billing.saveRecord(a, record(a, 'br_in_2', '2026-02-01T00:00:00.000Z'));
    expect((await billing.listRecords(a)).map((r) => r.id)).toEqual(['br_in_2', 'br_in_1']);
    expect(await billing.getState(b)).toBeUndefined();
    expect(await billing.getRecord(b, 'br_in_1')).toBeUndefined();
    expect(await billing.listRecords(b)).toEqual([]);
    expect(await billing.tenantOfCustomer(`cus_${a}`)).toBe(a);
  });

  it('refuses stored documents that do not match their schema', async () => {
    await cosmos.container('billing').items.create({
      id: 'br_bad',
      tenantId: b,
      type: 'billing-record',
      createdAt: at.toISOString(),
    });
    await expect(billing.getRecord(b, 'br_bad')).rejects.toBeInstanceOf(CorruptDocumentError);
    await expect(billing.listRecords(b)).rejects.toBeInstanceOf(CorruptDocumentError);
    await cosmos.container('billing').item('br_bad', b).delete();
    await cosmos.container('usage').items.create({ id: 'usage-2026-03', tenantId: b, type: 'usage', replies: 'x' });
    await expect(usage.get(b, '2026-03')).rejects.toBeInstanceOf(CorruptDocumentError);
    await cosmos.container('usage').item('usage-2026-03', b).delete();
  });

  it('meters usage with increments, and forgets one tenant only', async () => {
    await usage.add(a, '2026-03', { replies: 1, inputTokens: 10 }, at);
    await usage.add(a, '2026-03', { replies: 1, handoffs: 1 }, at);
    await usage.add(a, '2026-02', { replies: 1 }, at);
    await usage.add(b, '2026-03', { replies: 5 }, at);
    expect(await usage.get(a, '2026-03')).toMatchObject({ replies: 2, handoffs: 1, inputTokens: 10 });
    expect(await usage.forgetTenant(a)).toBe(2);
    expect(await usage.get(a, '2026-03')).toBeUndefined();
    expect((await usage.get(b, '2026-03'))?.replies).toBe(5);
  });

  it('keeps billing records when a tenant is forgotten (§9: ten years, even after deletion)', async () => {
    expect(await billing.forgetTenant(a)).toBe(0);
    expect(await billing.listRecords(a)).toHaveLength(2);
    expect(await billing.getState(a)).toBeDefined();
  });

  it('remembers processed Stripe events', async () => {
    const events = cosmosProcessedStripeEvents(cosmos);
    const id = `evt_${randomUUID()}`;
    expect(await events.has(id)).toBe(false);
    await events.remember(id, at);
    expect(await events.has(id)).toBe(true);
  });
});
