import type { InvocationContext } from '@azure/functions';
import { log, withLogContext } from './log.js';
import { parseQueueMessage, type QueueContract, type QueueMessage } from './queues.js';
import type { Runtime, RuntimeSource } from './runtime.js';

/**
 * Wraps a queue handler: the body is parsed with its queue's schema, log lines carry the correlation
 * id that came with the message, and a failure is rethrown so the broker redelivers and, after
 * maxDeliveryCount, dead-letters it (a malformed body with the schema's reason).
 */
export function queueFunction<R extends Runtime, Q extends QueueContract>(
  runtimeOf: RuntimeSource<R>,
  queue: Q,
  handler: (rt: R, body: QueueMessage<Q>, context: InvocationContext) => Promise<void>,
) {
  return async (message: unknown, context: InvocationContext): Promise<void> => {
    const meta = context.triggerMetadata ?? {};
    const correlationId = typeof meta.correlationId === 'string' ? meta.correlationId : undefined;
    await withLogContext(
      { correlationId, invocationId: context.invocationId, functionName: context.functionName },
      async () => {
        let body: QueueMessage<Q>;
        try {
          body = parseQueueMessage(queue, message);
        } catch (error) {
          log.error('queue.invalid_message', { queue: queue.name, deliveryCount: meta.deliveryCount });
          throw error;
        }
        try {
          await handler(runtimeOf(), body, context);
        } catch (error) {
          log.error('queue.handler_failed', { queue: queue.name, deliveryCount: meta.deliveryCount, error });
          throw error;
        }
      },
    );
  };
}
