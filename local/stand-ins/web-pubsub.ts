import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { jwtVerify } from 'jose';
import { type WebSocket, WebSocketServer } from 'ws';

/** The client subprotocols of Azure Web PubSub this stand-in speaks. */
const PROTOCOLS = ['json.webpubsub.azure.v1', 'json.reliable.webpubsub.azure.v1'];

interface Connection {
  id: string;
  userId?: string;
  hub: string;
  socket: WebSocket;
  groups: Set<string>;
  roles: string[];
  reliable: boolean;
  sequenceId: number;
}

/** What the app published, for tests. */
export interface Published {
  hub: string;
  to: { group: string } | { user: string } | { all: true };
  data: unknown;
}

/**
 * A local stand-in for Azure Web PubSub, on its own loopback port because its REST API lives under
 * /api like the Functions host. It speaks the service's two sides:
 * - REST, as `@azure/web-pubsub` calls it with a connection string: send to a group, a user or the
 *   hub, and close a user's or a group's connections, each request signed with an HS256 JWT over the
 *   access key (checked here);
 * - the client protocol over WebSocket (`json.webpubsub.azure.v1` and its reliable variant), as
 *   `@azure/web-pubsub-client` and browsers use it: the access token in the URL is checked (key,
 *   audience, expiry), its `webpubsub.group` claim joins groups at connect, and joining or sending
 *   to any group needs the matching `webpubsub.joinLeaveGroup` / `webpubsub.sendToGroup` role.
 */
