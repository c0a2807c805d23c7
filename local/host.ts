import { readdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Cron } from 'croner';
import { type AppRuntime, buildAppRuntime, installedRuntime, installRuntime } from '../functions/runtime.js';
import { log } from '../shared/platform/log.js';
import { QUEUES, type QueueDefinition } from '../shared/platform/queues.js';
import { type Clock, disposeRuntime, systemClock } from '../shared/platform/runtime.js';
import { parseSettings } from '../shared/platform/settings.js';
import { AmqpPeer } from './bus/amqp-peer.js';
import { LocalBroker } from './bus/broker.js';
import { EmbeddedAzurite } from './embedded-azurite.js';
import { EmbeddedCosmos } from './embedded-cosmos.js';
import { installFunctionsCore, type Registration, registrations } from './functions-core.js';
import { answerClientError, badPath, forwardedFor, hostProblem } from './host-problems.js';
import { invokeHttp, invokeServiceBus, invokeTimer, type RawHttpResponse } from './invoke.js';
import { type CompiledRoute, compileRoute } from './routes.js';
import { type StandIn, standInJson } from './stand-in.js';
import { AuthIssuer } from './stand-ins/auth-issuer.js';
import { GraphSandbox } from './stand-ins/graph-sandbox.js';
import { OpenAiPeer } from './stand-ins/openai-peer.js';
import { SendGridPeer } from './stand-ins/sendgrid-peer.js';
import { StripePeer } from './stand-ins/stripe-peer.js';
import { WebPubSubStandIn } from './stand-ins/web-pubsub.js';

installFunctionsCore();

/** Azure's default route prefix (host.json extensions.http.routePrefix). */
const ROUTE_PREFIX = 'api';
/** Azure's request size limit for HTTP triggers. */
const MAX_REQUEST_BYTES = 100 * 1024 * 1024;

export interface LocalHostOptions {
  /** HTTP port; 0 picks a free one (tests). */
  port?: number;
  /** Folder of function files to load; defaults to the app's `functions/`. */
  functionsDir?: URL;
  /** Setting values (from local.settings.json); empty store settings start the embedded servers. */
  values?: Record<string, string>;
  /** Queue entity definitions; defaults to the app's. */
  queues?: QueueDefinition[];
  /** host.json concurrency: calls for plain queues, sessions for session queues. */
  maxConcurrentCalls?: number;
  maxConcurrentSessions?: number;
  /** Delay before an abandoned message is redelivered. */
  redeliveryDelayMs?: number;
  /** Deliver queue messages to the triggers (a benchmark of the webhook alone turns this off). */
  drainQueues?: boolean;
  /** Start timers on their schedules (off in most tests, which fire them by hand). */
  runTimers?: boolean;
  /** Stand-ins served under /local/<name>; the host adds its own. */
  standIns?: Array<(host: LocalHost) => StandIn>;
  clock?: Clock;
  /**
   * Where the local token issuer keeps its key pair between runs; absent means a new key per start (or the data
   * folder's).
   */
  authKeyFile?: string;
  /**
   * The local data folder (`npm start` uses .local-data/): Azurite keeps its blobs there, the
   * embedded Cosmos DB server is loaded from a snapshot there on start and saved on stop, and the
   * token issuer keeps its key there. Absent: everything lives in memory (tests).
   */
  dataDir?: string;
  /** A hook run after the stores are ready and before traffic (demo seeding). */
  onReady?: (host: LocalHost) => Promise<void>;
}

interface HttpRoute {
  registration: Registration;
  route: CompiledRoute;
  methods: Set<string> | undefined;
}

/**
 * The local host: the same Functions app on one machine. It captures the app's own registrations,
 * serves HTTP triggers at /api/..., drains Service Bus triggers from the local broker fed by the
 * AMQP peer, fires timers on their NCRONTAB schedules and runs the embedded stores.
 */
export class LocalHost {
  readonly broker: LocalBroker;
  readonly peer: AmqpPeer;
  runtime!: AppRuntime;
  functions: Registration[] = [];
  url = '';
  private readonly cosmos = new EmbeddedCosmos();
  private readonly azurite = new EmbeddedAzurite();
  private server: Server | undefined;
  private httpRoutes: HttpRoute[] = [];
  private readonly standIns = new Map<string, StandIn>();
  private readonly timers: Cron[] = [];
  /** The Graph API sandbox at /local/graph. */
  graph!: GraphSandbox;
  /** A local Azure OpenAI-compatible peer at /local/openai (used when AZURE_OPENAI_ENDPOINT points at it). */
  openai = new OpenAiPeer();
  /** A local SendGrid peer at /local/sendgrid that records mail. */
  mail = new SendGridPeer();
  /** A local Stripe API peer on its own loopback port. */
  readonly stripe = new StripePeer();
  /** A local Azure Web PubSub stand-in on its own loopback port (REST and the WebSocket client protocol). */
  readonly webPubSub = new WebPubSubStandIn();
  /** The local token issuer at /local/auth, standing in for Auth0. */
  auth!: AuthIssuer;
  private usesEmbeddedCosmos = false;
  private saveOnStop = false;
  /** Documents loaded from the data folder's snapshot on start, and written to it on stop. */
  loadedDocuments = 0;
  savedDocuments = 0;
  private usesAzurite = false;

