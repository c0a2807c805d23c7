import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { startTestHost } from '../helpers/host.js';
import { dm, postWebhook } from '../helpers/meta.js';

/** The Debian package's binary, which .ci/run installs. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const fixture = new URL('../fixtures/dashboard/', import.meta.url);

/** Serves the fixture dashboard, and the browser build of @azure/web-pubsub-client, from a second origin. */
async function servePage(): Promise<{ server: Server; origin: string }> {
  const bundle = await build({
    stdin: {
      contents: "export { WebPubSubClient, WebPubSubJsonProtocol } from '@azure/web-pubsub-client';",
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const files: Record<string, [string, string | Uint8Array]> = {
    '/': ['text/html', readFileSync(new URL('index.html', fixture), 'utf8')],
    '/app.js': ['text/javascript', readFileSync(new URL('app.js', fixture), 'utf8')],
    '/web-pubsub-client.js': ['text/javascript', bundle.outputFiles[0]?.contents ?? ''],
  };
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://x').pathname];
    res.statusCode = file ? 200 : 404;
    if (file) res.setHeader('content-type', file[0]);
    res.end(file?.[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.skipIf(!existsSync(CHROMIUM))('a real browser, from first login to first reply', () => {
  let host: LocalHost;
  let page: Page;
  let browser: Browser;
  let site: { server: Server; origin: string };

  beforeAll(async () => {
    site = await servePage();
    // The page's origin is a dashboard origin; the API and the page are different origins.
    host = await startTestHost({ values: { DASHBOARD_ORIGINS: site.origin, BURST_WAIT_MS: '50' } });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage();
    await page.goto(
      `${site.origin}/?api=${encodeURIComponent(host.url)}&issuer=${encodeURIComponent(`${host.url}/local/auth`)}`,
    );
    await page.waitForFunction('window.appReady === true');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    site?.server.close();
  });

  it('signs up, connects to the live inbox, gets a DM live, marks it read and replies as a person', async () => {
    const sub = `auth0|browser-${Date.now()}`;
    const pageId = `90${Date.now().toString().slice(-10)}`;

    // 1. First login: no tenant yet. Sign up, log in again: the token now names the tenant, as owner.
    const before = await page.evaluate(
      (s) => (globalThis as unknown as AppWindow).app.login(s, 'ana@browser.example'),
      sub,
    );
    expect(before['https://aliat.app/tenant_id']).toBeUndefined();
    const signUp = await page.evaluate(() =>
      (globalThis as unknown as AppWindow).app.call('POST', '/api/v1/account', {
        owner: {
          name: 'Ana Browser',
          email: 'ana@browser.example',
          preferredLanguage: 'en',
          timeZone: 'Europe/Bucharest',
        },
        company: { name: 'Browser Salon', country: 'RO', businessType: 'salon' },
      }),
    );
    expect(signUp.status).toBe(201);
    expect(signUp.correlationId).toBeTruthy();
    const after = await page.evaluate(
      (s) => (globalThis as unknown as AppWindow).app.login(s, 'ana@browser.example'),
      sub,
    );
    expect(after).toMatchObject({
      'https://aliat.app/tenant_id': signUp.body.tenantId,
      'https://aliat.app/role': 'owner',
    });
    const connected = await page.evaluate(
      (id) =>
        (globalThis as unknown as AppWindow).app.call('POST', '/api/v1/channels', {
          platform: 'messenger',
          accountId: id,
          pageId: id,
          name: 'Browser Salon',
          pageAccessToken: `EAAbrowser.${id}.token-for-the-test`,
        }),
      pageId,
    );
    expect(connected.status).toBe(201);

    // 2. The live inbox: the tenant's group only.
    const live = await page.evaluate(() => (globalThis as unknown as AppWindow).app.connect());
    expect(live.groups).toEqual([`tenant.${signUp.body.tenantId}`]);

    // 3. A DM reaches the webhook and arrives in the browser as a live event.
    const userId = `77${Date.now()}`;
    const sentAt = Date.now();
    const webhook = await postWebhook(
      host.url,
      dm({ object: 'page', accountId: pageId, userId, text: 'Do you have a slot on Saturday?' }),
      host.runtime.settings.META_APP_SECRET,
    );
    expect(webhook.status).toBe(200);
    const event = await page.evaluate(() =>
      (globalThis as unknown as AppWindow).app.waitForEvent('message.created', 'direction', 'in', 10_000),
    );
    expect(event).toMatchObject({
      type: 'message.created',
      direction: 'in',
      preview: 'Do you have a slot on Saturday?',
    });
    // Reported, not asserted (house rule: no timing assertions in npm test); the issue's budget is 1 s.
    process.stdout.write(`browser test: DM to live event in ${event.receivedAt - sentAt} ms\n`);
    const unread = await page.evaluate(() =>
      (globalThis as unknown as AppWindow).app.waitForEvent('unread.changed', 'unread', 1, 10_000),
    );
    const conversationId = event.conversationId;
    expect(unread.conversationId).toBe(conversationId);

    // 4. The inbox row, then mark it read (explicit, per member).
    const inbox = await page.evaluate(() =>
      (globalThis as unknown as AppWindow).app.call('GET', '/api/v1/conversations'),
    );
    expect(inbox.body.items[0]).toMatchObject({
      id: conversationId,
      unread: 1,
      contact: { name: expect.any(String) },
      lastMessage: { preview: expect.any(String) },
    });
    const read = await page.evaluate(
      (id) => (globalThis as unknown as AppWindow).app.call('POST', `/api/v1/conversations/${id}/read`),
      conversationId,
    );
    expect(read.status).toBe(200);
    expect(read.body.unread).toBe(0);
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as AppWindow).app.waitForEvent('unread.changed', 'unread', 0, 10_000),
      ),
    ).toMatchObject({ conversationId, unread: 0 });

    // 5. Reply as a person: the conversation is taken over and the reply goes out once, even if sent twice.
    const key = `reply-${Date.now()}`;
    const reply = await page.evaluate(
      (id, k) =>
        Promise.all(
          [1, 2].map(() =>
            (globalThis as unknown as AppWindow).app.call(
              'POST',
              `/api/v1/conversations/${id}/messages`,
              { text: 'Yes! Saturday at 10:00 works.' },
              { 'idempotency-key': k },
            ),
          ),
        ),
      conversationId,
      key,
    );
    expect(reply.map((r) => r.status)).toEqual([202, 202]);
    expect(
      await page.evaluate(
        (id) =>
          (globalThis as unknown as AppWindow).app
            .waitForEvent('conversation.state', 'state', 'human', 10_000)
            .then((e) => e.conversationId === id),
        conversationId,
      ),
    ).toBe(true);
    await host.broker.whenIdle();
    expect(
      host.graph.messages().filter((m) => m.recipient === userId && m.text === 'Yes! Saturday at 10:00 works.'),
    ).toHaveLength(1);
    const state = await page.evaluate(
      (id) => (globalThis as unknown as AppWindow).app.call('GET', `/api/v1/conversations/${id}`),
      conversationId,
    );
    expect(state.body.state).toBe('human');
  }, 60_000);
});

/** What the fixture page puts on its window (the test runs in Node, so no DOM types). */
interface AppWindow {
  appReady: boolean;
  app: {
    login(sub: string, email: string): Promise<Record<string, unknown>>;
    call(
      method: string,
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ): Promise<{ status: number; body: Record<string, any>; correlationId: string | null }>;
    connect(): Promise<{ groups: string[] }>;
    waitForEvent(type: string, field: string | undefined, value: unknown, timeoutMs: number): Promise<any>;
    events(): unknown[];
  };
}
