import type { LocalHost } from '../../local/host.js';
import { sampleEntries } from '../../local/sample-kb.js';
import { seedTenant } from '../../local/seed.js';
import type { TenantDoc } from '../../shared/accounts/tenants.js';
import { markChanged } from '../../shared/knowledge/knowledge-base.js';
import { createOnce } from '../../shared/platform/document-store.js';

let n = 0;

/** A tenant with one Instagram channel, optionally the sample salon knowledge base, and owner/agent tokens. */
export async function makeTenant(
  host: LocalHost,
  options: { kb?: boolean; bot?: Partial<TenantDoc['bot']>; extra?: Record<string, unknown> } = {},
) {
  const id = `tn_${Date.now().toString(36)}_${++n}`;
  const account = `178414${Date.now().toString().slice(-8)}${n}`;
  const page = `100${Date.now().toString().slice(-9)}${n}`;
  const people = {
    owner: { sub: `auth0|owner-${id}`, role: 'owner', email: `owner@${id}.example` },
    admin: { sub: `auth0|admin-${id}`, role: 'admin' },
    agent: { sub: `auth0|agent-${id}`, role: 'agent' },
  } as const;
  await seedTenant(host.runtime, {
    tenantId: id,
    members: Object.values(people),
    companyName: `Salon ${n}`,
    bot: { burstWaitMs: 20, ...options.bot },
    extra: options.extra,
    channels: [{ platform: 'instagram', accountId: account, sendAsId: page, name: `@salon${n}`, token: `EAA.${id}` }],
  });
  host.graph.echoTargets.set(page, { object: 'instagram', accountId: account });
  if (options.kb) {
    for (const entry of sampleEntries(id)) await createOnce(host.runtime.cosmos.container('knowledge'), entry);
    await markChanged(host.runtime, id);
    await host.broker.whenIdle();
  }
  const owner = await host.auth.token({ ...people.owner, tenantId: id });
  const admin = await host.auth.token({ ...people.admin, tenantId: id });
  const agent = await host.auth.token({ ...people.agent, tenantId: id });
  return { id, account, page, owner, admin, agent };
}
