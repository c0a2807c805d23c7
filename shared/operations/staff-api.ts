import { z } from 'zod';
import { audit } from '../audit/index.js';
import { defineRoute } from '../platform/api.js';
import { deadLetterStore } from '../platform/dead-letters.js';
import { isoTime } from '../platform/iso-time.js';
import { wholeNumberParam } from '../platform/paging.js';
import { QUEUES } from '../platform/queues.js';
import { actOnDeadLetters } from './dead-letter-actions.js';
import { resubscribeAll } from './resubscribe.js';

const queueNames = Object.values(QUEUES).map((q) => q.name) as [string, ...string[]];
const deadLetterView = z
  .object({
    queue: z.string(),
    sequenceNumber: z.number().int(),
    messageId: z.string(),
    reason: z.string().optional(),
    description: z.string().optional(),
    deliveryCount: z.number().int(),
    enqueuedAt: isoTime,
  })
  .meta({ id: 'DeadLetter' });

export const listDeadLettersRoute = defineRoute({
  name: 'v1-staff-dead-letters-list',
  method: 'GET',
  path: 'v1/staff/dead-letters',
  summary: 'Staff: dead-lettered messages per queue, with their reasons',
  tag: 'Staff: operations',
  roles: ['staff'],
  query: z.object({ queue: z.enum(queueNames).optional(), max: wholeNumberParam(1, 500, 100) }),
  response: { status: 200, description: 'Dead letters', schema: z.object({ items: z.array(deadLetterView) }) },
  handler: async ({ rt, principal, query }) => {
    const store = deadLetterStore(rt);
    const items = [];
    for (const q of query.queue ? [query.queue] : queueNames) items.push(...(await store.list(q, query.max)));
    await audit(rt, {
      tenantId: '_platform',
      action: 'staff.action',
      actor: principal,
      target: { type: 'dead-letter-queue', id: query.queue ?? 'all' },
      details: { action: 'dead_letter_list', count: items.length },
    });
    return { status: 200, body: { items } };
  },
});

const actionBody = z
  .strictObject({
    sequenceNumbers: z.array(z.number().int()).min(1).max(500).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => Boolean(b.sequenceNumbers) !== Boolean(b.all), 'send either sequenceNumbers or all: true');

function actionRoute(action: 'replay' | 'discard') {
  return defineRoute({
    name: `v1-staff-dead-letters-${action}`,
    method: 'POST',
    path: `v1/staff/dead-letters/{queue}/${action}`,
    summary:
      action === 'replay'
        ? 'Staff: send dead letters back to their queue; the handler is idempotent as on first delivery'
        : 'Staff: drop dead letters for good',
    tag: 'Staff: operations',
    roles: ['staff'],
    params: z.object({ queue: z.enum(queueNames) }),
    body: actionBody,
    response: {
      status: 200,
      description: 'Result per message',
      schema: z.object({ results: z.array(z.object({ sequenceNumber: z.number().int(), ok: z.boolean() })) }),
    },
    handler: async ({ rt, principal, params, body }) => {
      const results = await actOnDeadLetters(deadLetterStore(rt), action, params.queue, body);
      await audit(rt, {
        tenantId: '_platform',
        action: 'staff.action',
        actor: principal,
        target: { type: 'dead-letter-queue', id: params.queue },
        details: {
          action: `dead_letter_${action}`,
          queue: params.queue,
          count: results.filter((x) => x.ok).length,
          sequenceNumbers: results.filter((x) => x.ok).map((x) => String(x.sequenceNumber)),
        },
      });
      return { status: 200, body: { results } };
    },
  });
}

export const replayDeadLettersRoute = actionRoute('replay');
export const discardDeadLettersRoute = actionRoute('discard');

export const resubscribeRoute = defineRoute({
  name: 'v1-staff-meta-resubscribe',
  method: 'POST',
  path: 'v1/staff/meta/resubscribe',
  summary: 'Staff: after Meta\'s "Webhooks Disabled", subscribe every connected channel again',
  tag: 'Staff: operations',
  roles: ['staff'],
  response: {
    status: 200,
    description: 'Result per channel',
    schema: z.object({
      results: z.array(
        z.object({ tenantId: z.string(), channelId: z.string(), ok: z.boolean(), error: z.string().optional() }),
      ),
    }),
  },
  handler: async ({ rt, principal }) => {
    const results = await resubscribeAll(rt);
    await audit(rt, {
      tenantId: '_platform',
      action: 'staff.action',
      actor: principal,
      target: { type: 'platform', id: 'meta-webhooks' },
      details: {
        action: 'meta_resubscribe',
        ok: results.filter((x) => x.ok).length,
        failed: results.filter((x) => !x.ok).length,
      },
    });
    return { status: 200, body: { results } };
  },
});

export const operationsRoutes = [
  listDeadLettersRoute,
  replayDeadLettersRoute,
  discardDeadLettersRoute,
  resubscribeRoute,
];
