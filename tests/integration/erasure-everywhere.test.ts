import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { contactIdOf } from '../../shared/contacts/ids.js';
import { conversationIdOf, messageIdOf } from '../../shared/conversations/ids.js';
import { createBackup } from '../../shared/operations/backup.js';
import { restoreBackup } from '../../shared/operations/restore.js';
import { LocalRestoreTarget } from '../../shared/operations/restore-target.js';
import { BLOB_CONTAINERS } from '../../shared/platform/blob.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { QUEUES } from '../../shared/platform/queues.js';
import { runRetentionPurge } from '../../shared/privacy/purge.js';
import { signRequest } from '../../shared/privacy/signed-request.js';
import { tombstonesSince } from '../../shared/privacy/tombstones.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

const DAY = 86_400_000;

/**
 * The everywhere test: a person is seeded in every store and copy (Cosmos, attachment blobs, a
 * tenant export and an End-User export with their e-mailed links, a dead letter, a backup), deleted
 * by one path (Customer, staff, Meta's callback through ID matching, retention), and then every
 * Cosmos container, every blob container, every queue and dead-letter queue, every link ever
 * e-mailed and a restore of the backup are scanned. Zero residue, except keyed-hash receipts.
 */
describe('§9 §11 §12 deleted means deleted, in every copy', () => {
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

  async function seed() {
    const ownerEmail = `owner-${randomUUID().slice(0, 8)}@salon.example`;
    const t = await makeTenant(host, {
      kb: true,
      extra: {
        owner: { name: 'Everywhere Owner', email: ownerEmail, preferredLanguage: 'en', timeZone: 'UTC' },
        company: { name: `Everywhere ${randomUUID().slice(0, 6)}`, country: 'RO', businessType: 'salon' },
      },
    });
    const userId = `4${Date.now()}${Math.floor(Math.random() * 1000)}`;
    const marker = `residue-${randomUUID()}`;
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
    const messageId = messageIdOf('instagram', mid);
    const contactId = contactIdOf('instagram', t.account, userId);
    const conversationId = conversationIdOf('instagram', t.account, userId);
    // An attachment copy.
    await host.runtime.blob
      .container('attachments')
      .getBlockBlobClient(`${t.id}/${messageId}/0`)
      .upload(`photo of ${marker}`, 10 + marker.length);
    // A tenant export and an End-User export, each e-mailed as a link.
    expect((await api(host, t.owner, 'POST', '/api/v1/account/exports')).status).toBe(202);
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-exports', {
          body: { platformUserId: userId, notifyTo: `dpo-${randomUUID().slice(0, 6)}@example.com` },
        })
      ).status,
    ).toBe(202);
    // A dead letter about the person: a reply job that cannot be parsed.
    await host.runtime.bus.send(QUEUES.replies.name, {
      body: { tenantId: t.id, conversationId, note: marker, userId },
      messageId: `poison-${randomUUID()}`,
      sessionId: conversationId,
    });
    // A human reply sent with an Idempotency-Key: its first answer (which quotes the text) is kept for replays.
    const reply = await api(host, t.owner, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      body: { text: `Yes, behind the salon. ${marker}` },
      headers: { 'idempotency-key': `everywhere-${randomUUID()}` },
    });
    expect(reply.status).toBe(202);
    await settle();
    const seeded = await scan();
    // The idempotency record exists, and holds the answer only sealed (§9: ids only in dedup).
    const idempotency = seeded.filter(
      (x) => x.where.startsWith('cosmos:dedup/') && x.text.includes(`"scope":"${t.id}"`),
    );
    expect(idempotency).toHaveLength(1);
    expect(idempotency[0]?.text).not.toContain(marker);
    const needles = [userId, marker, contactId, conversationId, messageId];
    // The person really is in every kind of copy before the deletion.
    const where = new Set(
      seeded.filter((x) => needles.some((n) => x.text.includes(n))).map((x) => x.where.split(':')[0]),
    );
    expect([...where].sort()).toEqual(['blob', 'cosmos', 'dead-letter', 'link']);
    const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, clock.now());
    return { ...t, userId, marker, messageId, contactId, conversationId, needles, manifest, staff };
  }

  /**
   * Every stored thing, as text: Cosmos documents, blobs, queue and dead-letter messages, and what every e-mailed link
   * serves.
   */
  async function scan(): Promise<Array<{ where: string; text: string }>> {
    const out: Array<{ where: string; text: string }> = [];
    for (const def of containerDefinitions()) {
      const { resources } = await host.runtime.cosmos.database
        .container(def.id)
        .items.query('SELECT * FROM c')
        .fetchAll();
      for (const doc of resources) out.push({ where: `cosmos:${def.id}/${doc.id}`, text: JSON.stringify(doc) });
    }
    for (const name of Object.values(BLOB_CONTAINERS)) {
      // Backups are gzip; they are checked by restoring them (below), as §9 allows them to hold residual copies.
      if (name === BLOB_CONTAINERS.backups) continue;
      const container = host.runtime.blob.service.getContainerClient(name);
      for await (const blob of container.listBlobsFlat())
        out.push({
          where: `blob:${name}/${blob.name}`,
          text: `${blob.name} ${(await container.getBlobClient(blob.name).downloadToBuffer()).toString('utf8')}`,
        });
    }
    for (const q of Object.values(QUEUES)) {
      for (const m of host.broker.peek(q.name, 'active', 0, 100_000))
        out.push({ where: `queue:${q.name}/${m.sequenceNumber}`, text: JSON.stringify(m) });
      for (const m of host.broker.peek(q.name, 'deadLetter', 0, 100_000))
        out.push({ where: `dead-letter:${q.name}/${m.sequenceNumber}`, text: JSON.stringify(m) });
    }
    for (const mail of host.mail.outbox) {
      for (const link of mail.text.match(/https?:\/\/\S+/g) ?? []) {
        const res = await fetch(link.replace(/[.,)]+$/, ''));
        out.push({ where: `link:${mail.subject}`, text: res.status === 200 ? await res.text() : '' });
      }
    }
    return out;
  }

  async function restoredText(manifest: { backupId: string; createdAt: string }): Promise<string> {
    const target = new CosmosStore({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: `everywhere-${randomUUID().slice(0, 8)}`,
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
      docs.push(...resources.map((d) => JSON.stringify(d)));
    }
    return docs.join('\n');
  }

  async function expectNoResidue(s: Awaited<ReturnType<typeof seed>>) {
    await settle();
    const after = await scan();
    const left = after
      .filter((x) => s.needles.some((n) => x.text.includes(n)))
      .map((x) => `${x.where} ${x.text.slice(0, 200)}`);
    expect(left).toEqual([]);
    // The sealed first answer of the reply is gone too, not only unreadable.
    expect(
      after
        .filter((x) => x.where.startsWith('cosmos:dedup/') && x.text.includes(`"scope":"${s.id}"`))
        .map((x) => x.where),
    ).toEqual([]);
    const restored = await restoredText(s.manifest);
    for (const needle of s.needles) expect(restored).not.toContain(needle);
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

  it('§11 Customer deletes the contact: no residue anywhere, exports and their links included', async () => {
    const s = await seed();
    expect((await api(host, s.owner, 'DELETE', `/api/v1/contacts/${s.contactId}`)).status).toBe(204);
    await expectNoResidue(s);
  });

  it('§12.2 staff delete the End-User: no residue, and the confirmation (sent after) counts exports and dead letters', async () => {
    const s = await seed();
    const confirmTo = `person-${randomUUID().slice(0, 6)}@example.com`;
    expect(
      (
        await api(host, s.staff, 'POST', '/api/v1/staff/privacy/end-user-deletions', {
          body: { platformUserId: s.userId, confirmTo },
        })
      ).status,
    ).toBe(202);
    await expectNoResidue(s);
    const mail = host.mail.outbox.find((m) => m.to === confirmTo);
    const code = mail?.text.match(/Reference: ([a-f0-9]{32})/)?.[1];
    const status = await api(host, s.staff, 'GET', `/api/v1/staff/privacy/deletions/${code}`);
    expect(status.body).toMatchObject({
      status: 'completed',
      result: 'deleted',
      counts: { contacts: 1, conversations: 1, exports: 2, deadLetters: 1 },
    });
    expect(status.body.counts.messages).toBeGreaterThanOrEqual(1);
    const records = Object.values(status.body.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(mail?.text).toContain(`(${records} records`);
  });

  it("§12.3 Meta's callback with an app-scoped id, matched to the page-scoped id on every connected Page: no residue, audited, replay-safe", async () => {
    const s = await seed();
    const asid = `asid${Date.now()}`;
    host.graph.idsForPages.set(asid, [{ pageId: s.page, id: s.userId }]);
    const signed = signRequest(
      { algorithm: 'HMAC-SHA256', issued_at: Math.floor(clock.now().getTime() / 1000), user_id: asid },
      host.runtime.settings.META_APP_SECRET,
    );
    const post = () =>
      fetch(`${host.url}/api/meta/data-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${encodeURIComponent(signed)}`,
      });
    const first = (await (await post()).json()) as { url: string; confirmation_code: string };
    await expectNoResidue(s);
    // Every connected Page was asked, with the app token.
    const { resources: channels } = await host.runtime.cosmos
      .container('channels')
      .items.query<{ sendAsId: string }>("SELECT c.sendAsId FROM c WHERE c.type = 'channel'")
      .fetchAll();
    expect(new Set(host.graph.idMatchingCalls.filter((c) => c.appScopedId === asid).map((c) => c.pageId))).toEqual(
      new Set(channels.map((c) => c.sendAsId)),
    );
    const status = (await (await fetch(first.url)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ status: 'completed', result: 'deleted' });
    const staffView = await api(host, s.staff, 'GET', `/api/v1/staff/privacy/deletions/${first.confirmation_code}`);
    expect(staffView.body).toMatchObject({
      kind: 'meta-callback',
      matched: { pageScopedIds: 1, ids: 2 },
      counts: { contacts: 1 },
    });
    // A replay returns the original code and runs no second job.
    const jobsBefore = (
      await host.runtime.cosmos
        .container('privacy')
        .items.query("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'deletion-request'")
        .fetchAll()
    ).resources[0];
    const again = (await (await post()).json()) as { confirmation_code: string };
    expect(again.confirmation_code).toBe(first.confirmation_code);
    await settle();
    expect(
      (
        await host.runtime.cosmos
          .container('privacy')
          .items.query("SELECT VALUE COUNT(1) FROM c WHERE c.type = 'deletion-request'")
          .fetchAll()
      ).resources[0],
    ).toBe(jobsBefore);
    // Every callback is audited, the replay too, with the request as target.
    const { resources: audits } = await host.runtime.cosmos
      .container('audit')
      .items.query({
        query: "SELECT * FROM c WHERE c.tenantId = '_platform' AND c.target.id = @code",
        parameters: [{ name: '@code', value: first.confirmation_code }],
      })
      .fetchAll();
    expect(audits.map((a) => a.action).sort()).toEqual([
      'privacy.deletion',
      'privacy.meta_callback',
      'privacy.meta_callback',
    ]);
  });

  it('§12.3 a callback for an id that matches nothing says that no data was found, not that data was deleted', async () => {
    const signed = signRequest(
      {
        algorithm: 'HMAC-SHA256',
        issued_at: Math.floor(clock.now().getTime() / 1000),
        user_id: `unknown${Date.now()}`,
      },
      host.runtime.settings.META_APP_SECRET,
    );
    const res = (await (
      await fetch(`${host.url}/api/meta/data-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `signed_request=${encodeURIComponent(signed)}`,
      })
    ).json()) as { url: string };
    await settle();
    const status = (await (await fetch(res.url)).json()) as { status: string; result: string; message: string };
    expect(status).toMatchObject({ status: 'completed', result: 'no_data_found' });
    expect(status.message).toMatch(/No data was found/);
    expect(status.message).not.toMatch(/has been deleted/);
  });

  it('§9 retention: an account closed 12 months ago leaves no residue about its End-Users', async () => {
    const s = await seed();
    expect((await api(host, s.owner, 'POST', '/api/v1/account/close')).status).toBe(200);
    clock.offset += 366 * DAY;
    await runRetentionPurge(host.runtime);
    await expectNoResidue(s);
  });
});
