import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cosmosEmailDedupRepository, pendingOptinId, sentRecordId } from '../../shared/email/email-dedup-repository.js';
import { cosmosMarketingRepository, objectionId } from '../../shared/email/marketing-repository.js';
import { emailKey } from '../../shared/email/unsubscribe.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { CorruptDocumentError } from '../../shared/platform/repository.js';

describe('email repositories on Cosmos', () => {
  const store = new CosmosStore({
    endpoint: inject('cosmosEndpoint'),
    key: inject('cosmosKey'),
    database: `email-repo-${randomUUID().slice(0, 8)}`,
  });
  const marketing = cosmosMarketingRepository(store);
  const dedup = cosmosEmailDedupRepository(store);

  beforeAll(async () => {
    await store.ensure();
  });
  afterAll(async () => {
    await store.database.delete().catch(() => undefined);
    store.dispose();
  });

  it('records consent, objection and withdrawal by address key; forgetting an address keeps its objection', async () => {
    const key = emailKey('ana@x.example');
    await marketing.withdrawConsent(key, '2026-03-01T00:00:00Z');
    expect(await marketing.getProspect(key)).toBeUndefined();
    await marketing.recordConsent({ id: key, type: 'prospect', email: 'ana@x.example', consentAt: '2026-03-01' });
    await marketing.recordObjection(key, '2026-03-02T00:00:00Z');
    await marketing.withdrawConsent(key, '2026-03-02T00:00:00Z');
    expect(await marketing.getProspect(key)).toMatchObject({
      consentAt: '2026-03-01',
      withdrawnAt: '2026-03-02T00:00:00Z',
    });
    expect(await marketing.hasObjected(key)).toBe(true);
    expect(await marketing.forgetSubject(key)).toBe(1);
    expect(await marketing.getProspect(key)).toBeUndefined();
    expect(await marketing.hasObjected(key)).toBe(true);
    expect(await marketing.liftObjection(key)).toBe(true);
    expect(await marketing.liftObjection(key)).toBe(false);
  });

  it('refuses a corrupt prospect or objection', async () => {
    const key = emailKey('bad@x.example');
    await store.container('marketing').items.create({ id: key, type: 'prospect', consentAt: 42 });
    await expect(marketing.getProspect(key)).rejects.toThrow(CorruptDocumentError);
    await store.container('marketing').items.create({ id: objectionId(key), type: 'objection' });
    await expect(marketing.hasObjected(key)).rejects.toThrow(CorruptDocumentError);
  });

  it('claims a send once and hands a pending subscription out once', async () => {
    const claim = {
      id: sentRecordId('welcome:tn_a'),
      type: 'email-sent' as const,
      status: 'sending' as const,
      template: 'welcome',
      claimedAt: '2026-03-01T00:00:00Z',
      ttl: 60,
    };
    expect(await dedup.claimSend(claim)).toBe(true);
    expect(await dedup.claimSend(claim)).toBe(false);
    await dedup.putSend({ ...claim, status: 'sent' });
    expect((await dedup.getSend('welcome:tn_a'))?.status).toBe('sent');
    await dedup.releaseSend('welcome:tn_a');
    await dedup.releaseSend('welcome:tn_a');
    expect(await dedup.getSend('welcome:tn_a')).toBeUndefined();

    const nonce = 'n'.repeat(24);
    await dedup.addPendingOptin({
      id: pendingOptinId(nonce),
      type: 'optin-pending',
      email: 'p@x.example',
      source: 'website',
      requestedAt: '2026-03-01T00:00:00Z',
      expiresAt: '2026-03-03T00:00:00Z',
      ttl: 60,
    });
    const [one, two] = await Promise.all([dedup.takePendingOptin(nonce), dedup.takePendingOptin(nonce)]);
    expect([one, two].filter(Boolean)).toHaveLength(1);
    expect(await dedup.takePendingOptin(nonce)).toBeUndefined();
  });
});
