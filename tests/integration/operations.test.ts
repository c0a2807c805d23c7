import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { enqueueEmail } from '../../shared/email/outbox.js';
import { createBackup, readVerifiedBackup } from '../../shared/operations/backup.js';
import { restoreBackup } from '../../shared/operations/restore.js';
import { LocalRestoreTarget } from '../../shared/operations/restore-target.js';
import { containerDefinitions } from '../../shared/platform/containers.js';
import { CosmosStore } from '../../shared/platform/cosmos.js';
import { tombstonesSince } from '../../shared/privacy/tombstones.js';
import { api } from '../helpers/api.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';
import { makeTenant } from '../helpers/tenants.js';

describe('operations', () => {
  let host: LocalHost;
  const targets: CosmosStore[] = [];
  const target = () => {
    const store = new CosmosStore({
      endpoint: inject('cosmosEndpoint'),
      key: inject('cosmosKey'),
      database: `restore-${randomUUID().slice(0, 8)}`,
    });
    targets.push(store);
    return store;
  };
  /** A target created the way the runbook does before a restore (locally: the embedded server's data plane). */
  const createdTarget = async () => {
    const store = target();
    await new LocalRestoreTarget(inject('cosmosEndpoint'), inject('cosmosKey')).create(store.options.database);
    return store;
  };
  const restoreOptions = () => ({ settings: host.runtime.settings });
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await host.broker.whenIdle();
      await host.graph.echoesDelivered();
    }
  };
  async function dump(store: CosmosStore): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const def of containerDefinitions()) {
      if (def.id === 'dedup') continue;
      const { resources } = await store.database
        .container(def.id)
        .items.query('SELECT * FROM c')
        .fetchAll()
        .catch(() => ({ resources: [] as Array<Record<string, unknown>> }));
      // The retention purge a restore runs leaves its own report and audit entry in the restored copy.
      out[def.id] = resources
        .map(({ _rid, _self, _etag, _attachments, _ts, ...rest }) => JSON.stringify(rest))
        .filter((d) => !d.includes('"runId":"restore-') && !d.includes('"action":"privacy.purge"'))
        .sort();
    }
    return out;
  }
  async function populated() {
    const t = await makeTenant(host, {
      kb: true,
      extra: {
        owner: { name: 'Op Owner', email: `op-${Date.now()}@example.com`, preferredLanguage: 'en', timeZone: 'UTC' },
        company: { name: 'Op Salon', country: 'RO', businessType: 'salon' },
      },
    });
    const userId = `8${Date.now()}`;
    await postWebhook(
      host.url,
      dm({ object: 'instagram', accountId: t.account, userId, text: 'How much is a pedicure?' }),
      host.runtime.settings.META_APP_SECRET,
    );
    await settle();
    await host.runtime.cosmos.container('billing').items.create({
      id: `br_${t.id}`,
      tenantId: t.id,
      type: 'billing-record',
      invoiceId: 'in_1',
      status: 'paid',
      amountDue: 1,
      amountPaid: 1,
      currency: 'ron',
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    });
    return { ...t, userId };
  }

  beforeAll(async () => {
    host = await startTestHost({ values: { BURST_WAIT_MS: '0', EMAIL_RETRY_BASE_MS: '10' } });
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

  it('§10 backs up every container and restores it identically, counts and checksums included', async () => {
    await populated();
    const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, new Date());
    expect(Object.keys(manifest.containers).sort()).toEqual(
      containerDefinitions()
        .map((d) => d.id)
        .filter((id) => id !== 'dedup')
        .sort(),
    );
    expect(manifest.containers.messages?.count).toBeGreaterThan(0);
    const restoredStore = await createdTarget();
    const report = await restoreBackup(restoredStore, host.runtime.blob, manifest.backupId, [], restoreOptions());
    expect(report.erasedAgain).toBe(0);
    expect(await dump(restoredStore)).toEqual(await dump(host.runtime.cosmos));
    const again = await createBackup(restoredStore, host.runtime.blob, new Date(Date.now() + 1000));
    for (const [name, entry] of Object.entries(manifest.containers)) {
      // audit and privacy gain the restore's own retention run (one report, one audit entry).
      if (name === 'audit' || name === 'privacy') {
        expect(again.containers[name]?.count, name).toBe(entry.count + 1);
        continue;
      }
      expect(again.containers[name]?.count, name).toBe(entry.count);
      expect(again.containers[name]?.sha256, name).toBe(entry.sha256);
    }
  });

  it('never brings back an account or an End-User erased after the backup was taken', async () => {
    const account = await populated();
    const person = await populated();
    const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, new Date());
    await api(host, account.owner, 'DELETE', '/api/v1/account', {
      body: {
        confirm: `DELETE ${(await host.runtime.cosmos.container('tenants').item(account.id, account.id).read()).resource.companyName}`,
      },
    });
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    await api(host, staff, 'POST', '/api/v1/staff/privacy/end-user-deletions', {
      body: { platformUserId: person.userId },
    });
    await settle();
    const restoredStore = await createdTarget();
    const report = await restoreBackup(
      restoredStore,
      host.runtime.blob,
      manifest.backupId,
      await tombstonesSince(host.runtime, new Date(manifest.createdAt)),
      restoreOptions(),
    );
    expect(report.erasedAgain).toBeGreaterThan(0);
    const everything = JSON.stringify(await dump(restoredStore));
    for (const needle of [account.account, account.userId, person.userId]) expect(everything).not.toContain(needle);
    const leftForAccount = Object.entries(await dump(restoredStore)).flatMap(([c, docs]) =>
      docs.filter((d) => d.includes(account.id)).map(() => c),
    );
    expect(leftForAccount).toEqual(['billing']);
  });

  it('refuses a corrupted or truncated backup with a clear error and restores nothing', async () => {
    await populated();
    const manifest = await createBackup(host.runtime.cosmos, host.runtime.blob, new Date(Date.now() + 5000));
    const messagesBlob = host.runtime.blob
      .container('backups')
      .getBlockBlobClient(manifest.containers.messages?.blob as string);
    const original = await messagesBlob.downloadToBuffer();
    await messagesBlob.uploadData(original.subarray(0, Math.floor(original.length / 2)));
    const truncated = await createdTarget();
    await expect(
      restoreBackup(truncated, host.runtime.blob, manifest.backupId, [], restoreOptions()),
    ).rejects.toThrowError(/messages is missing, truncated or not gzip/);
    expect(
      (await truncated.container('tenants').items.query('SELECT VALUE COUNT(1) FROM c').fetchAll()).resources,
    ).toEqual([0]);
    // The restore only writes documents: a target nobody created is refused, not created.
    const missing = target();
    await messagesBlob.uploadData(original);
    await expect(
      restoreBackup(missing, host.runtime.blob, manifest.backupId, [], restoreOptions()),
    ).rejects.toThrowError(/does not exist; create it first/);
    expect(
      await missing.client
        .database(missing.options.database)
        .read()
        .then(
          () => true,
          () => false,
        ),
    ).toBe(false);
    const { gzipSync, gunzipSync } = await import('node:zlib');
    await messagesBlob.uploadData(
      gzipSync(
        Buffer.from(
          gunzipSync(original)
            .toString('utf8')
            .replace(/"status":"sent"/, '"status":"read"'),
        ),
      ),
    );
    await expect(readVerifiedBackup(host.runtime.blob, manifest.backupId)).rejects.toThrowError(
      /messages does not match its checksum/,
    );
    await expect(
      restoreBackup(target(), host.runtime.blob, 'no-such-backup', [], restoreOptions()),
    ).rejects.toThrowError(/manifest is missing/);
    const used = target();
    await used.ensure();
    await used.container('tenants').items.create({ id: 'x', tenantId: 'x' });
    await messagesBlob.uploadData(original);
    await expect(restoreBackup(used, host.runtime.blob, manifest.backupId, [], restoreOptions())).rejects.toThrowError(
      /is not empty/,
    );
  });

  it('dead-letters a poisoned message with its reason, then replays it once the cause is fixed, taking effect exactly once', async () => {
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    host.mail.failures.push(400, 400, 400, 400, 400);
    await enqueueEmail(host.runtime, {
      key: `poison-${Date.now()}`,
      template: 'welcome',
      language: 'en',
      to: 'poison@example.com',
      data: { name: 'P', company: 'Q' },
    });
    await settle();
    const listed = await api(host, staff, 'GET', '/api/v1/staff/dead-letters?queue=emails');
    const dead = listed.body.items.at(-1);
    expect(dead).toMatchObject({
      queue: 'emails',
      reason: 'MaxDeliveryCountExceeded',
      description: expect.stringMatching(/HTTP 400/),
    });
    expect(host.mail.outbox.filter((m) => m.to === 'poison@example.com')).toHaveLength(0);
    const replay = await api(host, staff, 'POST', '/api/v1/staff/dead-letters/emails/replay', {
      body: { sequenceNumbers: [dead.sequenceNumber] },
    });
    expect(replay.body.results).toEqual([{ sequenceNumber: dead.sequenceNumber, ok: true }]);
    await settle();
    expect(host.mail.outbox.filter((m) => m.to === 'poison@example.com')).toHaveLength(1);
    expect(
      (
        await api(host, staff, 'POST', '/api/v1/staff/dead-letters/emails/replay', {
          body: { sequenceNumbers: [dead.sequenceNumber] },
        })
      ).body.results[0].ok,
    ).toBe(false);
    expect(
      (await api(host, staff, 'GET', '/api/v1/staff/dead-letters?queue=emails')).body.items.some(
        (d: { sequenceNumber: number }) => d.sequenceNumber === dead.sequenceNumber,
      ),
    ).toBe(false);
    const log = await host.runtime.cosmos
      .container('audit')
      .items.query("SELECT * FROM c WHERE c.tenantId = '_platform' AND c.details.action = 'dead_letter_replay'")
      .fetchAll();
    expect(log.resources.length).toBeGreaterThanOrEqual(1);
  });

  it('discards dead letters in bulk', async () => {
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    await host.runtime.bus.send('replies', {
      body: { nonsense: true },
      messageId: `bad-${Date.now()}`,
      sessionId: 'bad',
    });
    await settle();
    expect(
      (await api(host, staff, 'GET', '/api/v1/staff/dead-letters?queue=replies')).body.items.length,
    ).toBeGreaterThan(0);
    expect(
      (await api(host, staff, 'POST', '/api/v1/staff/dead-letters/replies/discard', { body: { all: true } })).status,
    ).toBe(200);
    expect((await api(host, staff, 'GET', '/api/v1/staff/dead-letters?queue=replies')).body.items).toEqual([]);
  });

  it("re-subscribes every connected channel after Meta's Webhooks Disabled and reports each", async () => {
    const t = await makeTenant(host);
    host.graph.subscriptions.clear();
    const staff = await host.auth.token({ sub: 'auth0|staff', role: 'staff', mfa: true });
    const res = await api(host, staff, 'POST', '/api/v1/staff/meta/resubscribe');
    expect(
      res.body.results.find((x: { channelId: string }) => x.channelId === `ch_instagram_${t.account}`),
    ).toMatchObject({ ok: true });
    expect(host.graph.subscriptions.get(t.page)).toContain('messages');
  });
});