  private constructor(private readonly options: LocalHostOptions) {
    // The broker keeps the app's time, so a test clock moved forward also moves scheduled messages.
    const clock = options.clock ?? systemClock;
    this.broker = new LocalBroker({ redeliveryDelayMs: options.redeliveryDelayMs, now: () => clock.now().getTime() });
    this.peer = new AmqpPeer(this.broker);
  }

  /** Starts everything and resolves once the app can take traffic. */
  static async start(options: LocalHostOptions = {}): Promise<LocalHost> {
    const host = new LocalHost(options);
    try {
      await host.boot();
    } catch (error) {
      await host.stop();
      throw error;
    }
    return host;
  }

  private async boot(): Promise<void> {
    const values = { ...this.options.values };
    const queues = this.options.queues ?? Object.values(QUEUES as Record<string, QueueDefinition>);
    for (const q of queues) {
      this.broker.declareQueue({
        name: q.name,
        requiresSession: q.requiresSession,
        maxDeliveryCount: q.maxDeliveryCount,
        duplicateDetectionWindowMs: q.duplicateDetectionWindowMinutes * 60_000,
      });
    }
    const starts: Promise<void>[] = [
      this.peer.start(),
      this.listen(this.options.port ?? 7071),
      this.stripe.start(),
      this.webPubSub.start(),
    ];
    if (!values.COSMOS_ENDPOINT) {
      this.usesEmbeddedCosmos = true;
      starts.push(this.cosmos.start());
    }
    if (!values.BLOB_CONNECTION_STRING && !values.BLOB_ACCOUNT_URL) {
      this.usesAzurite = true;
      starts.push(this.azurite.start(0, this.options.dataDir ? join(this.options.dataDir, 'azurite') : undefined));
    }
    await Promise.all(starts);
    if (this.usesEmbeddedCosmos && this.options.dataDir) {
      this.loadedDocuments = await this.cosmos.load(this.snapshotFile());
      // Saved on stop only once a load went well, so a failed start never overwrites good data.
      this.saveOnStop = true;
    }

    const settings = parseSettings({
      ...values,
      PUBLIC_BASE_URL: values.PUBLIC_BASE_URL || this.url,
      META_GRAPH_BASE_URL: values.META_GRAPH_BASE_URL || `${this.url}/local/graph`,
      AUTH_ISSUER: values.AUTH_ISSUER || `${this.url}/local/auth/`,
      SENDGRID_BASE_URL: values.SENDGRID_BASE_URL || `${this.url}/local/sendgrid`,
      STRIPE_API_BASE: values.STRIPE_API_BASE || this.stripe.url,
      ...(values.WEB_PUBSUB_ENDPOINT || values.WEB_PUBSUB_CONNECTION_STRING
        ? {}
        : { WEB_PUBSUB_CONNECTION_STRING: this.webPubSub.connectionString }),
      // "local" points the app at the local OpenAI-compatible peer.
      ...(values.AZURE_OPENAI_ENDPOINT === 'local'
        ? {
            AZURE_OPENAI_ENDPOINT: `${this.url}/local/openai`,
            AZURE_OPENAI_API_KEY: values.AZURE_OPENAI_API_KEY || 'local-key',
          }
        : {}),
      ...(this.usesEmbeddedCosmos ? { COSMOS_ENDPOINT: this.cosmos.endpoint, COSMOS_KEY: this.cosmos.key } : {}),
      ...(this.usesAzurite ? { BLOB_CONNECTION_STRING: this.azurite.connectionString } : {}),
      // Triggers are always served by the local broker, so senders must reach it too.
      ServiceBusConnection: this.peer.connectionString,
    });
    this.runtime = buildAppRuntime(settings, this.options.clock ?? systemClock);
    installRuntime(this.runtime);
    await this.runtime.cosmos.ensure();
    await this.runtime.blob.ensure();

    this.addStandIn({ name: 'demo', handle: () => standInJson(404, { error: 'no demo data on this host' }) });
    this.graph = new GraphSandbox(this);
    this.addStandIn(this.graph);
    this.auth = await new AuthIssuer(
      this,
      this.options.authKeyFile ??
        (this.options.dataDir ? join(this.options.dataDir, 'auth-signing-key.json') : undefined),
    ).init();
    this.addStandIn(this.auth);
    this.addStandIn(this.openai);
    this.addStandIn(this.mail);
    for (const make of this.options.standIns ?? []) this.addStandIn(make(this));
    await this.options.onReady?.(this);

    await this.loadFunctions(this.options.functionsDir ?? new URL('../functions/', import.meta.url));
    this.wireFunctions();
  }