export class WebPubSubStandIn {
  readonly key = randomBytes(32).toString('base64');
  readonly published: Published[] = [];
  private readonly connections = new Set<Connection>();
  private server: Server | undefined;
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  endpoint = '';

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.rest(req, Buffer.concat(chunks)).then(({ status, body }) => {
          res.statusCode = status;
          if (body) res.setHeader('content-type', 'application/json');
          res.end(body ? JSON.stringify(body) : undefined);
        });
      });
    });
    server.on('upgrade', (req, socket, head) => void this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.endpoint = `http://localhost:${(server.address() as AddressInfo).port}`;
  }

  /** The connection string the app's SDK uses. */
  get connectionString(): string {
    return `Endpoint=${this.endpoint};AccessKey=${this.key};Version=1.0;Port=${new URL(this.endpoint).port};`;
  }

  /** Connections open now, for tests. */
  openConnections(): Array<{ userId?: string; groups: string[] }> {
    return [...this.connections].map((c) => ({ userId: c.userId, groups: [...c.groups] }));
  }

  private secret(): Uint8Array {
    return new TextEncoder().encode(this.key);
  }

  private async verify(token: string, audience?: string): Promise<Record<string, unknown> | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.secret(), {
        algorithms: ['HS256'],
        ...(audience ? { audience } : {}),
        requiredClaims: ['exp'],
      });
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  private async rest(req: IncomingMessage, body: Buffer): Promise<{ status: number; body?: unknown }> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    // The SDK signs each request with the request URL as audience; checking the key and expiry is enough here.
    if (!bearer || !(await this.verify(bearer)))
      return { status: 401, body: { code: 'Unauthorized', message: 'Invalid or missing access token' } };
    if (req.method !== 'POST') return { status: 404 };
    const close = /^\/api\/hubs\/(\w+)\/(groups|users)\/([^/]+)\/:closeConnections$/.exec(url.pathname);
    if (close) {
      const [, hub, kind, raw] = close;
      const name = decodeURIComponent(raw as string);
      for (const c of [...this.connections])
        if (c.hub === hub && (kind === 'users' ? c.userId === name : c.groups.has(name)))
          c.socket.close(1000, url.searchParams.get('reason')?.slice(0, 120) ?? '');
      return { status: 204 };
    }
    const m = /^\/api\/hubs\/(\w+)\/(?:(groups|users)\/([^/]+)\/)?:send$/.exec(url.pathname);
    if (!m) return { status: 404 };
    const [, hub = '', kind, name] = m;
    const isJson = (req.headers['content-type'] ?? '').includes('json');
    const data = isJson ? JSON.parse(body.toString('utf8') || 'null') : body.toString('utf8');
    const target: Published['to'] =
      kind === 'groups'
        ? { group: decodeURIComponent(name as string) }
        : kind === 'users'
          ? { user: decodeURIComponent(name as string) }
          : { all: true };
    this.published.push({ hub, to: target, data });
    for (const c of this.connections) {
      if (c.hub !== hub) continue;
      if ('group' in target && c.groups.has(target.group))
        this.deliver(c, {
          type: 'message',
          from: 'group',
          group: target.group,
          dataType: isJson ? 'json' : 'text',
          data,
        });
      else if ('user' in target && c.userId === target.user)
        this.deliver(c, { type: 'message', from: 'server', dataType: isJson ? 'json' : 'text', data });
      else if ('all' in target)
        this.deliver(c, { type: 'message', from: 'server', dataType: isJson ? 'json' : 'text', data });
    }
    return { status: 202 };
  }

  private deliver(c: Connection, message: Record<string, unknown>): void {
    const framed = c.reliable && message.type === 'message' ? { ...message, sequenceId: ++c.sequenceId } : message;
    c.socket.send(JSON.stringify(framed));
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', this.endpoint);
    const m = /^\/client\/hubs\/(\w+)$/.exec(url.pathname);
    const token = url.searchParams.get('access_token') ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const claims = m && token ? await this.verify(token, `${this.endpoint}/client/hubs/${m[1]}`) : undefined;
    if (!m || !claims) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
      const connection: Connection = {
        id: randomUUID(),
        userId: typeof claims.sub === 'string' ? claims.sub : undefined,
        hub: m[1] as string,
        socket: ws,
        groups: new Set(asList(claims['webpubsub.group'])),
        roles: asList(claims.role),
        reliable: ws.protocol === 'json.reliable.webpubsub.azure.v1',
        sequenceId: 0,
      };
      this.connections.add(connection);
      ws.on('close', () => this.connections.delete(connection));
      ws.on('message', (raw) => this.onClientMessage(connection, raw.toString()));
      ws.send(
        JSON.stringify({
          type: 'system',
          event: 'connected',
          userId: connection.userId ?? null,
          connectionId: connection.id,
          ...(connection.reliable ? { reconnectionToken: randomUUID() } : {}),
        }),
      );
    });
  }

  private may(c: Connection, action: 'joinLeaveGroup' | 'sendToGroup', group: string): boolean {
    return c.roles.includes(`webpubsub.${action}`) || c.roles.includes(`webpubsub.${action}.${group}`);
  }

  private onClientMessage(c: Connection, raw: string): void {
    let message: { type?: string; group?: string; ackId?: number; data?: unknown; dataType?: string; noEcho?: boolean };
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    const ack = (success: boolean, error?: { name: string; message: string }) => {
      if (message.ackId !== undefined)
        c.socket.send(JSON.stringify({ type: 'ack', ackId: message.ackId, success, ...(error ? { error } : {}) }));
    };
    const group = String(message.group ?? '');
    switch (message.type) {
      case 'ping':
        c.socket.send(JSON.stringify({ type: 'pong' }));
        return;
      case 'sequenceAck':
        return;
      case 'joinGroup':
      case 'leaveGroup':
        if (!this.may(c, 'joinLeaveGroup', group)) {
          ack(false, { name: 'Forbidden', message: `No permission to join or leave group ${group}` });
          return;
        }
        if (message.type === 'joinGroup') c.groups.add(group);
        else c.groups.delete(group);
        ack(true);
        return;
      case 'sendToGroup':
        if (!this.may(c, 'sendToGroup', group)) {
          ack(false, { name: 'Forbidden', message: `No permission to send to group ${group}` });
          return;
        }
        for (const other of this.connections) {
          if (other.hub === c.hub && other.groups.has(group) && !(message.noEcho && other === c))
            this.deliver(other, {
              type: 'message',
              from: 'group',
              group,
              dataType: message.dataType,
              data: message.data,
              fromUserId: c.userId,
            });
        }
        ack(true);
        return;
      case 'event':
        // Serverless mode: no event handler is configured, so nothing would receive it.
        ack(false, { name: 'InternalServerError', message: 'No event handler is configured for this hub' });
        return;
      default:
        return;
    }
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    this.wss.close();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }
}
