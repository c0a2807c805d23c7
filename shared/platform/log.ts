import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields every log line of one unit of work carries, across queue hops. */
export interface LogContext {
  correlationId?: string;
  invocationId?: string;
  functionName?: string;
  tenantId?: string;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const storage = new AsyncLocalStorage<LogContext>();
let minLevel: Level = 'info';
let sink: (line: string) => void = (line) => process.stdout.write(`${line}\n`);

/**
 * Keys whose values are personal data or secrets. Matching is on the key name, anywhere in the
 * object, so a careless `log.info('x', { message })` still cannot leak message text.
 */
const REDACTED_KEYS =
  /^(text|body|message|messages|name|first_?name|last_?name|full_?name|display_?name|username|email|phone|address|profile_?pic|picture|token|access_?token|page_?access_?token|authorization|password|secret|signature|signed_?request|content|prompt|completion|attachments?|url|payload|card|cvc|number)$/i;

/**
 * Of the redacted keys, those that operators also use for counts ("messages": 12 deleted). A number
 * there is a count and kept; any other value is still redacted. A number under `phone` or `number`
 * could be the data itself, so this stays a short list.
 */
const COUNT_KEYS = /^(messages|attachments)$/i;

const isCount = (key: string, v: unknown) => COUNT_KEYS.test(key) && typeof v === 'number';

/** Returns a copy of `value` in which every personal-data key is replaced by "[redacted]". */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { error: value.name, detail: redactErrorMessage(value.message) };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = REDACTED_KEYS.test(key) && !isCount(key, v) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** Error messages can quote input; keep them short and strip anything that looks like an e-mail or token. */
function redactErrorMessage(message: string): string {
  return message
    .replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, '[email]')
    .replace(/\b(EAA|sk_|whsec_|Bearer )[\w.-]+/g, '[secret]')
    .slice(0, 300);
}

function write(level: Level, event: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < LEVELS[minLevel]) return;
  const line = {
    time: new Date().toISOString(),
    level,
    event,
    ...storage.getStore(),
    ...(fields ? (redact(fields) as Record<string, unknown>) : {}),
  };
  sink(JSON.stringify(line));
}

/** The JSON logger. Log ids and counts; personal data is redacted by key name regardless. */
export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write('debug', event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write('info', event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write('warn', event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write('error', event, fields),
};

/** Runs `fn` with log context fields added to every line it writes, including across awaits. */
export function withLogContext<T>(context: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** The current log context, used to carry the correlation id onto outgoing queue messages. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** Sets the minimum level and, for tests, where lines go. */
export function configureLog(options: { level?: Level; sink?: (line: string) => void }): void {
  if (options.level) minLevel = options.level;
  if (options.sink) sink = options.sink;
}
