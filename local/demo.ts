import { type MemberDoc, memberId } from '../shared/accounts/triggers.js';
import { listEntries, markChanged } from '../shared/knowledge/triggers.js';
import { createOnce } from '../shared/platform/document-store.js';
import type { LocalHost } from './host.js';
import { sampleEntries } from './sample-kb.js';
import { seedTenant } from './seed.js';
import { standInJson } from './stand-in.js';

/** The demo business: a hair salon with an Instagram account and a Facebook Page. */
export const DEMO = {
  tenantId: 'tn_demo_salon',
  companyName: 'Salon Aurora',
  pageId: '100000000000101',
  instagramAccountId: '17841400000000101',
  ownerUserId: 'auth0|demo-owner',
  ownerEmail: 'owner@salon-aurora.example',
} as const;

/** Seeds the demo salon on first start and serves GET /local/demo. */
export async function seedDemo(host: LocalHost): Promise<void> {
  const rt = host.runtime;
  await seedTenant(rt, {
    tenantId: DEMO.tenantId,
    companyName: DEMO.companyName,
    // A complete account: GET /api/v1/account answers and GET /api/v1/members lists the owner.
    extra: {
      owner: {
        name: 'Ana Aurora',
        email: DEMO.ownerEmail,
        preferredLanguage: 'en',
        timeZone: 'Europe/Bucharest',
        jobTitle: 'Owner',
      },
      company: { name: DEMO.companyName, country: 'RO', businessType: 'salon' },
    },
    channels: [
      {
        platform: 'instagram',
        accountId: DEMO.instagramAccountId,
        sendAsId: DEMO.pageId,
        name: '@salon.aurora',
        token: 'EAAdemo.instagram.token',
      },
      {
        platform: 'messenger',
        accountId: DEMO.pageId,
        sendAsId: DEMO.pageId,
        name: 'Salon Aurora',
        token: 'EAAdemo.page.token',
      },
    ],
  });
  const now = rt.clock.now().toISOString();
  const owner: MemberDoc = {
    id: memberId(DEMO.ownerUserId),
    tenantId: DEMO.tenantId,
    type: 'member',
    sub: DEMO.ownerUserId,
    email: DEMO.ownerEmail,
    role: 'owner',
    createdAt: now,
    updatedAt: now,
  };
  await createOnce(rt.cosmos.container('tenants'), owner);
  if ((await listEntries(rt, DEMO.tenantId)).length === 0) {
    for (const entry of sampleEntries(DEMO.tenantId)) await createOnce(rt.cosmos.container('knowledge'), entry);
    await markChanged(rt, DEMO.tenantId);
  }
  host.graph.echoTargets.set(DEMO.pageId, { object: 'page', accountId: DEMO.pageId });
  // The salon's Instagram account is linked to its Page: replies to Instagram DMs echo from it.
  host.graph.linkInstagram(DEMO.pageId, DEMO.instagramAccountId);
  host.addStandIn({
    name: 'demo',
    handle: async () =>
      standInJson(200, {
        tenantId: DEMO.tenantId,
        companyName: DEMO.companyName,
        pageId: DEMO.pageId,
        instagramAccountId: DEMO.instagramAccountId,
        appSecret: rt.settings.META_APP_SECRET,
        verifyToken: rt.settings.META_VERIFY_TOKEN,
        webhookUrl: `${host.url}/api/webhooks/meta`,
        ownerToken: await host.auth.token({
          sub: DEMO.ownerUserId,
          tenantId: DEMO.tenantId,
          role: 'owner',
          email: DEMO.ownerEmail,
        }),
      }),
  });
}