  /** Adds or replaces a stand-in under /local/<name>. */
  addStandIn(standIn: StandIn): void {
    this.standIns.set(standIn.name, standIn);
  }

  private async loadFunctions(dir: URL): Promise<void> {
    const files = (await readdir(fileURLToPath(dir)))
      .filter((f) => ['.js', '.ts'].includes(extname(f)) && !f.endsWith('.d.ts'))
      .sort();
    const folder = fileURLToPath(dir);
    for (const file of files) await import(pathToFileURL(join(folder, file)).href);
    // A module imported earlier in this process registered then; its source file still says where it came from.
    this.functions = registrations().filter((r) => r.source.startsWith(folder));
    if (this.functions.length === 0) throw new Error(`No functions were registered from ${folder}`);
  }

  private wireFunctions(): void {
    const queues = new Set(this.broker.queueNames());
    for (const registration of this.functions) {
      const trigger = registration.trigger;
      if (trigger.type === 'httpTrigger') {
        const template = trigger.route ?? registration.name;
        const methods = trigger.methods?.length ? new Set(trigger.methods.map((m) => m.toUpperCase())) : undefined;
        this.httpRoutes.push({ registration, route: compileRoute(template), methods });
      } else if (trigger.type === 'serviceBusTrigger') {
        this.wireQueue(registration, queues);
      } else if (trigger.type === 'timerTrigger') {
        this.wireTimer(registration);
      } else {
        throw new Error(
          `Function "${registration.name}" uses trigger "${trigger.type}", which the local host does not serve`,
        );
      }
    }
    this.httpRoutes.sort((a, b) => b.route.specificity - a.route.specificity);
  }

  private wireQueue(registration: Registration, queues: Set<string>): void {
    const { queueName, isSessionsEnabled } = registration.trigger;
    if (!queueName || !queues.has(queueName)) {
      throw new Error(`Function "${registration.name}" listens on queue "${queueName}", which is not declared`);
    }
    const definition = (this.options.queues ?? Object.values(QUEUES as Record<string, QueueDefinition>)).find(
      (q) => q.name === queueName,
    );
    if (Boolean(isSessionsEnabled) !== Boolean(definition?.requiresSession)) {
      throw new Error(`Function "${registration.name}": isSessionsEnabled does not match queue "${queueName}"`);
    }
    const concurrency = isSessionsEnabled
      ? (this.options.maxConcurrentSessions ?? 8)
      : (this.options.maxConcurrentCalls ?? 16);
    if (this.options.drainQueues === false) return;
    this.broker.subscribe(queueName, (message) => invokeServiceBus(registration, message), concurrency);
  }

  private wireTimer(registration: Registration): void {
    const schedule = resolveSchedule(String(registration.trigger.schedule ?? ''), {
      ...process.env,
      ...this.options.values,
    });
    // Validate the schedule even when timers do not run, so a bad NCRONTAB fails start-up as in Azure.
    const job = new Cron(schedule, { timezone: 'UTC', paused: !this.options.runTimers, protect: true }, async () => {
      try {
        await invokeTimer(registration);
      } catch (error) {
        log.error('timer.failed', { functionName: registration.name, error });
      }
    });
    this.timers.push(job);
    if (registration.trigger.runOnStartup) void invokeTimer(registration);
  }

  /** Fires a timer function now, as if its schedule came due. */
  async fireTimer(name: string): Promise<void> {
    const registration = this.functions.find((f) => f.name === name && f.trigger.type === 'timerTrigger');
    if (!registration) throw new Error(`No timer function "${name}"`);
    await invokeTimer(registration);
  }

  /** The next time a timer function is due, from its schedule. */
  nextTimerRun(name: string): Date | null {
    const index = this.functions.filter((f) => f.trigger.type === 'timerTrigger').findIndex((f) => f.name === name);
    return this.timers[index]?.nextRun() ?? null;
  }

