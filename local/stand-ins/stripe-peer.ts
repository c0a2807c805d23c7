import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Stripe API peer for the SDK's calls: subscriptions and customers to read, Checkout and
 * Customer Portal sessions to create. It listens on its own loopback port because the Stripe SDK
 * takes a host and port but no path prefix. Tests put the objects Stripe would hold in the maps.
 */
export class StripePeer {
  readonly subscriptions = new Map<string, Record<string, unknown>>();
  readonly customers = new Map<string, Record<string, unknown>>();
  readonly checkoutSessions: Array<Record<string, string>> = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, body } = this.route(
          req.method ?? 'GET',
          req.url ?? '/',
          Buffer.concat(chunks).toString('utf8'),
          req.headers.authorization ?? '',
        );
        res.statusCode = status;
        res.setHeader('content-type', 'application/json');
        res.setHeader('request-id', `req_${randomUUID().slice(0, 12)}`);
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private route(method: string, url: string, raw: string, authorization: string): { status: number; body: unknown } {
    if (!/^Bearer sk_/.test(authorization))
      return { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } };
    const path = new URL(url, 'http://x').pathname;
    const form = new URLSearchParams(raw);
    const notFound = (id: string) => ({
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: '${id}'` } },
    });
    let m = /^\/v1\/subscriptions\/([\w]+)$/.exec(path);
    if (m && method === 'GET')
      return this.subscriptions.has(m[1] as string)
        ? { status: 200, body: this.subscriptions.get(m[1] as string) }
        : notFound(m[1] as string);
    m = /^\/v1\/customers\/([\w]+)$/.exec(path);
    if (m && method === 'GET')
      return this.customers.has(m[1] as string)
        ? { status: 200, body: this.customers.get(m[1] as string) }
        : notFound(m[1] as string);
    if (path === '/v1/checkout/sessions' && method === 'POST') {
      const id = `cs_test_${randomUUID().replace(/-/g, '')}`;
      const session = Object.fromEntries(form.entries());
      this.checkoutSessions.push(session);
      return {
        status: 200,
        body: {
          id,
          object: 'checkout.session',
          mode: session.mode,
          client_reference_id: session.client_reference_id,
          url: `https://checkout.stripe.com/c/pay/${id}`,
        },
      };
    }
    if (path === '/v1/billing_portal/sessions' && method === 'POST') {
      return {
        status: 200,
        body: {
          id: `bps_${randomUUID().slice(0, 12)}`,
          object: 'billing_portal.session',
          customer: form.get('customer'),
          url: `https://billing.stripe.com/p/session/${randomUUID().slice(0, 12)}`,
        },
      };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } },
    };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
