import { describe, expect, it } from 'vitest';
import { BLOB_CONTAINERS } from '../../shared/platform/blob.js';
import { IDEMPOTENCY_TTL_SECONDS } from '../../shared/platform/idempotency.js';
import { EXPORT_DAYS, LINK_HOURS } from '../../shared/privacy/exports.js';
import { COPIES, PLATFORM_RETENTION, policyTable, RETENTION, windowDays } from '../../shared/privacy/policy.js';

/** §9 (How long we keep personal data): every copy we make, live or residual, fits its window. */
describe('every copy of personal data fits the policy (§9)', () => {
  it.each(COPIES.map((c) => [c.copy, c] as const))('%s lives no longer than its window', (_name, c) => {
    expect(RETENTION[c.window], `${c.copy}: unknown window ${c.window}`).toBeDefined();
    const window = windowDays(c.window);
    if (c.longestDays === undefined)
      expect(window, `${c.copy} lives for the account's lifetime, so its rule must be bound to it`).toBeUndefined();
    else if (window !== undefined) expect(c.longestDays, c.copy).toBeLessThanOrEqual(window);
  });

  it('keeps backups plus blob soft delete within §9 "Backups: up to 90 days", with a day left for the lifecycle run', () => {
    expect(PLATFORM_RETENTION.backupBlobDays + PLATFORM_RETENTION.blobSoftDeleteDays + 1).toBeLessThanOrEqual(
      RETENTION.backups?.days ?? 0,
    );
    expect(PLATFORM_RETENTION.cosmosContinuousBackupDays).toBeLessThanOrEqual(RETENTION.backups?.days ?? 0);
  });

  it('takes the lives of code-made copies from the code that makes them', () => {
    expect(IDEMPOTENCY_TTL_SECONDS).toBe(PLATFORM_RETENTION.idempotencyDays * 86_400);
    expect(LINK_HOURS).toBeLessThanOrEqual(PLATFORM_RETENTION.exportLinkDays * 24);
    expect(EXPORT_DAYS).toBe(RETENTION.exports?.days);
  });

  it('lists a copy for every blob container, dead letters, backups, soft delete, e-mailed links and logs', () => {
    const where = COPIES.map((c) => c.where).join('\n');
    for (const b of Object.keys(BLOB_CONTAINERS)) expect(where, `blob container ${b}`).toMatch(new RegExp(`Blob ${b}`));
    for (const w of [
      'dead-letter',
      'soft delete',
      'continuous backup',
      'SAS',
      'Application Insights',
      'Service Bus queues',
      'dedup',
    ])
      expect(where).toContain(w);
  });

  it('prints every rule and every copy with its longest life (npm run policy)', () => {
    const text = policyTable();
    for (const r of Object.values(RETENTION)) expect(text).toContain(r.category);
    for (const c of COPIES) expect(text).toContain(c.copy);
    expect(text).toMatch(/Nightly backups.*\| 89 days +\|/);
  });
});
