import { describe, expect, it } from 'vitest';
import { auditDoc } from '../../shared/audit/audit.js';
import { memoryAuditRepository } from '../../shared/audit/audit-repository.js';

const actor = { sub: 'auth0|ana', role: 'owner' };
const page = { secret: 's', kind: 'v1-audit-list', limit: 2 };

describe('audit entries on a memory repository', () => {
  it('names a person only by a keyed hash, and keeps other targets as they are', () => {
    const at = new Date('2026-03-01T10:00:00Z');
    const person = auditDoc(
      { tenantId: 't', action: 'contact.delete', actor, target: { type: 'contact', id: 'c1' } },
      at,
      'k',
    );
    expect(person.target).toMatchObject({ type: 'contact', keyed: true });
    expect(person.target?.id).not.toBe('c1');
    const member = auditDoc(
      { tenantId: 't', action: 'member.invite', actor, target: { type: 'invitation', id: 'inv' } },
      at,
      'k',
    );
    expect(member.target).toEqual({ type: 'invitation', id: 'inv' });
  });

  it('pages newest first and keeps tenants apart: B neither sees nor deletes A’s entries', async () => {
    const repo = memoryAuditRepository();
    for (const [tenantId, minute] of [
      ['tn_a', 1],
      ['tn_a', 3],
      ['tn_a', 2],
      ['tn_b', 4],
    ] as const)
      await repo.append(
        auditDoc({ tenantId, action: 'settings.update', actor }, new Date(Date.UTC(2026, 2, 1, 10, minute)), 'k'),
      );
    const first = await repo.page('tn_a', page);
    expect(first.items.map((e) => e.at.slice(14, 16))).toEqual(['03', '02']);
    const second = await repo.page('tn_a', { ...page, token: first.continuationToken });
    expect(second.items.map((e) => e.at.slice(14, 16))).toEqual(['01']);
    expect(second.continuationToken).toBeUndefined();
    expect((await repo.page('tn_b', page)).items).toHaveLength(1);
    expect(await repo.forgetTenant('tn_b')).toBe(1);
    expect((await repo.page('tn_a', { ...page, limit: 10 })).items).toHaveLength(3);
  });
});
