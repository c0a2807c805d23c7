import { randomUUID } from 'node:crypto';
import azureFunctions, {
  type HttpResponseInit,
  type InvocationContext as InvocationContextType,
} from '@azure/functions';
import type { BrokerMessage } from './bus/broker.js';
import type { Registration } from './functions-core.js';

// Named imports of classes fail from native ESM (the package is a CommonJS bundle), so use the default export.
const { HttpRequest, HttpResponse, InvocationContext } = azureFunctions;

/** An HTTP request as the local server received it. */
export interface RawHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  params: Record<string, string>;
}

/** An HTTP response ready to write. */
export interface RawHttpResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

function context(registration: Registration, triggerMetadata: Record<string, unknown>): InvocationContextType {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: registration.name,
    triggerMetadata,
    // The app logs through its own JSON logger; context.log output is not needed locally.
    logHandler: () => {},
  });
}

/** Invokes an HTTP-triggered function the way the worker does: HttpRequest in, HttpResponse out. */
export async function invokeHttp(registration: Registration, req: RawHttpRequest): Promise<RawHttpResponse> {
  const hasBody = req.body.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
  const request = new HttpRequest({
    method: req.method,
    url: req.url,
    headers: req.headers,
    params: req.params,
    ...(hasBody ? { body: { bytes: new Uint8Array(req.body) } } : {}),
  });
  const result = (await registration.handler(request, context(registration, {}))) as
    | HttpResponseInit
    | InstanceType<typeof HttpResponse>
    | undefined;
  const response = result instanceof HttpResponse ? result : new HttpResponse(result ?? { status: 204 });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: [...response.headers.entries()], body };
}

/** Invokes a Service Bus-triggered function with the body and the trigger metadata Azure passes. */
export async function invokeServiceBus(registration: Registration, message: BrokerMessage): Promise<void> {
  await registration.handler(
    message.body,
    context(registration, {
      messageId: message.messageId,
      sessionId: message.sessionId,
      correlationId: message.correlationId,
      deliveryCount: message.deliveryCount,
      sequenceNumber: message.sequenceNumber,
      enqueuedTimeUtc: message.enqueuedAt.toISOString(),
      contentType: message.contentType,
      subject: message.subject,
      applicationProperties: message.applicationProperties,
    }),
  );
}

/** Invokes a timer-triggered function with the Timer object Azure passes. */
export async function invokeTimer(registration: Registration, isPastDue = false): Promise<void> {
  await registration.handler({ isPastDue, schedule: { adjustForDST: false } }, context(registration, {}));
}
