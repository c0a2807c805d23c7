import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { contactIdOf } from '../../shared/contacts/ids.js';
import { conversationIdOf, messageIdOf } from '../../shared/conversations/ids.js';
import { createBackup } from '../../shared/operations/backup.js';
import { restoreBackup } from '../../shared/operations/restore.js';
import { LocalRestoreTarget } from '../../shared/operations/restore-target.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { runRetentionPurge } from '../../shared/privacy/purge.js';
import { tombstonesSince } from '../../shared/privacy/tombstones.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

const DAY = 86_400_000;

/**
 * §9, §11, Art. 17: for every deletion path, back up, delete, restore, and the deleted data stays
 * gone. Each restore goes into a new database, with the tombstones recorded since the backup.
 */
describe('§9 §11 restore never brings back what was deleted after the backup, by every deletion path', () => {
  let host: LocalHost;
  const clock = {
    offset: 0,
    now() {
      return new Date(Date.now() + this.offset);
    },
  };
  const targets: CosmosStore[] = [];
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
  };

  /** A tenant with one person who wrote a message carrying a unique marker. */
  async function subject() {
    const t = await makeTenant(host, {
      kb: true,
      extra: {
        owner: {
          name: 'Restore Owner',
          email: `ro-${randomUUID().slice(0, 8)}@example.com`,
          preferredLanguage: 'en',
          timeZone: 'UTC',
        },
        company: { name: 'Restore Salon', country: 'RO', businessType: 'salon' },
      },
    });
    const userId = `6${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const marker = `marker-${randomUUID()}`;
    const mid = `mid-${randomUUID()}`;
    await postWebhook(
      host.url,
      dm({
        object: 'instagram',
        accountId: t.account,
        userId,
        text: `Is there parking? ${marker}`,
        mid,
        timestamp: clock.now().getTime(),
      }),
      host.runtime.settings.META_APP_SECRET,
    );
    await settle();
    const contactId = contactIdOf('instagram', t.account, userId);
    const conversationId = conversationIdOf('instagram', t.account, userId);
    expect(
      (await host.runtime.cosmos.container('messages').item(messageIdOf('instagram', mid), t.id).read()).resource?.text,
    ).toContain(marker);
    return { ...t, userId, marker, mid, contactId, conversationId };
  }

  /** Backs up, runs the deletion, restores into a new database and returns it as text. */
  async function backupDeleteRestore(remove: () => Promise<void>): Promise<string> {
    const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, clock.now());
    await remove();
    await settle();
    const target = new CosmosStore({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: `restore-${randomUUID().slice(0, 8)}`,
    });
    targets.push(target);
    await new LocalRestoreTarget(inject('cosmosEndpoint'), inject('cosmosKey')).create(target.options.database);
    await restoreBackup(
      target,
      host.runtime.blob,
      manifest.backupId,
      await tombstonesSince(host.runtime, new Date(manifest.createdAt)),
      { settings: host.runtime.settings, clock },
    );
    const docs: string[] = [];
    for (const def of containerDefinitions()) {
      const { resources } = await target.database
        .container(def.id)
        .items.query('SELECT * FROM c')
        .fetchAll()
        .catch(() => ({ resources: [] }));
      docs.push(...resources.map((d) => `${def.id}: ${JSON.stringify(d)}`));
    }
    return docs.join('\n');
  }

  beforeAll(async () => {
    host = await startTestHost({ clock, values: { BURST_WAIT_MS: '0' } });
  });
  afterAll(async () => {
    for (const t of targets) {
      await t.client
        .database(t.options.database)
        .delete()
        .catch(() => undefined);
      t.dispose();
    }
    await host?.stop();
  });

  it('§11 Customer deletes a contact from the dashboard: contact, conversation and message text stay gone', async () => {
    const s = await subject();
    const restored = await backupDeleteRestore(async () => {
      expect((await api(host, s.owner, 'DELETE', `/api/v1/contacts/${s.contactId}`)).status).toBe(204);
    });
    for (const needle of [s.marker, s.userId, s.contactId, s.conversationId]) expect(restored).not.toContain(needle);
    // The rest of the tenant is restored.
    expect(restored).toContain(`"id":"${s.id}"`);
  });

  it('§9 Customer deletes a conversation on demand: it stays gone', async () => {
    const s = await subject();
    const restored = await backupDeleteRestore(async () => {
      expect((await api(host, s.owner, 'DELETE', `/api/v1/conversations/${s.conversationId}`)).status).toBe(204);
    });
    for (const needle of [s.marker, `"id":"${s.conversationId}"`]) expect(restored).not.toContain(needle);
  });

  it('§12.2 End-User deletion by staff: the person stays gone in every tenant', async () => {
    const s = await subject();
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    const restored = await backupDeleteRestore(async () => {
      expect(
        (
          await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-deletions', {
            body: { platformUserId: s.userId },
          })
        ).status,
      ).toBe(202);
    });
    for (const needle of [s.marker, s.userId, s.contactId]) expect(restored).not.toContain(needle);
  });

  it('§12.3 Meta callback deletion: the person stays gone', async () => {
    const s = await subject();
    const { signRequest } = await import('../../shared/privacy/signed-request.js');
    const restored = await backupDeleteRestore(async () => {
      const signed = signRequest(
        { algorithm: 'HMAC-SHA256', issued_at: Math.floor(clock.now().getTime() / 1000), user_id: s.userId },
        host.runtime.settings.META_APP_SECRET,
      );
      const res = await fetch(`${host.url}/api/meta/data-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${encodeURIComponent(signed)}`,
      });
      expect(res.status).toBe(200);
    });
    for (const needle of [s.marker, s.userId, s.contactId]) expect(restored).not.toContain(needle);
  });

  it('§12.2 the person takes a message back (unsend): the message stays gone, the rest comes back', async () => {
    const s = await subject();
    const restored = await backupDeleteRestore(async () => {
      const envelope = JSON.stringify({
        object: 'instagram',
        entry: [
          {
            id: s.account,
            time: clock.now().getTime(),
            messaging: [
              {
                sender: { id: s.userId },
                recipient: { id: s.account },
                timestamp: clock.now().getTime(),
                message: { mid: s.mid, is_deleted: true },
              },
            ],
          },
        ],
      });
      expect((await postWebhook(host.url, envelope, host.runtime.settings.META_APP_SECRET)).status).toBe(200);
    });
    expect(restored).not.toContain(s.marker);
    expect(restored).not.toContain(messageIdOf('instagram', s.mid));
    expect(restored).toContain(`"id":"${s.contactId}"`);
  });

  it('§9 retention purge: a Knowledge Base purged 30 days after closure and old logs stay purged', async () => {
    const s = await subject();
    const closed = await api(host, s.owner, 'POST', '/api/v1/account/close');
    expect(closed.status, JSON.stringify(closed.body)).toBeLessThan(300);
    const kbBefore = (await api(host, s.owner, 'GET', '/api/v1/knowledge/entries')).body.items.length;
    expect(kbBefore).toBeGreaterThan(0);
    const restored = await backupDeleteRestore(async () => {
      clock.offset += 31 * DAY;
      const report = await runRetentionPurge(host.runtime);
      expect(report.counts.knowledgeEntries).toBeGreaterThan(0);
    });
    const kbLeft = restored
      .split('\n')
      .filter((line) => line.startsWith('knowledge: ') && line.includes(`"tenantId":"${s.id}"`));
    expect(kbLeft).toEqual([]);
  });

  it('§12.1 account deletion: nothing of the account but its billing records comes back', async () => {
    const s = await subject();
    const company = (await host.runtime.cosmos.container('tenants').item(s.id, s.id).read()).resource
      .companyName as string;
    const restored = await backupDeleteRestore(async () => {
      expect(
        (await api(host, s.owner, 'DELETE', '/api/v1/account', { body: { confirm: `DELETE ${company}` } })).status,
      ).toBe(202);
    });
    for (const needle of [s.marker, s.userId, s.account]) expect(restored).not.toContain(needle);
    expect(
      restored
        .split('\n')
        .filter((line) => line.includes(s.id) && !line.startsWith('billing: ') && !line.startsWith('privacy: ')),
    ).toEqual([]);
  });
});
