import { createOnce, readDoc } from '../platform/document-store.js';
import type { Runtime } from '../platform/runtime.js';

/** One tenant's usage in one calendar month (UTC), read by billing's plan limits. */
export interface UsageDoc {
  id: string;
  tenantId: string;
  type: 'usage';
  month: string;
  replies: number;
  handoffs: number;
  inputTokens: number;
  outputTokens: number;
  updatedAt: string;
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

function usageId(month: string): string {
  return `usage-${month}`;
}

/** Adds to the month's meters with atomic increments. */
export async function recordUsage(
  rt: Runtime,
  tenantId: string,
  at: Date,
  delta: { replies?: number; handoffs?: number; inputTokens?: number; outputTokens?: number },
): Promise<void> {
  const month = monthOf(at);
  const container = rt.cosmos.container('usage');
  const ops = [
    { op: 'incr' as const, path: '/replies', value: delta.replies ?? 0 },
    { op: 'incr' as const, path: '/handoffs', value: delta.handoffs ?? 0 },
    { op: 'incr' as const, path: '/inputTokens', value: delta.inputTokens ?? 0 },
    { op: 'incr' as const, path: '/outputTokens', value: delta.outputTokens ?? 0 },
    { op: 'set' as const, path: '/updatedAt', value: at.toISOString() },
  ];
  // The month's document usually exists: patch first, create it only on the month's first reply.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await container.item(usageId(month), tenantId).patch(ops);
      return;
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
      await createOnce<UsageDoc>(container, {
        id: usageId(month),
        tenantId,
        type: 'usage',
        month,
        replies: 0,
        handoffs: 0,
        inputTokens: 0,
        outputTokens: 0,
        updatedAt: at.toISOString(),
      });
    }
  }
}

/** The month's usage, zero when nothing was recorded. */
export async function getUsage(rt: Runtime, tenantId: string, at: Date): Promise<UsageDoc> {
  const month = monthOf(at);
  return (
    (await readDoc<UsageDoc>(rt.cosmos.container('usage'), usageId(month), tenantId)) ?? {
      id: usageId(month),
      tenantId,
      type: 'usage',
      month,
      replies: 0,
      handoffs: 0,
      inputTokens: 0,
      outputTokens: 0,
      updatedAt: at.toISOString(),
    }
  );
}
