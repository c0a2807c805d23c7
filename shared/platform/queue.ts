import type { InvocationContext } from '@azure/functions';
import type { z } from 'zod';
import { log, withLogContext } from './log.js';
import { type Runtime, runtime } from './runtime.js';

/** A message that can never succeed (it failed its schema); thrown so the broker dead-letters it with this reason. */
export class InvalidMessageError extends Error {
  constructor(queue: string, issues: string) {
    super(`Invalid message on ${queue}: ${issues}`);
    this.name = 'InvalidMessageError';
  }
}

/**
 * Wraps a queue handler: the body is parsed with its schema, log lines carry the correlation id that
 * came with the message, and a failure is rethrown so the broker redelivers and, after
 * maxDeliveryCount, dead-letters it.
 */
export function queueFunction<S extends z.ZodType>(
  queue: string,
  schema: S,
  handler: (rt: Runtime, body: z.infer<S>, context: InvocationContext) => Promise<void>,
) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const meta = context.triggerMetadata ?? {};
    const correlationId = typeof meta.correlationId === 'string' ? meta.correlationId : undefined;
    await withLogContext(
      { correlationId, invocationId: context.invocationId, functionName: context.functionName },
      async () => {
        const parsed = schema.safeParse(message);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
          log.error('queue.invalid_message', { queue, deliveryCount: meta.deliveryCount });
          throw new InvalidMessageError(queue, issues);
        }
        try {
          await handler(runtime(), parsed.data, context);
        } catch (error) {
          log.error('queue.handler_failed', { queue, deliveryCount: meta.deliveryCount, error });
          throw error;
        }
      },
    );
  };
}