  private async listen(port: number): Promise<void> {
    const server = createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    // Requests Node's parser refuses (headers over 16 KB, bytes that are not HTTP) get a problem too, not a bare status
    // line.
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.url = `http://localhost:${(server.address() as AddressInfo).port}`;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // Checked on the raw path, before URL parsing folds `../` away: bad input is a 400, never a 500.
      const pathProblem = badPath(req.url ?? '/');
      if (pathProblem) {
        await readBody(req);
        writeResponse(res, hostProblem(400, 'bad-path', 'The request path is not valid', pathProblem));
        return;
      }
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', this.url);
      const headers = flattenHeaders(req);
      const forwarded = forwardedFor(req);
      if (forwarded) headers['x-forwarded-for'] = forwarded;
      const method = (req.method ?? 'GET').toUpperCase();
      const isStandIn = url.pathname.startsWith('/local/');
      const response =
        body === undefined
          ? hostProblem(
              413,
              'too-large',
              'The request is too large',
              `The local host accepts at most ${MAX_REQUEST_BYTES} bytes.`,
            )
          : url.pathname.startsWith(`/${ROUTE_PREFIX}/`)
            ? await this.dispatchFunction(method, url, headers, body)
            : isStandIn
              ? await this.dispatchStandIn(method, url, headers, body)
              : undefined;
      // The Graph sandbox learns who wrote on which product, as Meta knows it (it decides how a reply is echoed).
      if (method === 'POST' && url.pathname === `/${ROUTE_PREFIX}/webhooks/meta` && response?.status === 200 && body)
        this.graph.observeWebhook(body);
      writeResponse(
        res,
        response ??
          (isStandIn
            ? standInJson(404, { error: 'not found' })
            : hostProblem(404, 'no-such-route', 'No such route', `There is no route ${method} ${url.pathname}.`)),
      );
    } catch (error) {
      log.error('localhost.request.failed', { error });
      writeResponse(res, hostProblem(500, 'internal', 'Internal error', 'The local host failed; see its log.'));
    }
  }

  private async dispatchFunction(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<RawHttpResponse | undefined> {
    const path = url.pathname.slice(ROUTE_PREFIX.length + 2);
    let methodMismatch = false;
    for (const candidate of this.httpRoutes) {
      const params = candidate.route.match(path);
      if (!params) continue;
      if (candidate.methods && !candidate.methods.has(method)) {
        methodMismatch = true;
        continue;
      }
      return invokeHttp(candidate.registration, { method, url: url.href, headers, body, params });
    }
    // Azure answers 404 for a route whose methods do not include the request's.
    return methodMismatch
      ? hostProblem(404, 'no-such-route', 'No such route', `There is no route ${method} ${url.pathname}.`)
      : undefined;
  }

  private async dispatchStandIn(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<RawHttpResponse | undefined> {
    const [, , name = '', ...rest] = url.pathname.split('/');
    const standIn = this.standIns.get(name);
    if (!standIn) return undefined;
    return standIn.handle({ method, path: `/${rest.join('/')}`, query: url.searchParams, headers, body });
  }

  /** Where everything is, for the start-up banner. */
  describe(): Record<string, string> {
    return {
      api: `${this.url}/${ROUTE_PREFIX}`,
      health: `${this.url}/${ROUTE_PREFIX}/health`,
      demo: `${this.url}/local/demo`,
      cosmos: this.usesEmbeddedCosmos ? `${this.cosmos.endpoint} (embedded)` : this.runtime.settings.COSMOS_ENDPOINT,
      blob: this.usesAzurite
        ? `http://127.0.0.1:${this.azurite.port} (Azurite)`
        : (this.runtime.settings.BLOB_ACCOUNT_URL ?? 'connection string'),
      serviceBus: `amqp://127.0.0.1:${this.peer.port} (local peer)`,
      graph: `${this.url}/local/graph (Graph API sandbox)`,
      auth: `${this.url}/local/auth (token issuer)`,
      mail: `${this.url}/local/sendgrid/outbox (SendGrid peer)`,
      stripe: `${this.stripe.url} (Stripe peer)`,
      webPubSub: `${this.webPubSub.endpoint} (Web PubSub stand-in)`,
    };
  }

  /** Stops timers, the bus, the HTTP server and the embedded stores. Safe to call twice. */
  async stop(): Promise<void> {
    for (const job of this.timers) job.stop();
    this.broker.close();
    if (this.runtime) {
      await disposeRuntime(this.runtime);
      if (installedRuntime() === this.runtime) installRuntime(undefined);
    }
    await this.peer.stop();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      this.server = undefined;
    }
    if (this.saveOnStop) {
      this.saveOnStop = false;
      this.savedDocuments = await this.cosmos.save(this.snapshotFile());
    }
    await Promise.all([this.cosmos.stop(), this.azurite.stop(), this.stripe.stop(), this.webPubSub.stop()]);
  }

  private snapshotFile(): string {
    return join(this.options.dataDir as string, 'cosmos-snapshot.json');
  }
}

/** Resolves `%SETTING%` in a schedule, as Azure does. */
export function resolveSchedule(schedule: string, appSettings: Record<string, string | undefined>): string {
  return schedule.replace(/^%(\w+)%$/, (_, name: string) => {
    const value = appSettings[name];
    if (typeof value !== 'string' || !value) throw new Error(`Timer schedule setting ${name} is not set`);
    return value;
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function writeResponse(res: ServerResponse, response: RawHttpResponse): void {
  res.statusCode = response.status;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.end(response.body);
}
